import { browser } from 'wxt/browser';
import { z } from 'zod';
import type { BackgroundToContent } from '@/core/protocol';
import { defineStoredValue } from '@/utils/stored-value';

/** Helpdesk tabs that talked to us, kept in session storage so a restarted worker still knows them (team.ts watches it). */
export const storedTabs = defineStoredValue({ key: 'session:helpdeskTabs', schema: z.array(z.number().int()), fallback: [] });
/** Tabs known to be stored, for this worker's life: most messages come from a known tab and skip storage. */
const stored = new Set<number>();

export async function rememberTab(tabId: number): Promise<void> {
  if (stored.has(tabId)) return;
  await storedTabs.update((tabs) => (tabs.includes(tabId) ? tabs : [...tabs, tabId]));
  stored.add(tabId);
}

export async function forgetTab(tabId: number): Promise<void> {
  // Before and after the write: a rememberTab that finished while it waited must not leave the tab
  // remembered in memory but gone from storage.
  stored.delete(tabId);
  await storedTabs.update((tabs) => (tabs.includes(tabId) ? tabs.filter((id) => id !== tabId) : tabs));
  stored.delete(tabId);
}

/** Tells every known helpdesk tab; a tab that is gone is forgotten. */
export async function broadcast(message: BackgroundToContent): Promise<void> {
  const tabs = await storedTabs.get();
  // A tab that cannot hear is closed or reloaded: forgotten (a reloaded one announces itself again).
  await Promise.all(tabs.map((tabId) => browser.tabs.sendMessage(tabId, message).catch(() => forgetTab(tabId))));
}

/** The helpdesk tabs that talked to us, in the order they first did. */
export function knownHelpdeskTabs(): Promise<number[]> {
  return storedTabs.get();
}
