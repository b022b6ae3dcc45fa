import { type Browser, browser } from 'wxt/browser';
import { senderOrigin } from '@/core/failures/sender-binding';
import {
  ContentToBackground,
  ExtensionPageToBackground,
  OptionsToBackground,
  PopupToBackground,
  type RequestOf,
  type ResponseOf,
  type TicketRef,
  type ToBackground,
} from '@/core/protocol';
import { isLocaleMessages, readOwnLocale } from '@/utils/i18n';
import { helpdeskTabAllowed } from './helpdesk-domains';
import { customProfileForTab, savePageMapping } from './page-setup';
import { computeProviderHealth, exportTimeline, noteBannerShown, providerHealthFor, snoozeEpisode } from './provider-health';
import {
  answerUnconfirmed,
  checkResend,
  claimReply,
  countDeliveries,
  countNetworkFailure,
  deleteQuarantinedRecords,
  discardOrRestore,
  handOffReply,
  listQuarantine,
  listReplies,
  recordRetryResult,
  renewClaim,
  reportFailure,
  retryReplies,
  ticketViewFor,
} from './queue';
import { runRetention } from './retention';
import { sandboxRequest, workerNow } from './sandbox-hooks';
import { testSelectors } from './self-test';
import { pollStatusNow } from './status';
import { rememberTab } from './tabs';

// Every request the worker answers, in one table. Who may send a type is decided by the schema the
// message passed on arrival (a helpdesk tab's, or the extension's own pages'), what it does here.

/** Who asked, as the browser told the worker (never as the message says). */
export interface Asker {
  /** The worker's now (sandbox-hooks.ts). */
  now: number;
  /** The helpdesk tab that asked, and its top frame's origin; absent for the extension's own pages. */
  tab?: { id: number; origin: string };
}

type Type = ToBackground['type'];
export type Handler<K extends Type> = (message: RequestOf<K>, asker: Asker) => Promise<ResponseOf<K>>;
export type Handlers = { [K in Type]: Handler<K> };

function namedTicket(message: ToBackground): TicketRef | undefined {
  return 'ticket' in message ? message.ticket : undefined;
}

/**
 * A request a helpdesk tab makes: the tab is remembered first (so it hears the worker's notices),
 * and a ticket the message names must be on the tab's own helpdesk.
 */
function fromTab<M extends ToBackground, R>(handler: (message: M, asker: Asker) => Promise<R>) {
  return async (message: M, asker: Asker): Promise<R> => {
    if (asker.tab) {
      await rememberTab(asker.tab.id);
      const ticket = namedTicket(message);
      if (ticket && ticket.helpdeskOrigin !== asker.tab.origin) {
        throw new Error(`rejected message: it names ${ticket.helpdeskOrigin}, but came from ${asker.tab.origin}`);
      }
    }
    return handler(message, asker);
  };
}

const handlers = {
  // From helpdesk tabs (ContentToBackground).
  'reply-failed': fromTab((message, { now, tab }) => reportFailure(message, now, tab?.origin)),
  'reply-delivered': fromTab((message, { now }) => countDeliveries(message, now)),
  'network-failure': fromTab((message, { now }) => countNetworkFailure(message, now)),
  'get-ticket-view': fromTab((message, { now }) => ticketViewFor(message, now)),
  'claim-reply': fromTab((message, { now, tab }) => claimReply(message, now, tab?.origin)),
  'renew-claim': fromTab((message, { now, tab }) => renewClaim(message, now, tab?.origin)),
  'check-resend': fromTab((message, { now, tab }) => checkResend(message, now, tab?.origin)),
  'retry-result': fromTab((message, { now, tab }) => recordRetryResult(message, now, tab?.origin)),
  'open-queue': fromTab(async () => {
    await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
    return { ok: true };
  }),
  'get-language-pack': fromTab(async (message) => {
    const pack = await readOwnLocale(message.language);
    return isLocaleMessages(pack) ? pack : null;
  }),
  'self-test-ready': fromTab(async () => ({ ok: true })),
  'get-provider-health': fromTab((message, { now }) => providerHealthFor(message.channel, now)),
  'banner-shown': fromTab(async (message, { now }) => {
    await noteBannerShown(message.channel, now);
    return { ok: true };
  }),
  'snooze-episode': fromTab(async (message) => ({ ok: await snoozeEpisode(message.channel) })),
  // Settings work for a tab: answered without remembering it.
  'get-custom-profile': () => customProfileForTab(),
  'save-page-mapping': async (message, { tab }) => {
    if (message.mapping.helpdeskOrigin !== tab?.origin) throw new Error('rejected message: a Page ID for another helpdesk');
    return savePageMapping(message.mapping);
  },
  // From helpdesk tabs and the popup.
  'hand-off': fromTab((message, { now, tab }) => handOffReply(message, now, tab?.origin)),
  'mark-sent': fromTab((message, { now, tab }) => answerUnconfirmed(message, now, tab?.origin)),
  'resend-reply': fromTab((message, { now, tab }) => answerUnconfirmed(message, now, tab?.origin)),
  // From the popup (PopupToBackground).
  'list-replies': (message, { now }) => listReplies(now, message.first),
  'retry-replies': (message, { now }) => retryReplies(message, now),
  'discard-reply': (message, { now }) => discardOrRestore(message, now),
  'restore-reply': (message, { now }) => discardOrRestore(message, now),
  'list-quarantine': () => listQuarantine(),
  'delete-quarantined': (message) => deleteQuarantinedRecords(message),
  'poll-status-now': (_message, { now }) => pollStatusNow(now),
  'export-timeline': async (_message, { now }) => ({ markdown: await exportTimeline(now) }),
  'list-provider-health': (_message, { now }) => computeProviderHealth(now),
  // From the options page (OptionsToBackground).
  'test-selectors': (message) => testSelectors(message),
} satisfies Handlers;

const table: Handlers = handlers;

/** The request types the table answers (read from the table itself, for its test and the refusals below). */
export const handledTypes: ReadonlySet<string> = new Set(Object.keys(table));

/** Who may send which type, as the protocol's schemas declare it. */
export const tabTypes: ReadonlySet<string> = new Set(ContentToBackground.options.map((option) => option.shape.type.value));
export const pageTypes: ReadonlySet<string> = new Set(
  [...PopupToBackground.options, ...OptionsToBackground.options].map((option) => option.shape.type.value),
);

/** Answers one request that passed its sender's schema; its answer is the type's response. */
export function handle<K extends Type>(message: RequestOf<K>, asker: Asker): Promise<ResponseOf<K>> {
  const handler: Handler<K> = table[message.type];
  return handler(message, asker);
}

function typeOf(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
}

/**
 * Why a message is refused, in words a developer reading the console understands: no type, a type
 * nobody answers, a type this sender may not send, or the first field that does not fit.
 */
function rejected(
  raw: unknown,
  allowed: ReadonlySet<string>,
  sender: string,
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
): Error {
  const type = typeOf(raw);
  if (typeof type !== 'string') return new Error('rejected message: it has no type');
  if (!handledTypes.has(type)) return new Error(`rejected message: unknown type "${type.slice(0, 80)}"`);
  if (!allowed.has(type)) return new Error(`rejected message: "${type}" is not a request ${sender} may send`);
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.');
  return new Error(`rejected message: "${type}"${field ? ` (${field})` : ''}: ${issue?.message ?? 'invalid'}`);
}

/** The worker's answer to one message, or undefined when it is not one for the worker. */
function answer(raw: unknown, sender: Browser.runtime.MessageSender, now: number): Promise<unknown> | undefined {
  // Extension pages first: an options page opened in a tab has a `sender.tab` too. The base address
  // ends in '/', so only this extension's own pages match (`chrome-extension://<id>/…`).
  if (sender.url?.startsWith(browser.runtime.getURL('/'))) {
    // Sandbox builds only (sandbox-hooks.ts): a test runs the retention purge now.
    if (sandboxRequest(raw) === 'run-retention') return runRetention(now);
    const parsed = ExtensionPageToBackground.safeParse(raw);
    if (!parsed.success) return Promise.reject(rejected(raw, pageTypes, 'the extension’s own pages', parsed.error));
    return handle(parsed.data, { now });
  }
  if (sender.tab?.id !== undefined) {
    const parsed = ContentToBackground.safeParse(raw);
    if (!parsed.success) return Promise.reject(rejected(raw, tabTypes, 'a helpdesk tab', parsed.error));
    // Bound to the tab's top frame and its origin: a tab speaks only of its own helpdesk.
    const origin = senderOrigin(sender);
    if (origin === null) return Promise.reject(new Error('rejected message: not from a helpdesk page’s top frame'));
    const tab = { id: sender.tab.id, origin };
    const message = parsed.data;
    // A Zendesk account left out of the options' subdomain list is ignored here, not in the page.
    return helpdeskTabAllowed(sender.url).then((allowed) => {
      if (!allowed) throw new Error('rejected message: this Zendesk subdomain is not in Send Guard’s list');
      return handle(message, { now, tab });
    });
  }
  return undefined;
}

/** The worker's runtime.onMessage listener: only this extension's own contexts are answered. */
export function onWorkerMessage(raw: unknown, sender: Browser.runtime.MessageSender): Promise<unknown> | undefined {
  if (sender.id !== browser.runtime.id) return undefined;
  return workerNow().then((now) => answer(raw, sender, now));
}
