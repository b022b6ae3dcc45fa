// The sandbox's single-page helpdesk (ES module), built after Zendesk Agent Workspace:
// - a ticket tab bar: `[data-test-id="header-tablist"]` with one `header-tab` (`header-tab-title`,
//   `header-tab-subtitle`, `close-button`) per opened ticket, the data-test-ids a public Zendesk
//   userscript reads (holatuwol/liferay-zendesk-userscript, src/main.ts, 2025-08). Opening a ticket is a
//   `history.pushState`; back and forward are `popstate`.
// - one workspace per opened ticket, `div[data-side-conversations-anchor-id="<ticket id>"]` (same
//   source: the element holding one ticket's header, conversation log and composer). Every opened
//   ticket's workspace stays mounted; the inactive ones are hidden with `display: none`.
// - the app is late, as a real one is: the URL changes first, the visible workspace swaps after
//   `swapMs`, a new workspace's content renders after `renderMs` (GET /api/sandbox/ui, set with
//   POST /__sandbox/delays); the ticket API answers after `ticketApiMs` (server side).
// - a failed social message also raises a toast in the upper right (Zendesk help: the error shows
//   "in the upper-right portion of the agent interface"), in Garden's Notification markup
//   (`role="alert"`, `data-garden-id="notifications.notification"`: zendeskgarden/react-components,
//   packages/notifications), and an entry in the ticket's events log, which stays.
// Untrusted text only ever goes through textContent / createElement, never innerHTML.

const boot = JSON.parse(document.getElementById('sandbox-boot')?.textContent || '{}');
const lang = boot.lang === 'de' ? 'de' : 'en';
const UI = boot.ui;
const marker = boot.marker || 'default';
const virtualLog = boot.log === 'virtual';
const VIRTUAL_RENDER_MS = 300;
const TOAST_MS = 8000;
/** Kept across in-app navigation: the language and the markup variants. */
const query = location.search;
const toastChoice = new URLSearchParams(location.search).get('toast');

const LABELS = {
  en: {
    pending: 'Sending…',
    delivered: 'Delivered',
    failedIcon: 'Message failed to send',
    notDelivered: 'Not delivered',
    undelivered: 'Undelivered',
    errorPrefix: 'Error:',
    errorCode: 'Error code',
    subcode: 'subcode',
    timeout: 'Request timed out',
    internal: 'Internal note',
    sendFailed: 'Could not reach the server. Your text was put back in the composer.',
    eventFailed: 'Message failed to send',
    eventLate: 'Message delivered after an earlier failure',
    // How Zendesk words its failure toast is not public: three wordings, one of them without the ticket number.
    toasts: [
      { title: 'Message not delivered', body: 'Ticket #{id}: your reply to {name} via {via} could not be delivered.' },
      { title: "Couldn't send message", body: "Your reply to {name} wasn't sent. Try again later." },
      { title: 'Delivery failed', body: '{via} returned an error for ticket #{id}.' },
    ],
  },
  de: {
    pending: 'Wird gesendet …',
    delivered: 'Zugestellt',
    failedIcon: 'Nachricht konnte nicht gesendet werden',
    notDelivered: 'Nicht zugestellt',
    undelivered: 'Unzustellbar',
    errorPrefix: 'Fehler:',
    errorCode: 'Fehlercode',
    subcode: 'Subcode',
    timeout: 'Zeitüberschreitung der Anfrage',
    internal: 'Interne Notiz',
    sendFailed: 'Server nicht erreichbar. Ihr Text wurde wieder in den Editor eingefügt.',
    eventFailed: 'Nachricht konnte nicht gesendet werden',
    eventLate: 'Nachricht nach einem Fehler doch zugestellt',
    toasts: [
      { title: 'Nachricht nicht zugestellt', body: 'Ticket #{id}: Ihre Antwort an {name} über {via} konnte nicht zugestellt werden.' },
      { title: 'Senden fehlgeschlagen', body: 'Ihre Antwort an {name} wurde nicht gesendet. Versuchen Sie es später erneut.' },
      { title: 'Zustellung fehlgeschlagen', body: '{via} hat für Ticket #{id} einen Fehler gemeldet.' },
    ],
  },
};
const L = LABELS[lang];

const summaries = new Map((boot.tickets || []).map((t) => [t.id, t]));
const tablist = document.querySelector('[data-test-id="header-tablist"]');
const workspacesEl = document.querySelector('[data-test-id="workspaces"]');
const toaster = document.querySelector('[data-test-id="toaster"]');

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children || []) node.append(child);
  return node;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function uiDelays() {
  try {
    const res = await fetch('/api/sandbox/ui', { headers: { accept: 'application/json' } });
    if (res.ok) return (await res.json()).delays;
  } catch {
    // The sandbox is gone (a test tearing down): no delays.
  }
  return { ticketApiMs: 0, renderMs: 0, swapMs: 0 };
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

/** `?marker=text` / `?marker=undelivered`: the status is plain text only; no attribute, no icon. */
function renderTextStatus(msg) {
  if (msg.status === 'pending') return el('div', { class: 'msg-status' }, [el('span', {}, [L.pending])]);
  if (msg.status === 'delivered') return el('div', { class: 'msg-status' }, [el('span', {}, [L.delivered])]);
  return el('div', { class: 'msg-status' }, [
    el('span', { class: 'msg-status__label' }, [marker === 'undelivered' ? L.undelivered : L.notDelivered]),
    ' ',
    el('span', { class: 'msg-status__prefix' }, [L.errorPrefix]),
    ' ',
    el('span', { class: 'msg-status__detail' }, [errorDetail(msg.error)]),
  ]);
}

function renderDefaultStatus(msg) {
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

/** The status element of a message, or null where this variant shows none (`marker=none`: no failure marker at all). */
function renderStatus(msg) {
  if (marker === 'icon') return renderIconStatus(msg);
  if (marker === 'text' || marker === 'undelivered') return renderTextStatus(msg);
  if (marker === 'none' && msg.status === 'failed') return null;
  return renderDefaultStatus(msg);
}

/** Status attribute on the article: in the default markup, and in `marker=none` except for a failure. */
function deliveryAttribute(msg) {
  if (!msg.status) return null;
  if (marker === 'default') return msg.status;
  if (marker === 'none' && msg.status !== 'failed') return msg.status;
  return null;
}

function formatTime(iso) {
  const date = new Date(iso);
  return date.toLocaleTimeString(lang === 'de' ? 'de-DE' : 'en-US', { hour: '2-digit', minute: '2-digit' });
}

/**
 * A message's text as the helpdesk shows it: `[words](https://…)` becomes a link. Links carry
 * an aria-label, so a reply's own words ("our Not delivered FAQ") sit in the log next to real status labels.
 */
function renderContent(text) {
  const parts = [];
  const link = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]{1,500})\)/g;
  let last = 0;
  for (let m = link.exec(text); m; m = link.exec(text)) {
    parts.push(text.slice(last, m.index));
    parts.push(el('a', { href: m[2], 'aria-label': m[1], target: '_blank', rel: 'noopener' }, [m[1]]));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts.filter((p) => p !== '');
}

function renderArticle(msg) {
  const attrs = {
    'data-test-id': 'omni-log-item-message',
    type: msg.author,
    'data-message-id': msg.id,
    class: `log-item log-item--${msg.author}${msg.internal ? ' log-item--internal' : ''}`,
  };
  if (msg.internal) attrs['data-internal'] = 'true';
  const delivery = deliveryAttribute(msg);
  if (delivery) attrs['data-delivery-status'] = delivery;
  const head = el('div', { class: 'log-item__head' }, [
    el('span', { 'data-test-id': 'omni-log-item-sender', class: 'log-item__sender' }, [msg.senderName]),
    el('time', { datetime: msg.createdAt, class: 'log-item__time' }, [formatTime(msg.createdAt)]),
  ]);
  if (msg.internal) head.append(el('span', { class: 'badge badge--internal' }, [L.internal]));
  const article = el('article', attrs, [
    head,
    el('div', { 'data-test-id': 'omni-log-message-content', class: 'log-item__content' }, renderContent(msg.text)),
  ]);
  const status = msg.status ? renderStatus(msg) : null;
  if (status) article.append(status);
  return article;
}

function initials(name) {
  return name
    .split(/\s+/)
    .map((part) => part.charAt(0))
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

let toastCount = 0;

/** A failure toast in the upper right, as the helpdesk raises it for a social message that failed. */
function showFailureToast(ticket) {
  const index = toastChoice !== null && L.toasts[Number(toastChoice)] ? Number(toastChoice) : toastCount++ % L.toasts.length;
  const words = L.toasts[index];
  const fill = (text) => text.replace('{id}', String(ticket.id)).replace('{name}', ticket.name).replace('{via}', ticket.via);
  const close = el('button', { type: 'button', class: 'toast__close', 'aria-label': UI.close }, ['×']);
  const toast = el(
    'div',
    {
      role: 'alert',
      'data-garden-id': 'notifications.notification',
      class: 'toast c-callout c-callout--dialog c-callout--error',
    },
    [
      el('strong', { 'data-garden-id': 'notifications.title', class: 'toast__title' }, [fill(words.title)]),
      el('p', { 'data-garden-id': 'notifications.paragraph', class: 'toast__body' }, [fill(words.body)]),
      close,
    ],
  );
  close.addEventListener('click', () => toast.remove());
  toaster.append(toast);
  setTimeout(() => toast.remove(), TOAST_MS);
}

/** One opened ticket: its workspace element, its log's model, its composer's model and its live updates. */
class Workspace {
  constructor(summary) {
    this.ticket = summary;
    this.id = summary.id;
    this.api = `/api/sandbox/tickets/${summary.id}`;
    this.draft = '';
    this.internal = false;
    /** message id -> version rendered, so a late stale copy never overwrites a newer one. */
    this.versions = new Map();
    /** message id -> latest message, in log order: what the virtualized log renders from. */
    this.store = new Map();
    this.renderPass = 0;
    this.closed = false;
    this.el = el('div', {
      class: 'workspace',
      'data-side-conversations-anchor-id': String(summary.id),
      'data-test-id': 'ticket-workspace',
    });
    this.el.append(el('p', { class: 'workspace__loading' }, [UI.loading]));
  }

  /** The workspace's content, after the app's render delay (the URL has already changed). */
  async render(renderMs) {
    if (renderMs > 0) await sleep(renderMs);
    if (this.closed) return;
    const t = UI;
    const ticket = this.ticket;
    this.log = el('div', { 'data-test-id': 'omni-log-container', role: 'log', 'aria-live': 'polite', class: 'log' });
    this.composer = el('div', {
      'data-test-id': 'omnicomposer-rich-text',
      class: 'composer__editor',
      contenteditable: 'true',
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-label': t.compose,
      'data-placeholder': t.placeholder,
    });
    this.publicButton = el(
      'button',
      { type: 'button', 'data-test-id': 'omnicomposer-mode-public', class: 'mode mode--active', 'aria-pressed': 'true' },
      [t.public],
    );
    this.internalButton = el(
      'button',
      { type: 'button', 'data-test-id': 'omnicomposer-mode-internal', class: 'mode', 'aria-pressed': 'false' },
      [t.internal],
    );
    this.sendButton = el('button', { 'data-test-id': 'omnichannel-send-button', type: 'button', class: 'btn btn--primary' }, [t.send]);
    this.eventsList = el('ol', { class: 'events__list' });
    const header = el('header', { 'data-test-id': 'ticket-header', class: 'ticket-header' }, [
      el('div', { class: 'ticket-header__title' }, [
        el('h1', { 'data-test-id': 'ticket-subject' }, [ticket.subject]),
        el('span', { class: 'badge badge--open' }, [t.open]),
      ]),
      el('div', { class: 'ticket-header__meta' }, [
        el('span', { class: 'avatar', 'aria-hidden': 'true' }, [initials(ticket.name)]),
        el('span', { 'data-test-id': 'ticket-requester-name', class: 'ticket-header__name' }, [ticket.name]),
        el('span', { class: 'ticket-header__via' }, [`${t.via} `, el('span', { 'data-test-id': 'omni-header-via-label' }, [ticket.via])]),
        el('span', { class: 'ticket-header__id' }, [`${t.ticket} #${ticket.id}`]),
      ]),
    ]);
    const composerBox = el('div', { class: 'composer', 'data-test-id': 'omnicomposer' }, [
      el('div', { class: 'composer__modes', role: 'group', 'aria-label': `${t.public} / ${t.internal}` }, [
        this.publicButton,
        this.internalButton,
      ]),
      this.composer,
      el('div', { class: 'composer__footer' }, [el('span', { class: 'composer__hint' }, [t.hint]), this.sendButton]),
    ]);
    const conversation = el('section', { class: 'conversation', 'aria-label': t.conversation }, [header, this.log, composerBox]);
    const aside = el('aside', { class: 'context', 'aria-label': t.customer }, [
      el('h2', {}, [t.customer]),
      el('dl', {}, [
        el('dt', {}, [t.requester]),
        el('dd', {}, [ticket.name]),
        el('dt', {}, [t.channel]),
        el('dd', {}, [ticket.via]),
        el('dt', {}, [t.assignee]),
        el('dd', {}, [boot.agentName]),
      ]),
      el('section', { class: 'events', 'data-test-id': 'ticket-events', 'aria-label': t.events }, [
        el('h2', {}, [t.events]),
        this.eventsList,
      ]),
    ]);
    this.el.replaceChildren(el('div', { class: 'workspace__inner' }, [conversation, aside]));

    this.composer.addEventListener('input', () => {
      // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the editor's line breaks, as a real editor model does.
      this.draft = this.composer.innerText.trim();
    });
    this.composer.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.send();
      }
    });
    this.sendButton.addEventListener('click', () => void this.send());
    this.publicButton.addEventListener('click', () => this.setMode(false));
    this.internalButton.addEventListener('click', () => this.setMode(true));

    void this.loadMessages();
    if (virtualLog) this.virtualTimer = setInterval(() => this.renderVirtual(true), VIRTUAL_RENDER_MS);
  }

  close() {
    this.closed = true;
    if (this.virtualTimer) clearInterval(this.virtualTimer);
    this.el.remove();
  }

  setMode(toInternal) {
    this.internal = toInternal;
    this.publicButton.classList.toggle('mode--active', !toInternal);
    this.internalButton.classList.toggle('mode--active', toInternal);
    this.publicButton.setAttribute('aria-pressed', String(!toInternal));
    this.internalButton.setAttribute('aria-pressed', String(toInternal));
    this.composer.classList.toggle('composer__editor--internal', toInternal);
  }

  findArticle(id) {
    for (const article of this.log.querySelectorAll('[data-test-id="omni-log-item-message"]')) {
      if (article.getAttribute('data-message-id') === id) return article;
    }
    return null;
  }

  /**
   * `?log=virtual`: renders every message as a new element (same data-message-id) each pass.
   * Every third pass one message is left out (scrolled out of the window) and every other pass
   * one agent reply is rendered twice (a stale overscan copy), as virtualized lists do.
   */
  renderVirtual(churn) {
    this.renderPass++;
    const all = [...this.store.values()];
    const agents = all.filter((m) => m.author === 'agent');
    const skipped = churn && this.renderPass % 3 === 0 && all.length > 1 ? all[this.renderPass % all.length] : null;
    const doubled = churn && this.renderPass % 2 === 0 && agents.length > 0 ? agents[this.renderPass % agents.length] : null;
    const nodes = [];
    for (const msg of all) {
      if (msg === skipped) continue;
      nodes.push(renderArticle(msg));
      if (msg === doubled) nodes.push(renderArticle(msg));
    }
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
    this.log.replaceChildren(...nodes);
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  /** Adds a message or updates its status in place (the article itself stays, like a real SPA log). */
  upsert(msg, live) {
    if (!msg || typeof msg.id !== 'string') return;
    const known = this.versions.get(msg.id);
    if (known !== undefined && known >= msg.version) return;
    const before = this.store.get(msg.id);
    this.versions.set(msg.id, msg.version);
    this.store.set(msg.id, msg);
    // A live failure (pending → failed while the app is open) raises the toast; old failures do not.
    if (live && msg.status === 'failed' && before && before.status !== 'failed') showFailureToast(this.ticket);
    if (virtualLog) {
      this.renderVirtual(false);
      if (msg.author === 'agent') this.log.scrollTop = this.log.scrollHeight;
      return;
    }
    const existing = this.findArticle(msg.id);
    if (!existing) {
      const nearBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
      this.log.append(renderArticle(msg));
      if (nearBottom || msg.author === 'agent') this.log.scrollTop = this.log.scrollHeight;
      return;
    }
    const delivery = deliveryAttribute(msg);
    if (delivery) existing.setAttribute('data-delivery-status', delivery);
    else existing.removeAttribute('data-delivery-status');
    const old = existing.querySelector(':scope > .msg-status');
    const status = msg.status ? renderStatus(msg) : null;
    if (old && status) old.replaceWith(status);
    else if (old) old.remove();
    else if (status) existing.append(status);
  }

  addEvent(event) {
    if (!event || typeof event.id !== 'string' || this.eventsList.querySelector(`[data-event-id="${CSS.escape(event.id)}"]`)) return;
    const text = event.kind === 'failed' ? `${L.eventFailed} (${this.ticket.via})${event.detail ? `: ${event.detail}` : ''}` : L.eventLate;
    this.eventsList.append(
      el('li', { class: `event event--${event.kind}`, 'data-event-id': event.id }, [
        el('time', { datetime: event.at, class: 'event__time' }, [formatTime(event.at)]),
        ' ',
        el('span', { class: 'event__text' }, [text]),
      ]),
    );
  }

  async loadMessages() {
    const res = await fetch(`${this.api}/messages`, { headers: { accept: 'application/json' } }).catch(() => null);
    if (!res?.ok || this.closed) return;
    const body = await res.json();
    for (const msg of body.messages) this.upsert(msg, false);
    for (const event of body.events ?? []) this.addEvent(event);
  }

  resetLog() {
    this.versions.clear();
    this.store.clear();
    this.log.replaceChildren();
    this.eventsList.replaceChildren();
    void this.loadMessages();
  }

  async loadMessage(id) {
    try {
      const res = await fetch(`${this.api}/messages/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' } });
      if (res.ok) this.upsert((await res.json()).message, false);
    } catch {
      // The status event already showed the failure; the details are optional.
    }
  }

  async send() {
    const text = this.draft;
    if (!text) return;
    this.composer.textContent = '';
    this.draft = '';
    try {
      const res = await fetch(`${this.api}/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ text, internal: this.internal }),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = await res.json();
      this.upsert(body.message, true);
    } catch {
      // Never lose the agent's text: put it back (and into the model) if the helpdesk could not take it.
      this.composer.textContent = text;
      this.draft = text;
      this.showNotice(L.sendFailed);
    }
  }

  showNotice(text) {
    const notice = el('div', { class: 'notice', role: 'status' }, [text]);
    this.log.after(notice);
    setTimeout(() => notice.remove(), 5000);
  }
}

// ---- The app: tabs, views, navigation ----

/** ticket id -> its mounted workspace, in the order the tickets were opened. */
const workspaces = new Map();
let views = null;
let active = null;
let navSeq = 0;

function ticketFromPath(pathname) {
  const match = /^\/agent\/tickets\/(\d+)\/?$/.exec(pathname);
  return match ? Number(match[1]) : null;
}

function pathFor(id) {
  return id === null ? `/agent/dashboard${query}` : `/agent/tickets/${id}${query}`;
}

function renderViews() {
  const rows = [...summaries.values()].map((t) =>
    el('tr', {}, [
      el('td', {}, [el('a', { href: pathFor(t.id), 'data-app-link': 'ticket', 'data-ticket-id': String(t.id) }, [`#${t.id}`])]),
      el('td', {}, [t.subject]),
      el('td', {}, [t.name]),
      el('td', {}, [t.via]),
    ]),
  );
  return el('div', { class: 'views', 'data-test-id': 'views-dashboard' }, [
    el('h1', {}, [UI.views]),
    el('table', { class: 'table' }, [
      el('thead', {}, [
        el('tr', {}, [el('th', {}, [UI.ticket]), el('th', {}, [UI.subject]), el('th', {}, [UI.customer]), el('th', {}, [UI.channel])]),
      ]),
      el('tbody', {}, rows),
    ]),
  ]);
}

function renderTabs() {
  const tabs = [...workspaces.values()].map((ws) => {
    const selected = ws.id === active;
    const close = el('button', { type: 'button', 'data-test-id': 'close-button', class: 'tab__close', 'aria-label': UI.closeTab }, ['×']);
    close.addEventListener('click', (event) => {
      event.stopPropagation();
      closeTicket(ws.id);
    });
    const tab = el(
      'div',
      {
        'data-test-id': 'header-tab',
        role: 'tab',
        tabindex: '0',
        class: `tab${selected ? ' tab--active' : ''}`,
        'aria-selected': String(selected),
        'data-ticket-id': String(ws.id),
      },
      [
        el('div', { 'data-test-id': 'header-tab-title', class: 'tab__title' }, [ws.ticket.subject]),
        el('div', { 'data-test-id': 'header-tab-subtitle', class: 'tab__subtitle' }, [`#${ws.id} ${ws.ticket.name}`]),
        close,
      ],
    );
    tab.addEventListener('click', () => void navigate(ws.id, true));
    tab.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') void navigate(ws.id, true);
    });
    return tab;
  });
  tablist.replaceChildren(...tabs);
}

/** Shows one ticket's workspace (mounting it on first open) or the views list; hides every other. */
function activate(id, delays) {
  active = id !== null && summaries.has(id) ? id : null;
  if (active !== null && !workspaces.has(active)) {
    const ws = new Workspace(summaries.get(active));
    workspaces.set(active, ws);
    workspacesEl.append(ws.el);
    void ws.render(delays.renderMs);
  }
  for (const ws of workspaces.values()) ws.el.style.display = ws.id === active ? '' : 'none';
  if (active === null && !views) {
    views = renderViews();
    workspacesEl.prepend(views);
  }
  if (views) views.style.display = active === null ? '' : 'none';
  const summary = active !== null ? summaries.get(active) : null;
  document.title = summary ? `${summary.subject} – ${UI.ticket} #${summary.id} – ${UI.title}` : `${UI.views} – ${UI.title}`;
  renderTabs();
}

/** In-app navigation: the URL changes first; the visible workspace follows after the app's delay. */
async function navigate(id, push) {
  const seq = ++navSeq;
  if (push) {
    if (ticketFromPath(location.pathname) === id && id !== null) return;
    history.pushState({ ticket: id }, '', pathFor(id));
  }
  const delays = await uiDelays();
  if (delays.swapMs > 0) await sleep(delays.swapMs);
  if (seq === navSeq) activate(id, delays);
}

function closeTicket(id) {
  const ws = workspaces.get(id);
  if (!ws) return;
  ws.close();
  workspaces.delete(id);
  if (active === id) {
    const next = [...workspaces.keys()].at(-1) ?? null;
    void navigate(next, true);
  } else renderTabs();
}

/**
 * Live updates for every opened ticket over one stream, as a single-page app keeps one connection
 * (a browser allows six per host over HTTP/1.1: one per workspace would starve the app's requests).
 */
function connectEvents() {
  const events = new EventSource('/api/sandbox/events');
  const rendered = (id) => {
    const ws = workspaces.get(Number(id));
    return ws?.log ? ws : null;
  };
  // (Re)load after every (re)connect so nothing missed while disconnected stays stale.
  events.addEventListener('open', () => {
    for (const ws of workspaces.values()) if (ws.log) void ws.loadMessages();
  });
  events.addEventListener('message', (event) => {
    try {
      const msg = JSON.parse(event.data);
      const ws = rendered(msg.ticketId);
      if (!ws) return;
      ws.upsert(msg, true);
      // Like real helpdesks, fetch a failed reply's details (the provider's error) over plain HTTP.
      if (msg.status === 'failed') void ws.loadMessage(msg.id);
    } catch {
      // Ignore malformed frames; the next reload fixes the view.
    }
  });
  events.addEventListener('ticket-event', (event) => {
    try {
      const entry = JSON.parse(event.data);
      rendered(entry.ticketId)?.addEvent(entry);
    } catch {
      // As above: the next reload lists it.
    }
  });
  events.addEventListener('reset', () => {
    for (const ws of workspaces.values()) if (ws.log) ws.resetLog();
  });
}

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-app-link]') : null;
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  const id = link.getAttribute('data-app-link') === 'ticket' ? Number(link.getAttribute('data-ticket-id')) : null;
  void navigate(id, true);
});
window.addEventListener('popstate', () => void navigate(ticketFromPath(location.pathname), false));

connectEvents();
void uiDelays().then((delays) => activate(ticketFromPath(location.pathname), delays));
