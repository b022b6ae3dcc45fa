import { browser } from 'wxt/browser';
import { z } from 'zod';
import { isDoNotRetry } from '@/core/failures/send-errors';
import { type QueuedReply, readReplies } from '@/core/queue';
import type { Channel } from '@/core/schemas';
import { loadEffectiveSettings } from '@/core/settings/effective-settings';
import { defineStoredValue } from '@/utils/stored-value';

import { withQueueDb } from './db';
import { requestRetries } from './retry-requests';

export const AUTO_RETRY_ALARM = 'auto-retry';
/** At most this many replies per recovery: a second wave of failures must not pile up sends. */
export const AUTO_RETRY_CAP = 25;
// Errors a later attempt can fix; a closed window, an unreachable person or auth never are.
const RETRYABLE = new Set(['provider_transient', 'rate_limited', 'unknown']);

const Plan = z.object({ ids: z.array(z.string()), budget: z.number().int().nonnegative() });
/** The replies a recovery still has to retry and how many more it may send, kept for this browser session. */
const storedPlan = defineStoredValue({ key: 'session:autoRetryPlan', schema: Plan.nullable(), fallback: null });

/** Only `queued`: never a reply that needs the agent, one another retry holds, or an `unconfirmed` one. */
export function autoRetryable(record: QueuedReply, channel: Channel): boolean {
  // The code decides too: a reply kept under an older reading may carry a retryable class for a code Meta says never to resend.
  return record.channel === channel && record.state === 'queued' && RETRYABLE.has(record.error.errorClass) && !isDoNotRetry(record.error);
}

/** The channel recovered: if the agent turned auto-retry on, plan one ticket per alarm tick. */
export async function onChannelRecovered(channel: Channel): Promise<void> {
  const settings = await loadEffectiveSettings();
  if (!settings.autoRetry) return;
  const { replies } = await withQueueDb((db) => readReplies(db));
  const ids = replies
    .filter((r) => autoRetryable(r, channel))
    .sort((a, b) => a.firstFailedAt - b.firstFailedAt)
    .map((r) => r.id);
  if (ids.length === 0) return;
  await storedPlan.set({ ids, budget: AUTO_RETRY_CAP });
  await runAutoRetryStep();
}

/** One step: the oldest waiting ticket's replies go to its open tab; the rest wait for the next tick. */
export async function runAutoRetryStep(): Promise<void> {
  const plan = await storedPlan.get();
  if (!plan || plan.ids.length === 0 || plan.budget === 0) {
    await browser.alarms.clear(AUTO_RETRY_ALARM);
    return;
  }
  const { replies } = await withQueueDb((db) => readReplies(db));
  const waiting = new Set(plan.ids);
  // Re-check each one: the agent may have retried, handed off or discarded it meanwhile.
  // Oldest first, as planned: getAll returns records in (random) id order, which made "the oldest
  // waiting ticket" an arbitrary one.
  const still = replies.filter((r) => waiting.has(r.id) && r.state === 'queued').sort((a, b) => a.firstFailedAt - b.firstFailedAt);
  const first = still[0];
  if (!first) {
    await storedPlan.remove();
    await browser.alarms.clear(AUTO_RETRY_ALARM);
    return;
  }
  const batch = still.filter((r) => r.helpdeskOrigin === first.helpdeskOrigin && r.ticketId === first.ticketId).slice(0, plan.budget);
  // Only tabs already open: auto-retry never opens tickets on its own.
  await requestRetries(batch, { openMissing: false });
  const done = new Set(batch.map((r) => r.id));
  const ids = still.filter((r) => !done.has(r.id)).map((r) => r.id);
  await storedPlan.set({ ids, budget: plan.budget - batch.length });
  // Spacing between tickets; alarms survive the worker being stopped in between.
  if (ids.length > 0) await browser.alarms.create(AUTO_RETRY_ALARM, { delayInMinutes: 0.5 });
}
