// Ticket page (ES module): renders the conversation log, keeps it live over SSE, and runs the composer.
// Untrusted text only ever goes through textContent / createElement, never innerHTML.
const LABELS = {
  en: {
    pending: 'Sending…',
    delivered: 'Delivered',
    failedIcon: 'Message failed to send',
    notDelivered: 'Not delivered',
    errorPrefix: 'Error:',
    errorCode: 'Error code',
    subcode: 'subcode',
    timeout: 'Request timed out',
    internal: 'Internal note',
    sendFailed: 'Could not reach the server. Your text was put back in the composer.',
  },
  de: {
    pending: 'Wird gesendet …',
    delivered: 'Zugestellt',
    failedIcon: 'Nachricht konnte nicht gesendet werden',
    notDelivered: 'Nicht zugestellt',
    errorPrefix: 'Fehler:',
    errorCode: 'Fehlercode',
    subcode: 'Subcode',
    timeout: 'Zeitüberschreitung der Anfrage',
    internal: 'Interne Notiz',
    sendFailed: 'Server nicht erreichbar. Ihr Text wurde wieder in den Editor eingefügt.',
  },
};

const lang = document.documentElement.lang === 'de' ? 'de' : 'en';
const L = LABELS[lang];
const ticketId = document.body.dataset.ticketId;
// Variants (pages.ts): how a failed reply is marked, and whether the log re-renders like a virtualized list.
const marker = document.body.dataset.marker || 'default';
const virtualLog = document.body.dataset.log === 'virtual';
const VIRTUAL_RENDER_MS = 300;
const api = `/api/sandbox/tickets/${ticketId}`;
const log = document.querySelector('[data-test-id="omni-log-container"]');
const composer = document.querySelector('[data-test-id="omnicomposer-rich-text"]');
const sendButton = document.querySelector('[data-test-id="omnichannel-send-button"]');
const publicButton = document.querySelector('[data-test-id="omnicomposer-mode-public"]');
const internalButton = document.querySelector('[data-test-id="omnicomposer-mode-internal"]');

// The editor's own model: like a real rich-text editor it only learns about text through input events.
let draft = '';
let internal = false;
/** message id -> version rendered, so a late stale copy never overwrites a newer one. */
const versions = new Map();
/** message id -> latest message, in log order: what the virtualized log renders from. */
const store = new Map();
let renderPass = 0;

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children || []) node.append(child);
  return node;
}

function errorDetail(error) {
  if (!error) return '';
  if (error.timedOut) return L.timeout;
  if (error.code === null || error.code === undefined) return error.message;
  const sub = error.subcode !== null && error.subcode !== undefined ? `, ${L.subcode} ${error.subcode}` : '';
  return `${L.errorCode} ${error.code}${sub}: ${error.message}`;
}

/** `?marker=icon`: the status is one icon with an aria-label; no status attribute, no label text. */
function renderIconStatus(msg) {
  const label = msg.status === 'failed' ? L.failedIcon : msg.status === 'delivered' ? L.delivered : L.pending;
  const glyph = msg.status === 'failed' ? '!' : msg.status === 'delivered' ? '✓' : '…';
  const icon = el('span', { role: 'img', 'aria-label': label, class: 'icon' }, [glyph]);
  if (msg.status === 'failed') icon.style.cssText = 'background:#cc3340;color:#fff';
  return el('div', { class: 'msg-status' }, [icon]);
}

/** `?marker=text`: the status is plain text only; no attribute, no icon. */
function renderTextStatus(msg) {
  if (msg.status === 'pending') return el('div', { class: 'msg-status' }, [el('span', {}, [L.pending])]);
  if (msg.status === 'delivered') return el('div', { class: 'msg-status' }, [el('span', {}, [L.delivered])]);
  return el('div', { class: 'msg-status' }, [
    el('span', { class: 'msg-status__label' }, [L.notDelivered]),
    ' ',
    el('span', { class: 'msg-status__prefix' }, [L.errorPrefix]),
    ' ',
    el('span', { class: 'msg-status__detail' }, [errorDetail(msg.error)]),
  ]);
}

function renderStatus(msg) {
  if (marker === 'icon') return renderIconStatus(msg);
  if (marker === 'text') return renderTextStatus(msg);
  const status = el('div', {
    'data-test-id': 'omni-log-message-status',
    'data-status': msg.status,
    class: `msg-status msg-status--${msg.status}`,
  });
  if (msg.status === 'pending') {
    status.append(el('span', { class: 'spinner', 'aria-hidden': 'true' }), el('span', {}, [L.pending]));
  } else if (msg.status === 'delivered') {
    status.append(el('span', { role: 'img', 'aria-label': L.delivered, class: 'icon icon--ok' }, ['✓']), el('span', {}, [L.delivered]));
  } else if (msg.status === 'failed') {
    status.append(
      el('span', { role: 'img', 'aria-label': L.failedIcon, 'data-test-id': 'omni-log-message-failed-icon', class: 'icon icon--failed' }, [
        '!',
      ]),
      el('span', { 'data-test-id': 'omni-log-message-failed-label', class: 'msg-status__label' }, [L.notDelivered]),
      el('span', { class: 'msg-status__prefix' }, [L.errorPrefix]),
      el('span', { 'data-test-id': 'omni-log-message-error', class: 'msg-status__detail' }, [errorDetail(msg.error)]),
    );
  }
  return status;
}

function formatTime(iso) {
  const date = new Date(iso);
  return date.toLocaleTimeString(lang === 'de' ? 'de-DE' : 'en-US', { hour: '2-digit', minute: '2-digit' });
}

function renderArticle(msg) {
  const attrs = {
    'data-test-id': 'omni-log-item-message',
    type: msg.author,
    'data-message-id': msg.id,
    class: `log-item log-item--${msg.author}${msg.internal ? ' log-item--internal' : ''}`,
  };
  if (msg.internal) attrs['data-internal'] = 'true';
  if (msg.status && marker === 'default') attrs['data-delivery-status'] = msg.status;
  const head = el('div', { class: 'log-item__head' }, [
    el('span', { 'data-test-id': 'omni-log-item-sender', class: 'log-item__sender' }, [msg.senderName]),
    el('time', { datetime: msg.createdAt, class: 'log-item__time' }, [formatTime(msg.createdAt)]),
  ]);
  if (msg.internal) head.append(el('span', { class: 'badge badge--internal' }, [L.internal]));
  const article = el('article', attrs, [
    head,
    el('div', { 'data-test-id': 'omni-log-message-content', class: 'log-item__content' }, [msg.text]),
  ]);
  if (msg.status) article.append(renderStatus(msg));
  return article;
}

function findArticle(id) {
  for (const article of log.querySelectorAll('[data-test-id="omni-log-item-message"]')) {
    if (article.getAttribute('data-message-id') === id) return article;
  }
  return null;
}

/**
 * `?log=virtual`: renders every message as a new element (same data-message-id) each pass.
 * Every third pass one message is left out (scrolled out of the window) and every other pass
 * one agent reply is rendered twice (a stale overscan copy), as virtualized lists do.
 */
function renderVirtual(churn) {
  renderPass++;
  const all = [...store.values()];
  const agents = all.filter((m) => m.author === 'agent');
  const skipped = churn && renderPass % 3 === 0 && all.length > 1 ? all[renderPass % all.length] : null;
  const doubled = churn && renderPass % 2 === 0 && agents.length > 0 ? agents[renderPass % agents.length] : null;
  const nodes = [];
  for (const msg of all) {
    if (msg === skipped) continue;
    nodes.push(renderArticle(msg));
    if (msg === doubled) nodes.push(renderArticle(msg));
  }
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  log.replaceChildren(...nodes);
  if (atBottom) log.scrollTop = log.scrollHeight;
}

/** Adds a message or updates its status in place (the article itself stays, like a real SPA log). */
function upsert(msg) {
  if (!msg || typeof msg.id !== 'string') return;
  const known = versions.get(msg.id);
  if (known !== undefined && known >= msg.version) return;
  versions.set(msg.id, msg.version);
  store.set(msg.id, msg);
  if (virtualLog) {
    renderVirtual(false);
    if (msg.author === 'agent') log.scrollTop = log.scrollHeight;
    return;
  }
  const existing = findArticle(msg.id);
  if (!existing) {
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    log.append(renderArticle(msg));
    if (nearBottom || msg.author === 'agent') log.scrollTop = log.scrollHeight;
    return;
  }
  if (msg.status && marker === 'default') existing.setAttribute('data-delivery-status', msg.status);
  const old = existing.querySelector(':scope > .msg-status');
  if (old && msg.status) old.replaceWith(renderStatus(msg));
  else if (msg.status) existing.append(renderStatus(msg));
}

async function loadMessages() {
  const res = await fetch(`${api}/messages`, { headers: { accept: 'application/json' } });
  if (!res.ok) return;
  const body = await res.json();
  for (const msg of body.messages) upsert(msg);
}

function resetLog() {
  versions.clear();
  store.clear();
  log.replaceChildren();
  void loadMessages();
}

async function loadMessage(id) {
  try {
    const res = await fetch(`${api}/messages/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' } });
    if (res.ok) upsert((await res.json()).message);
  } catch {
    // The status event already showed the failure; the details are optional.
  }
}

function connectEvents() {
  const events = new EventSource(`${api}/events`);
  // (Re)load after every (re)connect so nothing missed while disconnected stays stale.
  events.addEventListener('open', () => void loadMessages());
  events.addEventListener('message', (event) => {
    try {
      const msg = JSON.parse(event.data);
      upsert(msg);
      // Like real helpdesks, fetch a failed reply's details (the provider's error) over plain HTTP.
      if (msg.status === 'failed') void loadMessage(msg.id);
    } catch {
      // Ignore malformed frames; the next reload fixes the view.
    }
  });
  events.addEventListener('reset', resetLog);
}

function setMode(toInternal) {
  internal = toInternal;
  publicButton.classList.toggle('mode--active', !internal);
  internalButton.classList.toggle('mode--active', internal);
  publicButton.setAttribute('aria-pressed', String(!internal));
  internalButton.setAttribute('aria-pressed', String(internal));
  composer.classList.toggle('composer__editor--internal', internal);
}

async function send() {
  const text = draft;
  if (!text) return;
  composer.textContent = '';
  draft = '';
  try {
    const res = await fetch(`${api}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ text, internal }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    upsert(body.message);
  } catch {
    // Never lose the agent's text: put it back (and into the model) if the helpdesk could not take it.
    composer.textContent = text;
    draft = text;
    showNotice(L.sendFailed);
  }
}

function showNotice(text) {
  const notice = el('div', { class: 'notice', role: 'status' }, [text]);
  log.after(notice);
  setTimeout(() => notice.remove(), 5000);
}

composer.addEventListener('input', () => {
  // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the editor's line breaks, as a real editor model does.
  draft = composer.innerText.trim();
});
composer.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    void send();
  }
});
sendButton.addEventListener('click', () => void send());
publicButton.addEventListener('click', () => setMode(false));
internalButton.addEventListener('click', () => setMode(true));

void loadMessages();
connectEvents();
if (virtualLog) setInterval(() => renderVirtual(true), VIRTUAL_RENDER_MS);
