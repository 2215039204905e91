// The wallboard's live rows: /staff/ws/wallboard sends one JSON message per
// change (and every few seconds); each replaces the table body. Without
// JavaScript (or WebSocket) the server-rendered figures stay as they are.
const table = document.getElementById('wallboard');
const body = document.getElementById('wallboard-rows');
const status = document.getElementById('wallboard-status');

const percent = (share) => `${Math.round(share * 100)}%`;
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
function agents(a) {
  return `${a.available} available, ${a.busy} busy, ${a.wrap_up} wrap-up, ${a.on_break} on break, ${a.offline} offline`;
}

let oldest = new Map();  // queue code → entered-at of its oldest waiting interaction (ms)

function cell(text, numeric) {
  const td = document.createElement('td');
  td.className = numeric ? 'govuk-table__cell govuk-table__cell--numeric' : 'govuk-table__cell';
  td.textContent = text;
  return td;
}

function render(message) {
  const rows = [];
  oldest = new Map();
  for (const q of message.queues) {
    const tr = document.createElement('tr');
    tr.className = 'govuk-table__row';
    tr.dataset.queue = q.code;
    const th = document.createElement('th');
    th.scope = 'row';
    th.className = 'govuk-table__header';
    th.textContent = q.name;
    tr.append(th);
    tr.append(cell(String(q.waiting), true));
    const longest = cell(q.waiting > 0 ? duration(q.longest_wait_seconds) : 'none waiting', true);
    longest.dataset.field = 'longest_wait';
    tr.append(longest);
    if (q.waiting > 0 && q.oldest_entered_at) oldest.set(q.code, Date.parse(q.oldest_entered_at));
    const sl = cell(q.offered ? percent(q.service_level) : '–', true);
    const within = document.createElement('span');
    within.className = 'govuk-body-s';
    within.textContent = ` in ${q.service_level_seconds} s`;
    sl.append(within);
    tr.append(sl);
    tr.append(cell(q.answered ? duration(q.asa_seconds) : '–', true));
    tr.append(cell(q.completed ? duration(q.aht_seconds) : '–', true));
    tr.append(cell(q.offered ? percent(q.abandon_rate) : '–', true));
    tr.append(cell(percent(q.occupancy), true));
    tr.append(cell(agents(q.agents), false));
    rows.push(tr);
  }
  body.replaceChildren(...rows);
  status.textContent = `Live: updated ${new Date(message.at).toLocaleTimeString('en-GB')}.`;
}

// Longest waits keep growing between messages.
function tick() {
  for (const tr of body.querySelectorAll('tr[data-queue]')) {
    const since = oldest.get(tr.dataset.queue);
    const td = tr.querySelector('[data-field="longest_wait"]');
    if (since !== undefined && td) td.textContent = duration((Date.now() - since) / 1000);
  }
}

function connect(delay) {
  const url = new URL('/staff/ws/wallboard', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  socket.addEventListener('open', () => { delay = 1000; });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'wallboard') render(message);
  });
  socket.addEventListener('close', () => {
    status.textContent = 'Connection lost; reconnecting. The figures below may be out of date.';
    setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
  });
}

if (table && body && status && 'WebSocket' in window) {
  connect(1000);
  setInterval(tick, 1000);
}
