import { browser } from 'wxt/browser';
import { ContentToBackground, ExtensionPageToBackground } from '@/utils/messages';
import { tickAllHealth } from './health';
import { handle, refreshBadge } from './queue';
import { testSelectors } from './self-test';
import { broadcast, forgetTab, rememberTab } from './tabs';

const HEALTH_TICK = 'health-tick';

export default defineBackground(() => {
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;

  // Listeners are registered synchronously so a worker woken by a message sees it.
  browser.runtime.onMessage.addListener((raw: unknown, sender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    const now = Date.now();
    // Extension pages first: an options page opened in a tab has a `sender.tab` too.
    if (sender.url?.startsWith(extensionOrigin)) {
      const parsed = ExtensionPageToBackground.safeParse(raw);
      if (!parsed.success) return Promise.reject(new Error(`rejected message: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
      if (parsed.data.type === 'test-selectors') return testSelectors(parsed.data);
      return handle(parsed.data, now);
    }
    if (sender.tab?.id !== undefined) {
      const parsed = ContentToBackground.safeParse(raw);
      if (!parsed.success) return Promise.reject(new Error(`rejected message: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
      const tabId = sender.tab.id;
      if (parsed.data.type === 'self-test-ready') return rememberTab(tabId).then(() => ({ ok: true }));
      return rememberTab(tabId).then(() => handle(parsed.data, now));
    }
    return undefined;
  });

  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));

  // Quiet-period recovery needs a clock even when no event arrives; alarms survive worker restarts.
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== HEALTH_TICK) return;
    if (await tickAllHealth(Date.now())) {
      await Promise.all([broadcast({ type: 'queue-changed' }), refreshBadge()]);
    }
  });
  void browser.alarms.get(HEALTH_TICK).then((existing) => {
    if (!existing) void browser.alarms.create(HEALTH_TICK, { periodInMinutes: 1 });
  });
  void refreshBadge();
});
