import { browser } from 'wxt/browser';
import { loadFallbackMessages } from '@/utils/i18n';
import { ContentToBackground, ExtensionPageToBackground } from '@/utils/messages';
import { senderOrigin } from '@/utils/sender-binding';
import { AUTO_RETRY_ALARM, runAutoRetryStep } from './auto-retry';
import { tickAllHealth } from './health';
import { helpdeskTabAllowed, startDomainScripts } from './helpdesk-domains';
import { startOnboarding } from './onboarding';
import { customProfileForTab, savePageMapping } from './page-setup';
import { changedQueue, handle, onHealthChanged, refreshBadge, settleQueue } from './queue';
import { RETENTION_ALARM, runRetention } from './retention';
import { sandboxRequest, workerNow } from './sandbox-hooks';
import { testSelectors } from './self-test';
import { handleStatusMessage, isStatusMessage, onStatusAlarm, startStatus } from './status';
import { forgetTab, rememberTab } from './tabs';
import { onTeamAlarm, startTeam } from './team';

const HEALTH_TICK = 'health-tick';

export default defineBackground(() => {
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;

  // Listeners are registered synchronously so a worker woken by a message sees it.
  browser.runtime.onMessage.addListener((raw: unknown, sender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    return workerNow().then((now) => answer(raw, sender, now));
  });

  const answer = (raw: unknown, sender: Browser.runtime.MessageSender, now: number): Promise<unknown> | undefined => {
    // Extension pages first: an options page opened in a tab has a `sender.tab` too.
    if (sender.url?.startsWith(extensionOrigin)) {
      // Sandbox builds only (sandbox-hooks.ts): a test runs the retention purge now.
      if (sandboxRequest(raw) === 'run-retention') return runRetention(now);
      const parsed = ExtensionPageToBackground.safeParse(raw);
      if (!parsed.success) return Promise.reject(new Error(`rejected message: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
      if (parsed.data.type === 'test-selectors') return testSelectors(parsed.data);
      if (isStatusMessage(parsed.data)) return handleStatusMessage(parsed.data, now);
      return handle(parsed.data, now);
    }
    if (sender.tab?.id !== undefined) {
      const parsed = ContentToBackground.safeParse(raw);
      if (!parsed.success) return Promise.reject(new Error(`rejected message: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
      // Bound to the tab's top frame and its origin: a tab speaks only of its own helpdesk.
      const origin = senderOrigin(sender);
      if (origin === null) return Promise.reject(new Error('rejected message: not from a helpdesk page’s top frame'));
      const tabId = sender.tab.id;
      const message = parsed.data;
      // A Zendesk account left out of the options' subdomain list is ignored here, not in the page.
      return helpdeskTabAllowed(sender.url).then((allowed) => {
        if (!allowed) throw new Error('rejected message: this Zendesk subdomain is not in Send Guard’s list');
        if (message.type === 'self-test-ready') return rememberTab(tabId).then(() => ({ ok: true }));
        if (message.type === 'get-custom-profile') return customProfileForTab();
        if (message.type === 'save-page-mapping') {
          if (message.mapping.helpdeskOrigin !== origin) throw new Error('rejected message: a Page ID for another helpdesk');
          return savePageMapping(message.mapping);
        }
        if (isStatusMessage(message)) return rememberTab(tabId).then(() => handleStatusMessage(message, now));
        return rememberTab(tabId).then(() => handle(message, now, origin));
      });
    }
    return undefined;
  };

  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  startOnboarding();

  // Timers are alarms: they survive the worker being stopped between ticks.
  browser.alarms.onAlarm.addListener(async (alarm) => {
    const now = await workerNow();
    if ((await onStatusAlarm(alarm.name)) || (await onTeamAlarm(alarm.name))) return;
    if (alarm.name === HEALTH_TICK) {
      // Quiet-period recovery needs a clock even when no event arrives.
      for (const { channel, before, after } of await tickAllHealth(now)) await onHealthChanged(channel, before, after);
      // Lapsed claims become unconfirmed; replies waiting in the fallback move into the queue.
      if (await settleQueue(now)) await changedQueue();
    } else if (alarm.name === RETENTION_ALARM) {
      const { purged, quarantined } = await runRetention(now);
      if (purged > 0 || quarantined > 0) await refreshBadge();
    } else if (alarm.name === AUTO_RETRY_ALARM) {
      await runAutoRetryStep();
    }
  });
  const ensureAlarm = async (name: string, periodInMinutes: number) => {
    if (!(await browser.alarms.get(name))) await browser.alarms.create(name, { periodInMinutes, delayInMinutes: 1 });
  };
  void ensureAlarm(HEALTH_TICK, 1);
  void ensureAlarm(RETENTION_ALARM, 60);
  void refreshBadge();
  startStatus();
  startDomainScripts();
  startTeam();
  // Badge titles, notifications and team notes never show a bare key (i18n.ts).
  void loadFallbackMessages();
});
