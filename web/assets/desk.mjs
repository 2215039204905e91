// The interaction bar on every staff page (web/templates/desk_bar.mustache).
// The server renders it into each page, so it is there without JavaScript;
// this module keeps it live: the desk WebSocket (/staff/ws/desk) says when
// the agent's desk changed (an offer, a transfer, the end of wrap-up), and
// the bar is fetched again from /staff/desk/bar — the words stay the
// server's, in the staff member's language. Its forms are sent in place
// (the page underneath, e.g. a half-typed case, is kept), its clocks tick,
// and open panels and half-filled wrap-up answers survive a refresh.
const slot = document.getElementById('desk-bar-slot')

function returnTo () { return window.location.pathname + window.location.search }

function viewing () {
  return { citizen: slot.dataset.viewingCitizen || '', name: slot.dataset.viewingName || '' }
}

function clockText (since) {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000))
  const mm = String(Math.floor(s / 60) % 60).padStart(s >= 3600 ? 2 : 1, '0')
  const ss = String(s % 60).padStart(2, '0')
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${Math.floor(s / 60)}:${ss}`
}

function tick () {
  for (const el of slot.querySelectorAll('[data-since]')) {
    if (!Number.isNaN(Date.parse(el.dataset.since))) el.textContent = clockText(el.dataset.since)
  }
}

// What the agent has open or typed in the bar, to put back after a redraw.
function remember () {
  const open = [...slot.querySelectorAll('details[open][data-desk-panel]')].map((d) => d.dataset.deskPanel)
  const values = {}
  for (const el of slot.querySelectorAll('input[id], select[id], textarea[id]')) {
    if (el.type !== 'hidden') values[el.id] = el.value
  }
  const focused = document.activeElement && slot.contains(document.activeElement) ? document.activeElement.id : ''
  return { open, values, focused }
}

function restore (state) {
  for (const name of state.open) {
    const d = slot.querySelector(`details[data-desk-panel="${CSS.escape(name)}"]`)
    if (d) d.open = true
  }
  for (const [id, value] of Object.entries(state.values)) {
    const el = document.getElementById(id)
    if (el && slot.contains(el) && value !== '') el.value = value
  }
  if (state.focused) document.getElementById(state.focused)?.focus()
}

const baseTitle = document.title

function show (html, keep) {
  const state = keep ? remember() : { open: [], values: {}, focused: '' }
  slot.innerHTML = html
  restore(state)
  tick()
  // A new offer: say so in the tab title too (the bar's list is aria-live).
  // Focus stays where the agent is typing: the offer is announced (aria-live)
  // and named in the title, never grabs the keyboard.
  const first = slot.querySelector('.onestop-desk__item--offered .onestop-desk__title strong')
  document.title = first ? `${first.textContent} – ${baseTitle}` : baseTitle
}

let refreshing = null
async function refresh () {
  if (refreshing) return refreshing
  refreshing = (async () => {
    const v = viewing()
    const params = new URLSearchParams({ return_to: returnTo() })
    if (v.citizen) params.set('viewing_citizen', v.citizen)
    try {
      const res = await fetch(`/staff/desk/bar?${params}`, { credentials: 'same-origin', headers: { 'X-Desk-Fragment': '1' } })
      if (res.ok) show(await res.text(), true)
    } catch (e) { /* the next push or reconnect tries again */ }
  })()
  try { await refreshing } finally { refreshing = null }
}

slot.addEventListener('submit', async (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-desk-form')) return
  event.preventDefault()
  const body = new URLSearchParams(new FormData(form))
  const submitter = event.submitter
  if (submitter && submitter.name) body.set(submitter.name, submitter.value)
  body.set('return_to', returnTo())
  const v = viewing()
  if (v.citizen) { body.set('viewing_citizen', v.citizen); body.set('viewing_name', v.name) }
  const action = (submitter && submitter.getAttribute('formaction')) || form.getAttribute('action')
  for (const b of form.querySelectorAll('button')) b.disabled = true
  try {
    const res = await fetch(action, {
      method: 'POST', credentials: 'same-origin', body, headers: { 'X-Desk-Fragment': '1' }
    })
    const html = await res.text()
    if (res.status === 200 || res.status === 400) show(html, res.status === 400)
    else await refresh()
  } catch (e) {
    form.submit()  // no connection to send it in place: send it the ordinary way
  }
})

function connect (delay) {
  const url = new URL('/staff/ws/desk', window.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  const socket = new WebSocket(url)
  let opened = false
  socket.addEventListener('open', () => {
    opened = true
    delay = 1000
    slot.classList.remove('onestop-desk-slot--stale')
  })
  socket.addEventListener('message', (event) => {
    let message = null
    try { message = JSON.parse(event.data) } catch (e) { return }
    if (message && message.type === 'desk') refresh()
  })
  socket.addEventListener('close', () => {
    if (!opened && delay >= 30000) return  // refused for good (no routing here)
    slot.classList.add('onestop-desk-slot--stale')
    setTimeout(() => { connect(Math.min(delay * 2, 30000)); refresh() }, delay)
  })
}

if (slot) {
  tick()
  setInterval(tick, 1000)
  if ('WebSocket' in window) connect(1000)
}
