import { browser } from 'wxt/browser';
import { z } from 'zod';
import type { BackgroundToContent } from '@/utils/messages';
import { createSerialQueue } from '@/utils/serial';

// Helpdesk tabs that talked to us, kept in session storage so a restarted worker still knows them.
const TABS_KEY = 'helpdeskTabs';
const TabIds = z.array(z.number().int());
const serial = createSerialQueue();
/** Tabs known to be stored, for this worker's life: most messages come from a known tab and skip storage. */
const stored = new Set<number>();

async function readTabs(): Promise<number[]> {
  const parsed = TabIds.safeParse((await browser.storage.session.get(TABS_KEY))[TABS_KEY] ?? []);
  return parsed.success ? parsed.data : [];
}

export function rememberTab(tabId: number): Promise<void> {
  if (stored.has(tabId)) return Promise.resolve();
  return serial(async () => {
    const tabs = await readTabs();
    if (!tabs.includes(tabId)) await browser.storage.session.set({ [TABS_KEY]: [...tabs, tabId] });
    stored.add(tabId);
  });
}

export function forgetTab(tabId: number): Promise<void> {
  stored.delete(tabId);
  return serial(async () => {
    const tabs = await readTabs();
    if (tabs.includes(tabId)) await browser.storage.session.set({ [TABS_KEY]: tabs.filter((id) => id !== tabId) });
    stored.delete(tabId);
  });
}

/** Tells every known helpdesk tab; a tab that is gone is forgotten. */
export async function broadcast(message: BackgroundToContent): Promise<void> {
  const tabs = await readTabs();
  // A tab that cannot hear is closed or reloaded: forgotten (a reloaded one announces itself again).
  await Promise.all(tabs.map((tabId) => browser.tabs.sendMessage(tabId, message).catch(() => forgetTab(tabId))));
}

/** The helpdesk tabs that talked to us, in the order they first did. */
export function knownHelpdeskTabs(): Promise<number[]> {
  return readTabs();
}
