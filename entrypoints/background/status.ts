import { browser } from 'wxt/browser';
import { SANDBOX_MANAGED_KEY } from '@/utils/effective-settings';
import type { ContentToBackground, ExtensionPageToBackground } from '@/utils/messages';
import {
  computeProviderHealth,
  exportTimeline,
  noteBannerShown,
  providerHealthFor,
  reconcileProviderHealth,
  snoozeEpisode,
} from './provider-health';
import { refreshBadge } from './queue';
import { ensureStatusAlarm, pollStatus, STATUS_ALARM, scheduleNextPoll } from './status-poller';

// Wiring for provider status: the messages, the alarm and the storage changes it reacts to.
// index.ts calls these; the decisions live in status-poller.ts, provider-health.ts and utils/.

type StatusMessage = Extract<
  ContentToBackground | ExtensionPageToBackground,
  { type: 'get-provider-health' | 'banner-shown' | 'snooze-episode' | 'poll-status-now' | 'export-timeline' | 'list-provider-health' }
>;

const TYPES = new Set<string>([
  'get-provider-health',
  'banner-shown',
  'snooze-episode',
  'poll-status-now',
  'export-timeline',
  'list-provider-health',
]);

export function isStatusMessage(message: { type: string }): message is StatusMessage {
  return TYPES.has(message.type);
}

async function reconcileAndBadge(now: number): Promise<void> {
  const { changed } = await reconcileProviderHealth(now);
  if (changed) await refreshBadge();
}

export async function handleStatusMessage(message: StatusMessage, now: number): Promise<unknown> {
  switch (message.type) {
    case 'get-provider-health':
      return providerHealthFor(message.channel, now);
    case 'banner-shown':
      await noteBannerShown(message.channel, now);
      return { ok: true };
    case 'snooze-episode':
      return { ok: await snoozeEpisode(message.channel) };
    case 'poll-status-now': {
      const { polled } = await pollStatus(now, { force: true });
      await reconcileAndBadge(Date.now());
      return { ok: true, polled };
    }
    case 'export-timeline':
      return { markdown: await exportTimeline(now) };
    case 'list-provider-health':
      return computeProviderHealth(now);
  }
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
