import { browser } from 'wxt/browser';
import type { HealthLevel } from '@/utils/detector';

const COLORS: Record<HealthLevel, string> = { operational: '#1f73b7', degraded: '#c38f00', outage: '#cc3340' };

/** Toolbar badge: the number of unsent replies, colored by the worst channel level. */
export async function showBadge(unsent: number, level: HealthLevel): Promise<void> {
  await browser.action.setBadgeText({ text: unsent > 0 ? String(Math.min(unsent, 999)) : '' });
  await browser.action.setBadgeBackgroundColor({ color: COLORS[level] });
}
