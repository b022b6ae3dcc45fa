import { browser } from 'wxt/browser';
import { createReportLimiter } from '@/core/failures/report-limit';
import { classifySendError } from '@/core/failures/send-errors';
import { reportProblem } from '@/core/failures/sender-binding';
import type { ChannelHealth } from '@/core/health/detector';
import { buildInboxLink } from '@/core/links';
import type { BackgroundToExtensionPage, HandOffResult, RequestOf, ResponseOf, TicketRef, TicketView } from '@/core/protocol';
import {
  applyEvent,
  countInStates,
  countQuarantined,
  deleteQuarantined,
  getReply,
  InvalidRecordError,
  isClaimable,
  isKnownFailure,
  isUnsent,
  newRecord,
  type QueueDatabase,
  QueuedReply,
  REFUSED_UNCONFIRMED,
  type RecordFailureResult,
  readFirstReplies,
  readQuarantine,
  readReplies,
  recordFailure,
  reportedError,
  sanitizeReport,
  settleLapsedLeases,
  UNSENT_STATES,
} from '@/core/queue';
import { type CommentCopy, decideResend } from '@/core/queue/resend-guard';
import type { Channel, TicketChannel } from '@/core/schemas';
import { loadEffectiveSettings } from '@/core/settings/effective-settings';
import { pageIdFor } from '@/core/settings/settings';
import { readCommentsPage } from '@/profiles/ticket-comments';
import { loggedAs } from '@/utils/debug-log';
import { createCoalescer, createSerialQueue } from '@/utils/serial';
import { onChannelRecovered } from './auto-retry';
import { showBadge } from './badge';
import { withQueueDb } from './db';
import { droppedReports, noteDroppedReport } from './dropped-reports';
import { drainFallback, fallbackRecords, keepInFallback } from './fallback';
import { loadHealth, recordHealth } from './health';
import { leaseOverrideMs } from './lease';
import { ticketPaths } from './page-setup';
import { countOnce } from './pairing';
import { requestRetries, takeRetryRequests } from './retry-requests';
import { broadcast } from './tabs';
import { syncHealthToTeam, syncReplyToTeam } from './team';

/** Detector updates after recorded failures, one at a time and in order. */
const detectorWork = createSerialQueue();
/** New records per helpdesk origin (core/failures/report-limit.ts); a restarted worker starts a fresh allowance. */
const reportLimiter = createReportLimiter();
const logTeam = (error: unknown) => console.error('[send-guard] team mode:', error);

export async function refreshBadge(): Promise<void> {
  // Counted through the state index: this runs after every change, and reading the whole queue would not scale.
  const counts = withQueueDb((db) => countInStates(db, UNSENT_STATES));
  const [unsent, waiting] = await Promise.all([counts, fallbackRecords()]);
  await showBadge(unsent + waiting.length);
}

/** The queue with its loose ends tied: lapsed claims become `unconfirmed`, the fallback moves in. */
export async function settleQueue(now: number): Promise<boolean> {
  const settled = await withQueueDb((db) => settleLapsedLeases(db, now));
  const moved = await drainFallback(withQueueDb).catch((error: unknown) => {
    console.warn('[send-guard] the fallback store could not be moved into the queue yet', error);
    return 0;
  });
  return settled.length > 0 || moved > 0;
}

/** A record as another context sees it: which claim holds it stays with the worker and the holder. */
function withoutToken(record: QueuedReply): QueuedReply {
  if (record.claimToken === undefined) return record;
  const { claimToken: _token, ...rest } = record;
  return rest;
}

/** Tells tabs, popup and badge that the queue changed; a burst of changes is told at most twice. */
const changed = createCoalescer(async () => {
  await Promise.all([
    broadcast({ type: 'queue-changed' }),
    // An open popup or options page: nobody listening is fine.
    browser.runtime.sendMessage({ type: 'queue-changed' } satisfies BackgroundToExtensionPage).catch(() => undefined),
    refreshBadge(),
  ]);
});

/** Tells tabs, popup and badge that the queue changed (coalesced). */
export function changedQueue(): Promise<void> {
  return changed();
}

/** The same, after the answer: the change is committed already, and the asking tab need not wait for the others. */
function announce(): void {
  void changed().catch((error: unknown) => console.warn('[send-guard] could not tell the tabs about a queue change', error));
}

async function feedDetector(channel: Channel, event: Parameters<typeof recordHealth>[1]['event'], now: number): Promise<void> {
  const { before, after } = await recordHealth(channel, { event, now });
  await onHealthChanged(channel, before, after);
}

/** Tells the tabs, and starts auto-retry (if on) when a channel has just recovered. */
export async function onHealthChanged(channel: Channel, before: ChannelHealth, after: ChannelHealth): Promise<void> {
  if (before.level === after.level) return;
  await Promise.all([broadcast({ type: 'health-changed', channel, level: after.level }), refreshBadge()]);
  void syncHealthToTeam(channel, before, after).catch(logTeam);
  if (after.level === 'operational') await onChannelRecovered(channel);
}

// The queue's answers to requests (router.ts routes them). Every state change is committed before
// the answer. `origin`: the asking helpdesk tab's own origin (its top frame); a tab speaks of, and
// acts on, that helpdesk's replies only. Undefined for the extension's own pages.

/** A tab's failed reply: kept (or found kept already) before the answer; the detector and the other tabs hear of it after. */
export async function reportFailure(
  message: RequestOf<'reply-failed'>,
  now: number,
  origin: string | undefined,
): Promise<ResponseOf<'reply-failed'>> {
  if (origin !== undefined) {
    const problem = reportProblem(message.reply, origin, await ticketPaths());
    if (problem) throw new Error(`rejected report: ${problem}`);
  }
  const { reply, adjusted } = sanitizeReport(message.reply, now);
  // Kept anyway: a field too long to store is trimmed or dropped, never a reason to lose the reply.
  if (adjusted.length > 0) console.warn(`[send-guard] kept a reply with these fields trimmed or dropped: ${adjusted.join(', ')}`);
  // A helpdesk past its allowance of new records (forged failures by the hundred) is refused and
  // counted; a failure known already is always answered. Taken before the store, given back after.
  const allowance = origin !== undefined && reportLimiter.take(origin, now);
  // A store that cannot be read counts the report as new: refused over the allowance, the tab asks again.
  if (origin !== undefined && !allowance && !(await withQueueDb((db) => isKnownFailure(db, reply)).catch(() => false))) {
    await noteDroppedReport(origin, now);
    throw new Error('rejected report: too many new failures from this helpdesk at once');
  }
  const id = crypto.randomUUID();
  let result: RecordFailureResult & { kept?: 'queue' | 'fallback' };
  try {
    result = { ...(await withQueueDb((db) => recordFailure(db, reply, id, now), { faultable: true })), kept: 'queue' };
  } catch (error) {
    if (error instanceof InvalidRecordError) {
      if (allowance) reportLimiter.giveBack(origin);
      throw error;
    }
    console.warn('[send-guard] the queue could not store a reply; it waits in storage.local until it can', error);
    // If this throws too, the tab hears it and shows the text with "NOT kept — copy your text".
    await keepInFallback({ id, reply, at: now });
    result = { record: newRecord(reply, id, now), created: true, kept: 'fallback' };
  }
  const { record, created } = result;
  if (allowance && !created) reportLimiter.giveBack(origin);
  if (record && created) {
    const conversation = `${record.helpdeskOrigin}/${record.ticketId}`;
    // The record is committed: the tab gets it now. The detector learns of it right after, in
    // order (its state is storage, a few ms the banner need not wait for).
    void detectorWork(async () => {
      // One send seen both as a page marker and as a network error within 30 s counts once (pairing.ts).
      if (await countOnce('dom', { conversation, code: record.error.code, errorClass: record.error.errorClass }, now)) {
        await feedDetector(
          record.channel,
          { at: reply.failedAt, outcome: 'failed', errorClass: record.error.errorClass, conversation },
          now,
        );
      }
    })
      .catch((error: unknown) => console.warn('[send-guard] the detector missed a failure', error))
      // Tabs, popup and badge are told after the answer, and after the detector has counted
      // the failure, so the badge's count and colour change together.
      .finally(announce);
    if (result.kept === 'queue') void syncReplyToTeam(record).catch(logTeam);
  }
  // The database works again: anything waiting in the fallback moves in now.
  if (result.kept === 'queue') void drainFallback(withQueueDb).catch(() => undefined);
  return { ...result, record: record && withoutToken(record) };
}

/** A Graph-style error in the page's own traffic: counted on its own (no marker needed), so a platform error is seen before the page shows it. */
export async function countNetworkFailure(message: RequestOf<'network-failure'>, now: number): Promise<ResponseOf<'network-failure'>> {
  const conversation = `${message.ticket.helpdeskOrigin}/${message.ticket.ticketId}`;
  const { errorClass, code } = classifySendError({ code: message.code, subcode: message.subcode, type: message.errorType });
  if (await countOnce('network', { conversation, code, errorClass }, now)) {
    await feedDetector(message.channel, { at: Math.min(message.at, now), outcome: 'failed', errorClass, conversation }, now);
  }
  return { ok: true };
}

export async function countDeliveries(message: RequestOf<'reply-delivered'>, now: number): Promise<ResponseOf<'reply-delivered'>> {
  const conversation = `${message.ticket.helpdeskOrigin}/${message.ticket.ticketId}`;
  for (const delivery of message.deliveries) {
    await feedDetector(message.channel, { at: Math.min(delivery.at, now), outcome: 'delivered', conversation }, now);
  }
  return { ok: true };
}

export async function ticketViewFor(message: RequestOf<'get-ticket-view'>, now: number): Promise<ResponseOf<'get-ticket-view'>> {
  if (await settleQueue(now)) void changed().catch(loggedAs('queue: tell the tabs of a change', undefined));
  return ticketView(message.ticket, message.channel, await takeRetryRequests(message.ticket));
}

export async function claimReply(
  message: RequestOf<'claim-reply'>,
  now: number,
  origin: string | undefined,
): Promise<ResponseOf<'claim-reply'>> {
  // Sandbox builds may shorten the lease for tests (lease.ts); production always uses the default.
  const leaseMs = await leaseOverrideMs();
  const token = crypto.randomUUID();
  const outcome = await withQueueDb((db) =>
    applyEvent(db, message.id, { type: 'claim', now, token, ...(leaseMs ? { leaseMs } : {}) }, origin),
  );
  // A lapsed claim found here becomes unconfirmed now, and every tab shows it so.
  if (outcome.ok || (outcome.reason === REFUSED_UNCONFIRMED && (await settleQueue(now)))) announce();
  // The holder's own answer carries its token: it renews, releases or reports with it.
  return outcome;
}

export async function renewClaim(
  message: RequestOf<'renew-claim'>,
  now: number,
  origin: string | undefined,
): Promise<ResponseOf<'renew-claim'>> {
  const leaseMs = await leaseOverrideMs();
  const outcome = await withQueueDb((db) =>
    applyEvent(db, message.id, { type: 'renew', now, token: message.token, ...(leaseMs ? { leaseMs } : {}) }, origin),
  );
  return outcome.ok ? { ok: true } : { ok: false, reason: outcome.reason };
}

/** The agent's answer to an unconfirmed retry: it did go out (`mark-sent`), or send it again (`resend-reply`). */
export async function answerUnconfirmed(
  message: RequestOf<'mark-sent' | 'resend-reply'>,
  now: number,
  origin: string | undefined,
): Promise<ResponseOf<'mark-sent' | 'resend-reply'>> {
  const type = message.type === 'mark-sent' ? 'mark_sent' : 'resend';
  const outcome = await withQueueDb((db) => applyEvent(db, message.id, { type, now }, origin));
  if (outcome.ok) await changed();
  if (outcome.ok) void syncReplyToTeam(outcome.record).catch(logTeam);
  return { ok: outcome.ok };
}

export async function recordRetryResult(
  message: RequestOf<'retry-result'>,
  now: number,
  origin: string | undefined,
): Promise<ResponseOf<'retry-result'>> {
  const token = message.token ? { token: message.token } : {};
  const messageId = message.messageId ? { messageId: message.messageId } : {};
  const event =
    message.outcome === 'failed'
      ? // A failure without detail is still a failure: never let it read as delivered.
        ({ type: 'send_failed', now, error: reportedError(message.error?.message), ...messageId } as const)
      : message.outcome === 'abandoned'
        ? ({ type: 'release', now, ...token } as const)
        : message.outcome === 'unconfirmed'
          ? ({ type: 'unconfirm', now, ...token, ...messageId } as const)
          : ({ type: 'delivered', now, late: message.outcome === 'delivered_late' } as const);
  const outcome = await withQueueDb((db) => applyEvent(db, message.id, event, origin));
  if (outcome.ok) {
    const record = outcome.record;
    const conversation = `${record.helpdeskOrigin}/${record.ticketId}`;
    if (message.outcome === 'delivered') await feedDetector(record.channel, { at: now, outcome: 'delivered', conversation }, now);
    const sighting = { conversation, code: record.error.code, errorClass: record.error.errorClass };
    if (message.outcome === 'failed' && (await countOnce('dom', sighting, now))) {
      await feedDetector(record.channel, { at: now, outcome: 'failed', errorClass: record.error.errorClass, conversation }, now);
    }
    announce();
    void syncReplyToTeam(record).catch(logTeam);
  }
  return { ok: outcome.ok };
}

export function handOffReply(message: RequestOf<'hand-off'>, now: number, origin: string | undefined): Promise<ResponseOf<'hand-off'>> {
  return withQueueDb((db) => handOff(db, message.id, now, origin));
}

export async function retryReplies(message: RequestOf<'retry-replies'>, now: number): Promise<ResponseOf<'retry-replies'>> {
  await settleQueue(now);
  const { replies } = await withQueueDb((db) => readReplies(db));
  const wanted = new Set(message.ids);
  // Never an unconfirmed reply, nor one another retry holds: those wait for the agent or the holder.
  const retryable = replies.filter((r) => wanted.has(r.id) && isClaimable(r));
  const { opened } = await requestRetries(retryable, { openMissing: true });
  return { ok: retryable.length > 0, opened };
}

/** The popup's discard, and its undo. */
export async function discardOrRestore(
  message: RequestOf<'discard-reply' | 'restore-reply'>,
  now: number,
): Promise<ResponseOf<'discard-reply' | 'restore-reply'>> {
  const type = message.type === 'discard-reply' ? 'discard' : 'restore';
  const outcome = await withQueueDb((db) => applyEvent(db, message.id, { type, now }));
  if (outcome.ok) await changed();
  if (outcome.ok) void syncReplyToTeam(outcome.record).catch(logTeam);
  return { ok: outcome.ok };
}

export async function listReplies(now: number, first?: number): Promise<ResponseOf<'list-replies'>> {
  // The start of the list is read before anything that may write (leases, the fallback store): it is
  // on screen first; the whole listing, asked next, settles the queue.
  if (first === undefined) await settleQueue(now);
  const [{ replies, quarantined }, waiting, health, settings, dropped] = await Promise.all([
    first === undefined
      ? withQueueDb((db) => readReplies(db))
      : withQueueDb(async (db) => ({ replies: await readFirstReplies(db, first), quarantined: await countQuarantined(db) })),
    fallbackRecords(),
    loadHealth(),
    loadEffectiveSettings(),
    droppedReports(),
  ]);
  return {
    replies: [...replies, ...waiting].map(withoutToken).sort((a, b) => b.firstFailedAt - a.firstFailedAt),
    quarantined,
    health: Object.values(health),
    retention: settings.retention,
    now,
    dropped,
    complete: first === undefined,
  };
}

export async function listQuarantine(): Promise<ResponseOf<'list-quarantine'>> {
  return { records: await withQueueDb((db) => readQuarantine(db)) };
}

export async function deleteQuarantinedRecords(message: RequestOf<'delete-quarantined'>): Promise<ResponseOf<'delete-quarantined'>> {
  const deleted = await withQueueDb((db) => deleteQuarantined(db, message.ids));
  if (deleted > 0) await changed();
  return { deleted };
}

/** What the banner of one ticket shows: its unsent replies, oldest first, and the channel's health. */
async function ticketView(ticket: TicketRef, channel: TicketChannel, retryNow: string[]): Promise<TicketView> {
  const [{ replies }, waiting, health] = await Promise.all([
    withQueueDb((db) => readReplies(db, ticket)),
    fallbackRecords(ticket),
    channel === 'other' ? null : loadHealth(),
  ]);
  return {
    replies: [...replies.filter(isUnsent), ...waiting].map(withoutToken).sort((a, b) => a.firstFailedAt - b.firstFailedAt),
    health: health && channel !== 'other' ? health[channel] : null,
    retryNow,
  };
}

/**
 * Before a tab types a retry: decides from the stored record, the tab's settled log and the
 * helpdesk's comments whether a copy is already out there, and records the outcome in the same
 * step (delivered late, unconfirmed, released, or the claim renewed for the send).
 */
export async function checkResend(
  message: RequestOf<'check-resend'>,
  now: number,
  origin: string | undefined,
): Promise<ResponseOf<'check-resend'>> {
  const stored = QueuedReply.safeParse(await withQueueDb((db) => getReply(db, message.id)));
  if (!stored.success || stored.data.state !== 'sending' || stored.data.claimToken !== message.token) return { kind: 'claimed_elsewhere' };
  if (origin !== undefined && stored.data.helpdeskOrigin !== origin) return { kind: 'claimed_elsewhere' };
  const verdict = decideResend({ record: stored.data, log: message.log, comments: commentsOf(message.comments) });
  const token = message.token;
  const leaseMs = await leaseOverrideMs();
  const event =
    verdict.kind === 'send'
      ? ({ type: 'renew', now, token, ...(leaseMs ? { leaseMs } : {}) } as const)
      : verdict.kind === 'delivered'
        ? ({ type: 'delivered', now, late: true } as const)
        : verdict.kind === 'unconfirmed'
          ? ({ type: 'unconfirm', now, token } as const)
          : ({ type: 'release', now, token } as const);
  const outcome = await withQueueDb((db) => applyEvent(db, message.id, event, origin));
  if (!outcome.ok) return { kind: 'claimed_elsewhere' };
  if (verdict.kind !== 'send') announce();
  if (verdict.kind === 'delivered') void syncReplyToTeam(outcome.record).catch(logTeam);
  return { kind: verdict.kind === 'delivered' ? 'delivered_late' : verdict.kind };
}

/** The comment pages a tab fetched, read by the documented shape; one unreadable page makes the whole list unavailable. */
function commentsOf(pages: RequestOf<'check-resend'>['comments']): CommentCopy[] | null | 'unavailable' {
  if (pages === 'none') return null;
  if (pages === 'unavailable') return 'unavailable';
  const comments: CommentCopy[] = [];
  for (const page of pages) {
    const read = readCommentsPage(page);
    if (!read) return 'unavailable';
    comments.push(...read.comments);
  }
  return comments;
}

async function handOff(database: QueueDatabase, id: string, now: number, origin: string | undefined): Promise<HandOffResult> {
  const record = await getReply(database, id);
  if (!record || (origin !== undefined && record.helpdeskOrigin !== origin)) return { ok: false, reason: 'not-found' };
  // The ticket's own Page id, else the one mapped in settings for this helpdesk and channel.
  const link = buildInboxLink({ channel: record.channel, pageId: pageIdFor(await loadEffectiveSettings(), record), userId: record.userId });
  // WhatsApp has no conversation link to open: the reply is copied and stays kept (core/links.ts).
  if (!link) return { ok: false, reason: record.channel === 'whatsapp' ? 'copy-only' : 'no-page-id' };
  const outcome = await applyEvent(database, id, { type: 'hand_off', now }, origin);
  if (!outcome.ok) return { ok: false, reason: 'not-allowed' };
  await changed();
  void syncReplyToTeam(outcome.record).catch(logTeam);
  return { ok: true, url: link.url, conversation: link.conversation };
}
