import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { QueuedReply } from '@/core/queue/record';
import type { LogCopy } from '@/core/queue/resend-guard';
import { readMessage } from '@/profiles/read';
import { commentsPathFor } from '@/profiles/ticket-comments';
import { loggedAs } from '@/utils/debug-log';
import { normalizeReplyText } from '@/utils/hash';
import type { HelpdeskPage } from './page';

// Before a kept reply is typed again: wait for the ticket's log to settle and fetch the helpdesk's
// own list of the ticket's comments, holding the claim meanwhile; the worker decides
// (core/queue/resend-guard.ts) against the stored record.

/** The log counts as settled after this long without a copy of the reply appearing or changing… */
const SETTLE_QUIET_MS = 600;
/** …and never sooner than this: renders already under way land first. */
const SETTLE_FLOOR_MS = 100;
/** A log that never settles (a virtualized list re-rendering) is read for this long, copies gathered across renders. */
const SETTLE_MAX_MS = 8000;
/** A ticket with more than this many pages of comments is not read to the end: the check fails closed. */
const MAX_COMMENT_PAGES = 20;
/** The helpdesk confirms or fails a send within seconds; past this the retry is `unconfirmed`. */
export const CONFIRM_WAIT_MS = 45_000;

/**
 * How long a retry waits for the helpdesk's verdict. Sandbox builds only (`--mode sandbox`): a test
 * may shorten it with storage.local `sandbox:confirmWaitMs` (1000–120000); production builds drop
 * this branch. Documented in sandbox/README.md.
 */
export async function confirmWaitMs(): Promise<number> {
  if (import.meta.env.MODE !== 'sandbox') return CONFIRM_WAIT_MS;
  const value = (await browser.storage.local.get('sandbox:confirmWaitMs'))['sandbox:confirmWaitMs'];
  return typeof value === 'number' && Number.isInteger(value) && value >= 1000 && value <= 120_000 ? value : CONFIRM_WAIT_MS;
}

/** Renews a claim every third of its lease while the tab works on it; returns the stop. */
export function holdClaim(page: HelpdeskPage, ctx: ContentScriptContext, record: QueuedReply): () => void {
  const { claimToken: token, id } = record;
  const leaseMs = Math.max(1000, (record.leaseUntil ?? 0) - record.updatedAt);
  const timer = ctx.setInterval(
    // A refused renewal needs no answer here: the worker's own check before typing refuses the send too.
    () => token && void page.ask({ type: 'renew-claim', id, token }).catch(() => undefined),
    Math.min(20_000, Math.max(300, Math.floor(leaseMs / 3))),
  );
  return () => clearInterval(timer);
}

/** Copies of `text` the ticket's log shows, gathered until it has been quiet for a moment (or for at most SETTLE_MAX_MS). */
export async function settledCopies(page: HelpdeskPage, ctx: ContentScriptContext, text: string, scope: ParentNode): Promise<LogCopy[]> {
  const wanted = normalizeReplyText(text);
  const copies = new Map<string | Element, LogCopy>();
  const started = Date.now();
  // Only this reply's copies matter: other replies' status changes do not unsettle its count.
  let lastChange = started - SETTLE_QUIET_MS + SETTLE_FLOOR_MS;
  let listing = true; // observe() first lists what is there now: that is no change.
  const done = new AbortController();
  page.logs.subscribe(
    (element) => {
      const message = readMessage(element, page.profile);
      if (normalizeReplyText(message.text) !== wanted) return;
      if (!listing) lastChange = Date.now();
      // Keyed by message id across re-renders, so a copy a virtualized log leaves out of one pass still counts.
      copies.set(message.messageId ?? element, {
        messageId: message.messageId,
        at: message.at,
        status: page.statusOf(element),
        text: message.text,
      });
    },
    AbortSignal.any([ctx.signal, done.signal]),
    scope instanceof Element ? scope : null,
  );
  listing = false;
  while (Date.now() - lastChange < SETTLE_QUIET_MS && Date.now() - started < SETTLE_MAX_MS && !ctx.signal.aborted) {
    await new Promise<void>((resolve) => ctx.setTimeout(() => resolve(), 100));
  }
  done.abort();
  return [...copies.values()];
}

/**
 * The helpdesk's own record of the ticket's comments, every page as fetched (the worker reads
 * them): `'none'` when this helpdesk has no such API, `'unavailable'` when it could not be read in full.
 */
export async function helpdeskCommentPages(
  page: HelpdeskPage,
  ticketId: string,
  signal: AbortSignal,
): Promise<unknown[] | 'none' | 'unavailable'> {
  const path = commentsPathFor(page.profile.ticketApiPath, ticketId);
  if (!path) return 'none';
  const pages: unknown[] = [];
  let url: URL | null = new URL(path, location.origin);
  while (url) {
    // Same origin only: a next page elsewhere is not the helpdesk's record (and would carry no session).
    if (pages.length >= MAX_COMMENT_PAGES || url.origin !== location.origin) return 'unavailable';
    try {
      const response = await fetch(url, { credentials: 'same-origin', signal, headers: { accept: 'application/json' } });
      if (!response.ok) return 'unavailable';
      const json: unknown = await response.json();
      pages.push(json);
      const next = (json as { next_page?: unknown } | null)?.next_page;
      url = typeof next === 'string' ? new URL(next, location.origin) : null;
    } catch {
      return 'unavailable'; // Not read, so not sent: the worker releases the claim and the banner says why.
    }
  }
  return pages;
}

/**
 * Whether `record` may be typed again now: the settled log and the helpdesk's comments go to the
 * worker, which decides and records the outcome; `send` means it also renewed this tab's claim.
 */
export async function checkBeforeResend(page: HelpdeskPage, ctx: ContentScriptContext, record: QueuedReply, scope: ParentNode) {
  const log = await settledCopies(page, ctx, record.text, scope);
  // After the log: the comments API may lag behind it, so it is read as late as possible.
  const comments = await helpdeskCommentPages(page, record.ticketId, ctx.signal);
  const token = record.claimToken ?? '';
  return (
    await page
      .ask({ type: 'check-resend', id: record.id, token, log, comments })
      .catch(loggedAs('resend check', { kind: 'unchecked' as const }))
  ).kind;
}
