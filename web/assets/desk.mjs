// The agent panel of the contact screen: presence buttons, offers that pop up
// with the caller matched to a resident (link to their single view),
// accept / reject / complete, back to the queue or transfer to another
// queue, and the wrap-up timer. Everything travels over
// /staff/ws/desk; the panel stays hidden without JavaScript or WebSocket.
const panel = document.getElementById('agent-desk');
const stateLine = document.getElementById('agent-desk-state');
const presenceBox = document.getElementById('agent-desk-presence');
const itemsList = document.getElementById('agent-desk-items');

const STATES = {
  offline: 'Offline', available: 'Available', on_break: 'On a break', busy: 'Busy', wrap_up: 'Wrap-up'
};
let socket = null;
let desk = null;

function send (message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function button (text, onClick, secondary) {
  const b = document.createElement('button')
  b.type = 'button'
  b.className = secondary ? 'govuk-button govuk-button--secondary' : 'govuk-button'
  b.textContent = text
  b.addEventListener('click', onClick)
  return b
}

// Transfer to another queue: the queue's code and a button.
function transferControl (item) {
  const form = document.createElement('div')
  form.className = 'govuk-form-group'
  const label = document.createElement('label')
  label.className = 'govuk-label'
  label.htmlFor = `agent-desk-transfer-${item.id}`
  label.textContent = 'Transfer to queue (code)'
  const input = document.createElement('input')
  input.className = 'govuk-input govuk-input--width-20'
  input.id = label.htmlFor
  input.type = 'text'
  input.spellcheck = false
  const go = button('Transfer', () => {
    const queue = input.value.trim()
    if (queue) send({ type: 'transfer', id: item.id, queue })
  }, true)
  form.append(label, input, go)
  return form
}

function elapsed (since) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

function describeState () {
  if (!desk) return
  let text = `You are ${STATES[desk.state] || desk.state}`
  if (desk.state === 'on_break' && desk.reason) text += ` (${desk.reason})`
  if (desk.state === 'wrap_up' && desk.state_since) text += ` for ${elapsed(desk.state_since)}`
  stateLine.textContent = text + '.'
}

function render () {
  describeState()
  const presence = []
  if (desk.presence !== 'available') presence.push(button('Go available', () => send({ type: 'presence', presence: 'available' })))
  if (desk.presence !== 'on_break') presence.push(button('Take a break', () => send({ type: 'presence', presence: 'on_break', reason: 'break' }), true))
  if (desk.presence !== 'offline') presence.push(button('Go offline', () => send({ type: 'presence', presence: 'offline' }), true))
  if (desk.state === 'wrap_up') presence.push(button('End wrap-up', () => send({ type: 'end_wrap_up' })))
  presenceBox.replaceChildren(...presence)

  const items = desk.items.map((item) => {
    const li = document.createElement('li')
    li.className = 'onestop-desk__item'
    const title = document.createElement('p')
    title.className = 'govuk-body govuk-!-font-weight-bold'
    const what = { voice: 'Call', chat: 'Chat', email: 'Email', walk_in: 'Visitor', case_task: 'Case task' }[item.media] || item.media
    title.textContent = `${item.state === 'offered' ? 'Offered' : 'Connected'}: ${what} in ${item.queue}` + (item.caller ? ` from ${item.caller}` : '')
    li.append(title)
    if (item.media === 'case_task' && /^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(item.reference || '')) {
      const link = document.createElement('a')
      link.className = 'govuk-link'
      link.href = `/staff/cases/${item.reference}`
      link.textContent = `Open case ${item.reference}`
      const p = document.createElement('p')
      p.className = 'govuk-body'
      p.append(link)
      li.append(p)
    }
    if (item.citizen) {
      const link = document.createElement('a')
      link.className = 'govuk-link'
      link.href = item.citizen.href
      link.textContent = `Open ${item.citizen.name}’s record`
      const p = document.createElement('p')
      p.className = 'govuk-body'
      p.append(link)
      li.append(p)
    } else if (item.caller) {
      const p = document.createElement('p')
      p.className = 'govuk-body'
      p.textContent = 'No single resident matches this number; search for them above.'
      li.append(p)
    }
    const actions = document.createElement('div')
    actions.className = 'govuk-button-group'
    if (item.state === 'offered') {
      actions.append(button('Accept', () => send({ type: 'accept', id: item.id })))
      actions.append(button('Reject', () => send({ type: 'reject', id: item.id }), true))
    } else {
      actions.append(button('Complete', () => send({ type: 'complete', id: item.id })))
      actions.append(button('Back to the queue', () => send({ type: 'requeue', id: item.id }), true))
    }
    li.append(actions)
    if (item.state !== 'offered') li.append(transferControl(item))
    return li
  })
  itemsList.replaceChildren(...items)
}

function connect (delay) {
  const url = new URL('/staff/ws/desk', window.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  socket = new WebSocket(url)
  socket.addEventListener('open', () => { delay = 1000 })
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data)
    if (message.type === 'desk') {
      desk = message
      panel.hidden = false
      render()
      if (message.error) stateLine.textContent += ` ${message.error}`
    }
  })
  socket.addEventListener('close', (event) => {
    if (event.code === 1006 && !desk) return  // refused (no routing here): keep the panel hidden
    stateLine.textContent = 'Connection lost; reconnecting.'
    setTimeout(() => connect(Math.min(delay * 2, 30000)), delay)
  })
}

if (panel && 'WebSocket' in window) {
  connect(1000)
  setInterval(describeState, 1000)
}
