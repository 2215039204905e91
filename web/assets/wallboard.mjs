// The wallboard's live tiles: /staff/ws/wallboard sends one JSON message per
// change (and every few seconds); each updates the queues' tiles in place.
// Times in state and longest waits keep counting between messages. Every
// word comes from the page (#wallboard-words, in the reader's language), so
// the script itself holds none. Without JavaScript (or WebSocket) the
// server-rendered figures stay as they are.
const tiles = document.getElementById('wallboard');
const status = document.getElementById('wallboard-status');
const agentsList = document.getElementById('wallboard-agents');
const wordsEl = document.getElementById('wallboard-words');
const words = wordsEl ? { ...wordsEl.dataset } : {};

const fill = (template, values) =>
  String(template ?? '').replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));

const percent = (share) => `${Math.round(share * 100)}%`;

// As HumaneDuration on the server: "12 s", "4 min", "4 h", "2 h 5 min".
function duration(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  if (total < 60) return fill(words.s, { s: total });
  if (total < 3600) return fill(words.min, { min: Math.floor(total / 60) });
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  return min === 0 ? fill(words.h, { h }) : fill(words.hMin, { h, min });
}

let oldest = new Map();  // queue code → entered-at of its oldest waiting interaction (ms)

function set(tile, field, text) {
  const el = tile.querySelector(`[data-field="${field}"]`);
  if (el && el.textContent !== text) el.textContent = text;
}

function update(message) {
  oldest = new Map();
  for (const q of message.queues) {
    const tile = tiles.querySelector(`[data-queue="${CSS.escape(q.code)}"]`);
    if (!tile) continue;  // a queue added since the page loaded: shown on the next reload
    if (q.waiting > 0 && q.oldest_entered_at) oldest.set(q.code, Date.parse(q.oldest_entered_at));
    set(tile, 'waiting', String(q.waiting));
    set(tile, 'longest_wait', q.waiting > 0 ? duration(q.longest_wait_seconds) : words.dash);
    set(tile, 'service_level', q.offered ? percent(q.service_level) : words.dash);
    set(tile, 'asa', q.answered ? duration(q.asa_seconds) : words.dash);
    set(tile, 'abandon_rate', q.media === 'case_task' || !q.offered ? words.dash : percent(q.abandon_rate));
    set(tile, 'free', fill(words.agentsFree, { available: q.agents_available_eligible, agents: q.agents_signed_in }));
    if (q.rag && tile.dataset.rag !== q.rag) {
      tile.dataset.rag = q.rag;
      tile.className = `onestop-tile onestop-tile--${q.rag}`;
      const rag = tile.querySelector('[data-field="rag"]');
      rag.className = `onestop-rag onestop-rag--${q.rag}`;
      rag.querySelector('.onestop-rag__text').textContent = words[q.rag];
    }
  }
  if (agentsList && Array.isArray(message.agents)) renderAgents(message.agents);
  status.textContent = fill(words.live, { time: new Date(message.at).toLocaleTimeString(document.documentElement.lang === 'cy' ? 'cy-GB' : 'en-GB') });
}

function renderAgents(agents) {
  const items = agents.map((a) => {
    const li = document.createElement('li');
    li.className = `onestop-agent-state onestop-agent-state--${a.state}`;
    li.dataset.agent = String(a.id);
    li.dataset.since = String(Date.parse(a.state_since));
    const name = document.createElement('span');
    name.className = 'onestop-agent-state__name';
    name.textContent = a.name;
    const state = document.createElement('span');
    state.className = 'onestop-agent-state__state';
    state.dataset.field = 'state';
    const key = a.state.replace(/_(\w)/g, (all, c) => c.toUpperCase());
    state.textContent = a.reason ? `${words[key]} (${a.reason})` : words[key];
    const time = document.createElement('span');
    time.className = 'onestop-agent-state__time';
    time.dataset.field = 'in_state';
    time.textContent = duration((Date.now() - Number(li.dataset.since)) / 1000);
    li.append(name, ' ', state, ' ', time);
    return li;
  });
  agentsList.replaceChildren(...items);
}

// Longest waits and times in state keep growing between messages.
function tick() {
  for (const tile of tiles.querySelectorAll('[data-queue]')) {
    const since = oldest.get(tile.dataset.queue);
    if (since !== undefined) set(tile, 'longest_wait', duration((Date.now() - since) / 1000));
  }
  if (agentsList) {
    for (const li of agentsList.querySelectorAll('[data-since]')) {
      const time = li.querySelector('[data-field="in_state"]');
      const since = Number(li.dataset.since);
      if (time && since > 0) time.textContent = duration((Date.now() - since) / 1000);
    }
  }
}

function connect(delay) {
  const url = new URL('/staff/ws/wallboard', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  socket.addEventListener('open', () => { delay = 1000; });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'wallboard') update(message);
  });
  socket.addEventListener('close', () => {
    status.textContent = words.lost;
    setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
  });
}

if (tiles && status && wordsEl && 'WebSocket' in window) {
  connect(1000);
  setInterval(tick, 1000);
}
