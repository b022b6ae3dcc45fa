import type { ResponseOf } from '@/core/protocol';
import { watchEffectiveSettings } from '@/core/settings/effective-settings';
import { storedHealth } from './health';
import { reconcileProviderHealth } from './provider-health';
import { refreshBadge } from './queue';
import { ensureStatusAlarm, pollStatus, STATUS_ALARM, scheduleNextPoll } from './status-poller';

// Wiring for provider status: the poll on request, the alarm and the storage changes it reacts to.
// index.ts and router.ts call these; the decisions live in status-poller.ts, provider-health.ts and utils/.

async function reconcileAndBadge(now: number): Promise<void> {
  const { changed } = await reconcileProviderHealth(now);
  if (changed) await refreshBadge();
}

/** The popup's (and the tests') "check now": every source polled, whatever its schedule. */
export async function pollStatusNow(now: number): Promise<ResponseOf<'poll-status-now'>> {
  const { polled } = await pollStatus(now, { force: true });
  await reconcileAndBadge(Date.now());
  return { ok: true, polled };
}

/** True when the alarm was ours. */
export async function onStatusAlarm(name: string): Promise<boolean> {
  if (name !== STATUS_ALARM) return false;
  await pollStatus(Date.now());
  await reconcileAndBadge(Date.now());
  return true;
}

/** Registered synchronously at worker start: the detector's stored state and settings drive a re-merge. */
export function startStatus(): void {
  // The user's settings or an admin's policy: the poll schedule and the merged health may change.
  watchEffectiveSettings(() => void scheduleNextPoll(Date.now()).then(() => reconcileAndBadge(Date.now())));
  storedHealth.watch(() => void reconcileAndBadge(Date.now()));
  void ensureStatusAlarm(Date.now());
}
