import { browser } from 'wxt/browser';
import { SANDBOX_MANAGED_KEY } from '@/utils/effective-settings';
import type { ResponseOf } from '@/utils/messages';
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
  browser.storage.onChanged.addListener((changes, area) => {
    // An admin's policy (storage.managed; in the sandbox build `sandbox:managed`) changes the merged settings too.
    if (area === 'managed') {
      void scheduleNextPoll(Date.now()).then(() => reconcileAndBadge(Date.now()));
      return;
    }
    if (area !== 'local') return;
    if ('settings' in changes || SANDBOX_MANAGED_KEY in changes)
      void scheduleNextPoll(Date.now()).then(() => reconcileAndBadge(Date.now()));
    else if ('health:v1' in changes) void reconcileAndBadge(Date.now());
  });
  void ensureStatusAlarm(Date.now());
}
