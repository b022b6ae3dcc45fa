// Server-rendered HTML shells; the conversation itself is rendered by public/ticket.js.
import { AGENT_NAME, viaLabel } from './tickets.js';
import type { Lang, Ticket } from './types.js';

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const UI: Record<Lang, Record<string, string>> = {
  en: {
    title: 'Agent Workspace',
    views: 'Views',
    ticket: 'Ticket',
    open: 'Open',
    requester: 'Requester',
    channel: 'Channel',
    assignee: 'Assignee',
    via: 'via',
    public: 'Public reply',
    internal: 'Internal note',
    compose: 'Compose reply',
    placeholder: 'Type your reply…',
    send: 'Send',
    hint: 'Ctrl+Enter to send',
    conversation: 'Conversation',
    customer: 'Customer',
  },
  de: {
    title: 'Agent Workspace',
    views: 'Ansichten',
    ticket: 'Ticket',
    open: 'Offen',
    requester: 'Anfragender',
    channel: 'Kanal',
    assignee: 'Zugewiesen an',
    via: 'über',
    public: 'Öffentliche Antwort',
    internal: 'Interne Notiz',
    compose: 'Antwort verfassen',
    placeholder: 'Antwort eingeben …',
    send: 'Senden',
    hint: 'Strg+Enter zum Senden',
    conversation: 'Unterhaltung',
    customer: 'Kunde',
  },
};

/**
 * Page variants that prove detection does not hang on one cue (query `?marker=`, `?log=`):
 * `marker=icon` marks a failed reply only with an icon's aria-label, `marker=text` only with
 * plain text; `log=virtual` re-renders the log every 300 ms like a virtualized list.
 */
export const MARKER_VARIANTS = ['default', 'icon', 'text'] as const;
export type MarkerVariant = (typeof MARKER_VARIANTS)[number];
export const LOG_VARIANTS = ['default', 'virtual'] as const;
export type LogVariant = (typeof LOG_VARIANTS)[number];
export interface PageVariant {
  marker: MarkerVariant;
  log: LogVariant;
}

/** Reads the variant from a ticket page's query; unknown values fall back to the default markup. */
export function parseVariant(params: URLSearchParams): PageVariant {
  const marker = params.get('marker');
  const log = params.get('log');
  return {
    marker: (MARKER_VARIANTS as readonly string[]).includes(marker ?? '') ? (marker as MarkerVariant) : 'default',
    log: (LOG_VARIANTS as readonly string[]).includes(log ?? '') ? (log as LogVariant) : 'default',
  };
}

/** The query that keeps a variant (and the language) when moving between tickets. */
function variantQuery(variant: PageVariant, lang: Lang | null): string {
  const params = new URLSearchParams();
  if (lang) params.set('lang', lang);
  if (variant.marker !== 'default') params.set('marker', variant.marker);
  if (variant.log !== 'default') params.set('log', variant.log);
  const query = params.toString();
  return query ? `?${query}` : '';
}

function layout(lang: Lang, title: string, body: string, bodyAttrs = '', script = ''): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/public/sandbox.css">
</head>
<body${bodyAttrs}>
${body}
${script ? `<script type="module" src="${script}"></script>` : ''}
</body>
</html>
`;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part.charAt(0))
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

export function ticketPage(
  ticket: Ticket,
  lang: Lang,
  allTickets: Ticket[],
  variant: PageVariant = { marker: 'default', log: 'default' },
): string {
  const t = UI[lang];
  const via = viaLabel(ticket.channel, lang);
  const tabs = allTickets
    .map(
      (other) =>
        `<a class="tab${other.id === ticket.id ? ' tab--active' : ''}" href="/agent/tickets/${other.id}${esc(variantQuery(variant, lang === 'de' && other.lang !== 'de' ? 'de' : null))}">` +
        `<span class="tab__id">#${other.id}</span> ${esc(other.customer.name)}</a>`,
    )
    .join('');
  const body = `
<div class="app">
  <nav class="rail" aria-label="Main">
    <a class="rail__logo" href="/" title="Sandbox home">Z</a>
    <a class="rail__item" href="/" title="${t.views}">☰</a>
    <a class="rail__item" href="/__sandbox/control" title="Sandbox control">⚙</a>
  </nav>
  <div class="main">
    <div class="topbar">${tabs}</div>
    <div class="workspace">
      <section class="conversation" aria-label="${t.conversation}">
        <header data-test-id="ticket-header" class="ticket-header">
          <div class="ticket-header__title">
            <h1 data-test-id="ticket-subject">${esc(ticket.subject)}</h1>
            <span class="badge badge--open">${t.open}</span>
          </div>
          <div class="ticket-header__meta">
            <span class="avatar" aria-hidden="true">${esc(initials(ticket.customer.name))}</span>
            <span data-test-id="ticket-requester-name" class="ticket-header__name">${esc(ticket.customer.name)}</span>
            <span class="ticket-header__via">${t.via} <span data-test-id="omni-header-via-label">${esc(via)}</span></span>
            <span class="ticket-header__id">${t.ticket} #${ticket.id}</span>
          </div>
        </header>
        <div data-test-id="omni-log-container" role="log" aria-live="polite" class="log"></div>
        <div class="composer" data-test-id="omnicomposer">
          <div class="composer__modes" role="group" aria-label="${t.public} / ${t.internal}">
            <button type="button" data-test-id="omnicomposer-mode-public" class="mode mode--active" aria-pressed="true">${t.public}</button>
            <button type="button" data-test-id="omnicomposer-mode-internal" class="mode" aria-pressed="false">${t.internal}</button>
          </div>
          <div data-test-id="omnicomposer-rich-text" class="composer__editor" contenteditable="true" role="textbox" aria-multiline="true" aria-label="${t.compose}" data-placeholder="${t.placeholder}"></div>
          <div class="composer__footer">
            <span class="composer__hint">${t.hint}</span>
            <button data-test-id="omnichannel-send-button" type="button" class="btn btn--primary">${t.send}</button>
          </div>
        </div>
      </section>
      <aside class="context" aria-label="${t.customer}">
        <h2>${t.customer}</h2>
        <dl>
          <dt>${t.requester}</dt><dd>${esc(ticket.customer.name)}</dd>
          <dt>${t.channel}</dt><dd>${esc(via)}</dd>
          <dt>${t.assignee}</dt><dd>${esc(AGENT_NAME)}</dd>
        </dl>
      </aside>
    </div>
  </div>
</div>`;
  const attrs =
    ` data-ticket-id="${ticket.id}" data-channel="${ticket.channel}" data-agent-name="${esc(AGENT_NAME)}"` +
    ` data-marker="${variant.marker}" data-log="${variant.log}"`;
  return layout(lang, `${ticket.subject} – ${t.ticket} #${ticket.id} – ${t.title}`, body, attrs, '/public/ticket.js');
}

export function indexPage(tickets: Ticket[]): string {
  const rows = tickets
    .map(
      (t) =>
        `<tr><td><a href="/agent/tickets/${t.id}">#${t.id}</a></td><td>${esc(t.subject)}</td><td>${esc(t.customer.name)}</td>` +
        `<td>${esc(viaLabel(t.channel, t.lang))}</td><td>${t.lang}</td></tr>`,
    )
    .join('\n');
  const body = `
<main class="page">
  <h1>Send Guard sandbox</h1>
  <p>A Zendesk-like helpdesk and a fake Meta Send API on this machine only.</p>
  <table class="table">
    <thead><tr><th>Ticket</th><th>Subject</th><th>Customer</th><th>Via</th><th>UI</th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>
  <p>Any ticket page renders in German with <code>?lang=de</code>, e.g. <a href="/agent/tickets/101?lang=de">/agent/tickets/101?lang=de</a>.</p>
  <p>Markup variants: failure shown only as an icon's aria-label, <a href="/agent/tickets/101?marker=icon">?marker=icon</a>;
    only as text, <a href="/agent/tickets/101?marker=text">?marker=text</a>;
    a virtualized log that re-renders every 300 ms, <a href="/agent/tickets/101?log=virtual">?log=virtual</a> (combinable).</p>
  <h2>Sandbox</h2>
  <ul>
    <li><a href="/__sandbox/control">Control page</a> (Send API mode, sent log)</li>
    <li><a href="/__sandbox/state">/__sandbox/state</a></li>
    <li><a href="/status/statuspage/api/v2/summary.json">Statuspage summary.json</a>,
      <a href="/status/zendesk/api/incidents/active">Zendesk active incidents</a>,
      <a href="/status/meta/orgs.json">Meta orgs.json</a></li>
  </ul>
</main>`;
  return layout('en', 'Send Guard sandbox', body);
}

export function controlPage(modes: readonly string[], outageKinds: readonly string[], forces: readonly string[]): string {
  const buttons = modes.map((m) => `<button type="button" class="btn" data-mode="${m}">${m}</button>`).join(' ');
  const kinds = outageKinds.map((k) => `<option value="${k}">${k}</option>`).join('');
  const forceSelect = (source: string) =>
    `<label>${source} <select data-status-source="${source}">${forces.map((f) => `<option value="${f}">${f}</option>`).join('')}</select></label>`;
  const body = `
<main class="page">
  <p><a href="/">← Sandbox home</a></p>
  <h1>Sandbox control</h1>
  <section class="panel">
    <h2>Send API mode: <span id="current-mode">…</span></h2>
    <div class="row">${buttons}</div>
    <div class="row">
      <label>Failure ratio (intermittent) <input id="failure-ratio" type="number" min="0" max="1" step="0.05" value="0.5"></label>
      <label>Outage kind <select id="outage-kind">${kinds}</select></label>
      <button type="button" class="btn" id="apply-options">Apply</button>
    </div>
    <div class="row">
      <label>Per-recipient overrides (JSON, PSID → mode) <input id="overrides" type="text" size="60" value="{}"></label>
      <button type="button" class="btn" id="apply-overrides">Apply overrides</button>
    </div>
    <p id="control-error" class="error" role="alert"></p>
  </section>
  <section class="panel">
    <h2>Status sources</h2>
    <div class="row">${forceSelect('statuspage')} ${forceSelect('zendesk')} ${forceSelect('meta')}</div>
  </section>
  <section class="panel">
    <h2>Accepted messages (<span id="sent-count">0</span>) · attempts: <span id="attempts">0</span></h2>
    <button type="button" class="btn" id="reset">Reset sandbox</button>
    <table class="table">
      <thead><tr><th>At</th><th>Recipient</th><th>Message id</th><th>Text</th></tr></thead>
      <tbody id="sent-log"></tbody>
    </table>
  </section>
</main>`;
  return layout('en', 'Sandbox control', body, '', '/public/control.js');
}

export function notFoundPage(): string {
  return layout('en', 'Not found', '<main class="page"><h1>Not found</h1><p><a href="/">Sandbox home</a></p></main>');
}
