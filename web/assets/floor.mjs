// The floor (/staff/floor) keeps itself up to date: the wallboard socket
// (/staff/ws/wallboard) pushes whenever routing changes (and every few
// seconds), and the two tables are fetched again from the page itself — the
// words stay the server's, in the supervisor's language. Without JavaScript
// the page shows the floor of the moment it was loaded.
const tables = ['floor-signed-in', 'floor-signed-out']
let pending = null
let last = 0

async function refresh () {
  last = Date.now()
  try {
    const res = await fetch(window.location.pathname, { credentials: 'same-origin' })
    if (!res.ok) return
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html')
    for (const id of tables) {
      const fresh = doc.getElementById(id)
      const old = document.getElementById(id)
      if (fresh && old) old.replaceWith(document.importNode(fresh, true))
    }
  } catch (e) { /* the next push tries again */ }
}

// At most one fetch a second, however fast the pushes come.
function soon () {
  if (pending) return
  pending = setTimeout(() => { pending = null; refresh() }, Math.max(0, 1000 - (Date.now() - last)))
}

function connect (delay) {
  const url = new URL('/staff/ws/wallboard', window.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  const socket = new WebSocket(url)
  socket.addEventListener('open', () => { delay = 1000 })
  socket.addEventListener('message', soon)
  socket.addEventListener('close', () => setTimeout(() => connect(Math.min(delay * 2, 30000)), delay))
}

if (tables.every((id) => document.getElementById(id)) && 'WebSocket' in window) connect(1000)
