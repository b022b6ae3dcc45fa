import { browser } from 'wxt/browser';
import type { Channel, TicketChannel } from '@/utils/channels';
import type { ChannelHealth, HealthLevel } from '@/utils/detector';
import { loadEffectiveSettings } from '@/utils/effective-settings';
import { isLocaleMessages, readOwnLocale } from '@/utils/i18n';
import { buildInboxLink } from '@/utils/links';
import type {
  ContentToBackground,
  HandOffResult,
  PopupToBackground,
  QueueListing,
  ResponseOf,
  TicketRef,
  TicketView,
} from '@/utils/messages';
import { applyEvent, isKnownFailure, type QueueDatabase, readReplies, recordFailure } from '@/utils/queue/db';
import { isUnsent } from '@/utils/queue/transitions';
import { createReportLimiter } from '@/utils/report-limit';
import { classifySendError, sendErrorFromText } from '@/utils/send-errors';
import { reportProblem } from '@/utils/sender-binding';
import { createCoalescer, createSerialQueue } from '@/utils/serial';
import { pageIdFor } from '@/utils/settings';
import { onChannelRecovered } from './auto-retry';
import { showBadge } from './badge';
import { db } from './db';
import { droppedReports, noteDroppedReport } from './dropped-reports';
import { loadHealth, recordHealth } from './health';
import { leaseOverrideMs } from './lease';
import { ticketPaths } from './page-setup';
import { countOnce } from './pairing';
import { requestRetries, takeRetryRequests } from './retry-requests';
import { broadcast } from './tabs';
import { syncHealthToTeam, syncReplyToTeam } from './team';

const LEVEL_ORDER: HealthLevel[] = ['operational', 'degraded', 'outage'];
/** Detector updates after recorded failures, one at a time and in order. */
const detectorWork = createSerialQueue();
/** New records per helpdesk origin (utils/report-limit.ts); a restarted worker starts a fresh allowance. */
const reportLimiter = createReportLimiter();

export async function refreshBadge(): Promise<void> {
  const [{ replies }, health] = await Promise.all([readReplies(await db()), loadHealth()]);
  const worst = Object.values(health).reduce<HealthLevel>(
    (acc, h) => (LEVEL_ORDER.indexOf(h.level) > LEVEL_ORDER.indexOf(acc) ? h.level : acc),
    'operational',
  );
  await showBadge(replies.filter(isUnsent).length, worst);
}

/** Tells tabs, popup and badge that the queue changed; a burst of changes is told at most twice. */
const changed = createCoalescer(async () => {
  await Promise.all([
    broadcast({ type: 'queue-changed' }),
    // An open popup or options page: nobody listening is fine.
    browser.runtime.sendMessage({ type: 'queue-changed' }).catch(() => undefined),
    refreshBadge(),
  ]);
});

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

/** Team mode is best effort beside the queue: its errors are logged, never passed to the queue's callers. */
const logTeam = (error: unknown) => console.error('[send-guard] team mode:', error);

type Handled = ContentToBackground | PopupToBackground;

/**
 * Answers one already-validated request. Every state change is committed before the answer.
 * `origin`: the helpdesk tab's own origin (its top frame); a tab speaks of, and acts on, that
 * helpdesk's tickets and replies only. Undefined for the extension's own pages.
 */
export async function handle<M extends Handled>(message: M, now: number, origin?: string): Promise<ResponseOf<M['type']>> {
  if (origin !== undefined && 'ticket' in message && message.ticket.helpdeskOrigin !== origin) {
    throw new Error(`rejected message: it names ${message.ticket.helpdeskOrigin}, but came from ${origin}`);
  }
  return (await dispatch(message, now, origin)) as ResponseOf<M['type']>;
}

async function dispatch(message: Handled, now: number, origin: string | undefined): Promise<unknown> {
  switch (message.type) {
    case 'reply-failed': {
      const reply = { ...message.reply, error: sendErrorFromText(message.reply.error.message) };
      if (origin !== undefined) {
        const problem = reportProblem(message.reply, origin, await ticketPaths());
        if (problem) throw new Error(`rejected report: ${problem}`);
      }
      // A helpdesk past its allowance of new records (forged failures by the hundred) is refused and
      // counted; a failure already kept is always answered. Taken before the store, given back after.
      const allowance = origin !== undefined && reportLimiter.take(origin, now);
      if (origin !== undefined && !allowance && !(await isKnownFailure(await db(), reply))) {
        await noteDroppedReport(origin, now);
        throw new Error('rejected report: too many new failures from this helpdesk at once');
      }
      const { record, created } = await recordFailure(await db(), reply, crypto.randomUUID(), now).catch((error: unknown) => {
        if (allowance) reportLimiter.giveBack(origin);
        throw error;
      });
      if (allowance && !created) reportLimiter.giveBack(origin);
      const conversation = `${record.helpdeskOrigin}/${record.ticketId}`;
      // The record is committed: the tab gets it now. The detector learns of it right after, in
      // order (its state is storage, a few ms the banner need not wait for).
      if (created) {
        void detectorWork(async () => {
          // One send seen both as a page marker and as a network error within 30 s counts once (pairing.ts).
          if (await countOnce('dom', { conversation, code: record.error.code, errorClass: record.error.errorClass }, now)) {
            await feedDetector(
              record.channel,
              { at: message.reply.failedAt, outcome: 'failed', errorClass: record.error.errorClass, conversation },
              now,
            );
          }
        }).catch((error: unknown) => console.warn('Send Guard: the detector missed a failure', error));
      }
      // Tabs, popup and badge are told after the answer, not before it.
      if (created) void changed().catch(() => undefined);
      if (created) void syncReplyToTeam(record).catch(logTeam);
      return { record, created };
    }
    case 'network-failure': {
      const conversation = `${message.ticket.helpdeskOrigin}/${message.ticket.ticketId}`;
      const { errorClass, code } = classifySendError({ code: message.code, subcode: message.subcode, type: message.errorType });
      // Counted on its own (no marker needed), so a platform error is seen before the page shows it.
      if (await countOnce('network', { conversation, code, errorClass }, now)) {
        await feedDetector(message.channel, { at: Math.min(message.at, now), outcome: 'failed', errorClass, conversation }, now);
      }
      return { ok: true };
    }
    case 'open-queue': {
      await browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
      return { ok: true };
    }
    case 'get-language-pack': {
      const pack = await readOwnLocale(message.language);
      return isLocaleMessages(pack) ? pack : null;
    }
    case 'reply-delivered': {
      const conversation = `${message.ticket.helpdeskOrigin}/${message.ticket.ticketId}`;
      for (const delivery of message.deliveries) {
        await feedDetector(message.channel, { at: Math.min(delivery.at, now), outcome: 'delivered', conversation }, now);
      }
      return { ok: true };
    }
    case 'get-ticket-view':
      return ticketView(message.ticket, message.channel, await takeRetryRequests(message.ticket));
    case 'claim-reply': {
      // Sandbox builds may shorten the lease for tests (lease.ts); production always uses the default.
      const leaseMs = await leaseOverrideMs();
      const outcome = await applyEvent(await db(), message.id, { type: 'claim', now, ...(leaseMs ? { leaseMs } : {}) }, origin);
      if (outcome.ok) await changed();
      return outcome;
    }
    case 'retry-result': {
      const database = await db();
      const event =
        message.outcome === 'failed'
          ? ({
              type: 'send_failed',
              now,
              // A failure without detail is still a failure: never let it read as delivered.
              error: sendErrorFromText(message.error?.message),
              ...(message.messageId ? { messageId: message.messageId } : {}),
            } as const)
          : message.outcome === 'abandoned'
            ? ({ type: 'release', now } as const)
            : ({ type: 'delivered', now, late: message.outcome === 'delivered_late' } as const);
      const outcome = await applyEvent(database, message.id, event, origin);
      if (outcome.ok) {
        const record = outcome.record;
        const conversation = `${record.helpdeskOrigin}/${record.ticketId}`;
        if (message.outcome === 'delivered') await feedDetector(record.channel, { at: now, outcome: 'delivered', conversation }, now);
        const sighting = { conversation, code: record.error.code, errorClass: record.error.errorClass };
        if (message.outcome === 'failed' && (await countOnce('dom', sighting, now))) {
          await feedDetector(record.channel, { at: now, outcome: 'failed', errorClass: record.error.errorClass, conversation }, now);
        }
        await changed();
        void syncReplyToTeam(record).catch(logTeam);
      }
      return { ok: outcome.ok };
    }
    case 'hand-off':
      return handOff(await db(), message.id, now, origin);
    case 'retry-replies': {
      const { replies } = await readReplies(await db());
      const wanted = new Set(message.ids);
      const retryable = replies.filter(
        (r) =>
          wanted.has(r.id) &&
          (r.state === 'queued' || r.state === 'needs_attention' || (r.state === 'sending' && (r.leaseUntil ?? 0) <= now)),
      );
      const { opened } = await requestRetries(retryable, { openMissing: true });
      return { ok: retryable.length > 0, opened };
    }
    case 'discard-reply':
    case 'restore-reply': {
      const outcome = await applyEvent(await db(), message.id, { type: message.type === 'discard-reply' ? 'discard' : 'restore', now });
      if (outcome.ok) await changed();
      if (outcome.ok) void syncReplyToTeam(outcome.record).catch(logTeam);
      return { ok: outcome.ok };
    }
    case 'list-replies': {
      const [{ replies, quarantined }, health, dropped] = await Promise.all([readReplies(await db()), loadHealth(), droppedReports()]);
      const listing: QueueListing = {
        replies: replies.sort((a, b) => b.firstFailedAt - a.firstFailedAt),
        quarantined,
        health: Object.values(health) as ChannelHealth[],
        dropped,
      };
      return listing;
    }
  }
}

/** What the banner of one ticket shows: its unsent replies, oldest first, and the channel's health. */
async function ticketView(ticket: TicketRef, channel: TicketChannel, retryNow: string[]): Promise<TicketView> {
  const [{ replies }, health] = await Promise.all([readReplies(await db(), ticket), channel === 'other' ? null : loadHealth()]);
  return {
    replies: replies.filter(isUnsent).sort((a, b) => a.firstFailedAt - b.firstFailedAt),
    health: health && channel !== 'other' ? health[channel] : null,
    retryNow,
  };
}

async function handOff(database: QueueDatabase, id: string, now: number, origin: string | undefined): Promise<HandOffResult> {
  const tx = database.transaction('replies', 'readonly');
  const record = await tx.store.get(id);
  await tx.done;
  if (!record || (origin !== undefined && record.helpdeskOrigin !== origin)) return { ok: false, reason: 'not-found' };
  // The ticket's own Page id, else the one mapped in settings for this helpdesk and channel.
  const link = buildInboxLink({ channel: record.channel, pageId: pageIdFor(await loadEffectiveSettings(), record), userId: record.userId });
  // WhatsApp has no conversation link to open: the reply is copied and stays kept (utils/links.ts).
  if (!link) return { ok: false, reason: record.channel === 'whatsapp' ? 'copy-only' : 'no-page-id' };
  const outcome = await applyEvent(database, id, { type: 'hand_off', now }, origin);
  if (!outcome.ok) return { ok: false, reason: 'not-allowed' };
  await changed();
  void syncReplyToTeam(outcome.record).catch(logTeam);
  return { ok: true, url: link.url, conversation: link.conversation };
}
