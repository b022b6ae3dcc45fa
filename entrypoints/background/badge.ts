import { browser } from 'wxt/browser';
import type { ProviderLevel } from '@/core/schemas';
import { createSerialQueue } from '@/utils/serial';
import { storedWorstLevel } from './provider-health';

const COLORS: Record<ProviderLevel, string> = { operational: '#1f73b7', unknown: '#68737d', degraded: '#c38f00', outage: '#cc3340' };
const serial = createSerialQueue();

/**
 * Toolbar badge: the number of unsent replies, colored by the worst merged level (detector and
 * official sources, as last reconciled). One update at a time, the level read when it runs: two
 * overlapping refreshes must not leave a stale color behind (e.g. red after a recovery).
 */
export function showBadge(unsent: number): Promise<void> {
  return serial(async () => {
    // The merged level already includes the detector's (every detector change is re-merged).
    const level = await storedWorstLevel();
    await browser.action.setBadgeText({ text: unsent > 0 ? String(Math.min(unsent, 999)) : '' });
    await browser.action.setBadgeBackgroundColor({ color: COLORS[level] });
  });
}
