// Server-rendered HTML shells; the helpdesk app itself (tabs, workspaces, logs) is public/app.js.
import { AGENT_NAME, type TicketSummary, viaLabel } from './tickets.js';
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
    tickets: 'Open tickets',
    closeTab: 'Close tab',
    events: 'Events',
    loading: 'Loading…',
    subject: 'Subject',
    close: 'Close',
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
    tickets: 'Offene Tickets',
    closeTab: 'Tab schließen',
    events: 'Ereignisse',
    loading: 'Wird geladen …',
    subject: 'Betreff',
    close: 'Schließen',
  },
};

/**
 * Page variants that prove detection does not hang on one cue (query `?marker=`, `?log=`):
 * `marker=icon` marks a failed reply only with an icon's aria-label, `marker=text` only with
 * plain text ("Not delivered"), `marker=undelivered` with the plain word "Undelivered"
 * ("Unzugestellt"), `marker=none` not at all: the failure shows only as the app's toast and in the
 * events log; `log=virtual` re-renders the log every 300 ms like a virtualized list.
 */
export const MARKER_VARIANTS = ['default', 'icon', 'text', 'undelivered', 'none'] as const;
export type MarkerVariant = (typeof MARKER_VARIANTS)[number];
export const LOG_VARIANTS = ['default', 'virtual'] as const;
export type LogVariant = (typeof LOG_VARIANTS)[number];
export interface PageVariant {
  marker: MarkerVariant;
  log: LogVariant;
}
const DEFAULT_VARIANT: PageVariant = { marker: 'default', log: 'default' };

/** Reads the variant from a ticket page's query; unknown values fall back to the default markup. */
export function parseVariant(params: URLSearchParams): PageVariant {
  const marker = params.get('marker');
  const log = params.get('log');
  return {
    marker: (MARKER_VARIANTS as readonly string[]).includes(marker ?? '') ? (marker as MarkerVariant) : 'default',
    log: (LOG_VARIANTS as readonly string[]).includes(log ?? '') ? (log as LogVariant) : 'default',
  };
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

/**
 * The single-page helpdesk's shell, the same for every app path: a rail, a ticket tab bar, the
 * workspaces (mounted by public/app.js, one per opened ticket, inactive ones hidden), a toaster in the
 * upper right. `initial` is the ticket in the loaded path (null: the views list).
 */
export function appPage(
  initial: TicketSummary | null,
  lang: Lang,
  tickets: TicketSummary[],
  variant: PageVariant = DEFAULT_VARIANT,
): string {
  const t = UI[lang];
  const boot = {
    lang,
    marker: variant.marker,
    log: variant.log,
    initial: initial?.id ?? null,
    agentName: AGENT_NAME,
    ui: t,
    tickets: tickets.map((ticket) => ({ ...ticket, via: viaLabel(ticket.channel, lang) })),
  };
  const body = `
<div class="app">
  <nav class="rail" aria-label="Main">
    <a class="rail__logo" href="/" title="Sandbox home">Z</a>
    <a class="rail__item" href="/agent/dashboard" data-app-link="views" title="${t.views}">☰</a>
    <a class="rail__item" href="/__sandbox/control" title="Sandbox control">⚙</a>
  </nav>
  <div class="main">
    <div class="topbar"><div data-test-id="header-tablist" role="tablist" class="tablist" aria-label="${t.tickets}"></div></div>
    <div class="workspaces" data-test-id="workspaces"></div>
  </div>
  <div class="toaster" data-test-id="toaster"></div>
</div>
<script type="application/json" id="sandbox-boot">${jsonForScript(boot)}</script>`;
  const title = initial ? `${initial.subject} – ${t.ticket} #${initial.id} – ${t.title}` : `${t.views} – ${t.title}`;
  return layout(lang, title, body, ` data-marker="${variant.marker}" data-log="${variant.log}"`, '/public/app.js');
}

/** JSON inside a <script> element: `<` escaped so no text (a hostile customer name) can end the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
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
  <p>The helpdesk is a single-page app: <a href="/agent/dashboard">Views</a> opens tickets as tabs inside the app (history
    navigation); every opened ticket's workspace stays mounted, the inactive ones hidden. How late it answers:
    <code>POST /__sandbox/delays</code>.</p>
  <p>Markup variants: failure shown only as an icon's aria-label, <a href="/agent/tickets/101?marker=icon">?marker=icon</a>;
    only as text, <a href="/agent/tickets/101?marker=text">?marker=text</a>;
    as the word "Undelivered", <a href="/agent/tickets/101?marker=undelivered">?marker=undelivered</a>;
    only as a toast and in the events log, <a href="/agent/tickets/101?marker=none">?marker=none</a>;
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
