import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { loadFallbackMessages } from '@/utils/i18n';
import { AUTO_RETRY_ALARM, runAutoRetryStep } from './auto-retry';
import { tickAllHealth } from './health';
import { startDomainScripts } from './helpdesk-domains';
import { startOnboarding } from './onboarding';
import { changedQueue, onHealthChanged, refreshBadge, settleQueue } from './queue';
import { RETENTION_ALARM, runRetention } from './retention';
import { onWorkerMessage } from './router';
import { workerNow } from './sandbox-hooks';
import { onStatusAlarm, startStatus } from './status';
import { forgetTab } from './tabs';
import { onTeamAlarm, startTeam } from './team';

const HEALTH_TICK = 'health-tick';

export default defineBackground(() => {
  // Listeners are registered synchronously so a worker woken by a message sees it (router.ts answers).
  browser.runtime.onMessage.addListener(onWorkerMessage);

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
