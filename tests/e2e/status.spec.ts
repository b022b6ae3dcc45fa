import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import type { StatusRequest } from '../../sandbox/server';
import {
  banner,
  forceStatus as forceSandboxStatus,
  type Harness,
  openTicket,
  outboundMessage,
  pointStatusAtSandbox,
  pollStatusNow as pollNow,
  readQueue,
  sendReply,
  setMode,
  startHarness,
} from './harness';

// Provider status end to end: the sandbox's fake status pages (real formats), polled by the extension.

// The extension APIs used inside extension pages (evaluated there, typed here).
declare const chrome: {
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
  action: { getBadgeText(details: object): Promise<string>; getBadgeBackgroundColor(details: object): Promise<number[]> };
};

let harness: Harness;
let ext: Page;

test.beforeEach(async () => {
  harness = await startHarness();
  ext = await harness.context.newPage();
  await ext.goto(`chrome-extension://${harness.extensionId}/popup.html`);
});

test.afterEach(async () => {
  await harness?.close();
});

const forceStatus = (body: StatusRequest) => forceSandboxStatus(harness.sandbox, body);
const configure = (page: Page, patch?: Parameters<typeof pointStatusAtSandbox>[2]) => pointStatusAtSandbox(page, harness.sandbox, patch);

async function badge(page: Page): Promise<{ text: string; color: number[] }> {
  return page.evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    color: await chrome.action.getBadgeBackgroundColor({}),
  }));
}

interface LogEvent {
  at: number;
  kind: string;
  detail?: string;
}
async function incidentLog(page: Page): Promise<{ channel: string; endedAt: number | null; events: LogEvent[] }[]> {
  return page.evaluate(
    async () => ((await chrome.storage.local.get('incidents:v1'))['incidents:v1'] as { episodes: never[] } | undefined)?.episodes ?? [],
  );
}

const RED = [204, 51, 64, 255];
const AMBER = [195, 143, 0, 255];
const GREY = [104, 115, 125, 255];

test('Meta reports an outage (its orgs array) and nothing fails here: each channel cites its own org, unofficial; then the documented page', async () => {
  const { context, sandbox } = harness;
  await configure(ext);
  await forceStatus({ statuspage: 'operational', zendesk: 'operational', meta: 'outage' });
  const t101 = await openTicket(context, sandbox, '101');
  const t103 = await openTicket(context, sandbox, '103');
  await pollNow(ext);

  // Messenger: the messenger org's "High disruptions", linked to that org's page.
  const shown = banner(t101);
  await expect(shown).toContainText('Meta reports an outage of Messenger since');
  await expect(shown).toContainText('Messenger replies are not failing here so far.');
  await expect(shown).toHaveAttribute('role', 'alert');
  const official = shown.getByTestId('send-guard-official');
  await expect(official).toContainText('Meta says:');
  await expect(official.locator('q')).toHaveText('Messenger API: High disruptions');
  await expect(official).toContainText('(unofficial source)');
  await expect(official.getByRole('link', { name: 'Open status page' })).toHaveAttribute('href', `${sandbox.url}/status/meta/messenger`);
  await expect(shown).toContainText('Level: Outage');
  expect(await badge(ext)).toEqual({ text: '', color: RED });

  // Instagram: the ig-messenger org, not Messenger's words.
  const ig = banner(t103);
  await expect(ig).toContainText('Meta reports an outage of Instagram since');
  const igOfficial = ig.getByTestId('send-guard-official');
  await expect(igOfficial.locator('q')).toHaveText('Instagram Messaging API: High disruptions');
  await expect(igOfficial.getByRole('link', { name: 'Open status page' })).toHaveAttribute(
    'href',
    `${sandbox.url}/status/meta/ig-messenger`,
  );
  await expect(igOfficial).not.toContainText('Messenger API');

  // The documented Statuspage source now says the same: it is cited instead, with its incident link.
  await forceStatus({ statuspage: 'outage' });
  await pollNow(ext);
  await expect(official).not.toContainText('unofficial');
  await expect(official.getByRole('link', { name: 'Open status page' })).toHaveAttribute(
    'href',
    `${sandbox.url}/status/statuspage/incidents/sbxinc000001`,
  );

  // Snoozed for this incident: the status part goes away (no replies kept, so the whole banner).
  await shown.getByRole('button', { name: 'Hide until this incident ends' }).click();
  await expect(shown).toHaveCount(0);
});

test('Meta reports a disruption: Messenger "Medium", Instagram "Low" disruptions are each a disruption, cited per channel', async () => {
  const { context, sandbox } = harness;
  await configure(ext);
  await forceStatus({ statuspage: 'operational', zendesk: 'operational', meta: 'auto' });
  // The Graph mode drives the status sources in `auto`: intermittent → minor trouble.
  await setMode(sandbox, { mode: 'intermittent' });
  const t101 = await openTicket(context, sandbox, '101');
  const t103 = await openTicket(context, sandbox, '103');
  await pollNow(ext);
  await expect(banner(t101)).toContainText('Meta reports a disruption of Messenger since');
  await expect(banner(t101).getByTestId('send-guard-official').locator('q')).toHaveText('Messenger API: Medium disruptions');
  await expect(banner(t103)).toContainText('Meta reports a disruption of Instagram since');
  await expect(banner(t103).getByTestId('send-guard-official').locator('q')).toHaveText('Instagram Messaging API: Low disruptions');
  await expect(banner(t101)).toContainText('Level: Failing');
  expect(await badge(ext)).toEqual({ text: '', color: AMBER });
});

test('local failures while the official page is green, then recovery: wording, one notification each way, badge follows the queue, timeline in order', async () => {
  const { context, sandbox } = harness;
  await configure(ext, { notifications: true });
  await forceStatus({ statuspage: 'operational', zendesk: 'operational', meta: 'operational' });
  await pollNow(ext);
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const t101 = await openTicket(context, sandbox, '101');
  const t102 = await openTicket(context, sandbox, '102');
  const failed = [
    [t101, 'Anna, the courier comes tomorrow.'],
    [t101, 'Tracking link follows by e-mail.'],
    [t102, 'Ben, the refund is on its way.'],
  ] as const;
  for (const [page, text] of failed) {
    await sendReply(page, text);
    await expect(outboundMessage(page, text)).toHaveAttribute('data-delivery-status', 'failed');
  }
  await expect.poll(async () => (await readQueue(harness.worker)).length).toBe(3);

  // First-hand evidence leads; the provider has not confirmed it.
  await expect(banner(t101)).toContainText(/Messenger replies are failing here since .+ \(\d\d:\d\d UTC, 2 conversations\)\./);
  await expect(banner(t101)).toContainText('Meta has not reported a problem yet.');
  await expect.poll(async () => (await badge(ext)).text).toBe('3');
  expect((await badge(ext)).color).toEqual(AMBER);

  // The provider acknowledges it, then clears it.
  await forceStatus({ statuspage: 'outage' });
  await pollNow(ext);
  await expect(banner(t101)).toContainText('Meta reports an outage of Messenger since');
  await forceStatus({ statuspage: 'operational' });
  await pollNow(ext);

  // Recovery: the Send API works again and new replies go out.
  await setMode(sandbox, { mode: 'healthy' });
  for (const text of ['Quick update one.', 'Quick update two.', 'Quick update three.']) {
    await sendReply(t101, text);
    await expect(outboundMessage(t101, text)).toHaveAttribute('data-delivery-status', 'delivered');
  }
  await expect(banner(t101)).toContainText(/Recovered at .+ \(\d\d:\d\d UTC\) — 3 replies waiting to be retried\./);
  await expect(banner(t101)).not.toContainText('failing here');
  await expect(banner(t101)).toHaveAttribute('role', 'status');

  // Retrying empties the queue; the badge count follows it.
  await banner(t101).getByRole('button', { name: 'Retry all' }).click();
  await expect.poll(async () => (await badge(ext)).text, { timeout: 30_000 }).toBe('1');
  await banner(t102).getByRole('button', { name: 'Retry', exact: true }).click();
  await expect.poll(async () => (await badge(ext)).text, { timeout: 30_000 }).toBe('');

  // Exactly one notification at the start and one at the end of the episode.
  const [episode] = (await incidentLog(ext)).filter((e) => e.channel === 'messenger');
  expect(episode?.endedAt).not.toBeNull();
  expect(episode?.events.filter((e) => e.kind === 'notified').map((e) => e.detail)).toEqual(['start', 'end']);

  // The exported timeline (the popup's Export menu) lists the episode's events in time order, in UTC.
  await ext.locator('summary', { hasText: 'Export' }).click();
  const [download] = await Promise.all([
    ext.waitForEvent('download'),
    ext.getByRole('button', { name: 'Export incident timeline' }).click(),
  ]);
  const markdown = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  // The official outage also touched Instagram and WhatsApp (their own episodes); read Messenger's.
  const section = markdown.split('\n## ').find((part) => part.startsWith('Messenger incident from')) ?? '';
  const lines = section.split('\n').filter((l) => l.startsWith('- **'));
  const stamps = lines.map((l) => l.slice(4, 20));
  expect([...stamps].sort()).toEqual(stamps);
  const index = (text: string) => lines.findIndex((l) => l.includes(text));
  for (const text of [
    'First failure seen',
    'Banner shown',
    'Meta acknowledged',
    'Recovered',
    'Reply kept (ticket 101)',
    'Reply retried and delivered (ticket 102)',
  ]) {
    expect(index(text), text).toBeGreaterThanOrEqual(0);
  }
  expect(index('First failure seen')).toBeLessThan(index('Banner shown'));
  expect(index('Banner shown')).toBeLessThan(index('Meta acknowledged'));
  expect(index('Meta acknowledged')).toBeLessThan(index('Recovered'));
  expect(index('Recovered')).toBeLessThan(index('Reply retried and delivered (ticket 102)'));
  expect(markdown).toMatch(/^# Incident timeline \(UTC\)/);
});

test('status endpoints answering HTML, 500 or hanging: no banner for that alone; with failures here, they lead and the source is a small note', async () => {
  const { context, sandbox } = harness;
  await configure(ext);
  await pollNow(ext);
  await forceStatus({ statuspage: 'html', zendesk: '500', meta: 'hang' });
  const t101 = await openTicket(context, sandbox, '101');
  const t102 = await openTicket(context, sandbox, '102');
  const started = Date.now();
  await pollNow(ext);
  // The hanging source was cut off by the 10 s timeout, not waited on forever.
  expect(Date.now() - started).toBeLessThan(20_000);
  // Nothing failing here and no source readable: no reason to cover the ticket with a banner.
  expect((await badge(ext)).color).toEqual(GREY);
  await expect(banner(t101)).toHaveCount(0);

  // Replies fail here (platform errors, two conversations): that first-hand evidence is the headline.
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  for (const [page, text] of [
    [t101, 'Anna, your parcel left the warehouse.'],
    [t101, 'The tracking number follows.'],
    [t102, 'Ben, the refund is approved.'],
  ] as const) {
    await sendReply(page, text);
    await expect(outboundMessage(page, text)).toHaveAttribute('data-delivery-status', 'failed');
  }
  const shown = banner(t101);
  const health = shown.locator('.sg-health');
  await expect(health).toContainText(/^Messenger replies are failing here since/);
  await expect(health).not.toContainText('could not be checked');
  // The unreadable sources: one small note after it, with the last known state.
  const note = shown.getByTestId('send-guard-source-note');
  await expect(note).toContainText(/status could not be checked \(last known: Operational, \d+ min ago\)/);
  expect(await note.evaluate((el) => getComputedStyle(el).fontSize)).toBe('12px');
  expect(
    await shown.evaluate((root) => {
      const all = [...root.querySelectorAll('.sg-health, [data-testid="send-guard-source-note"]')];
      return all.map((el) => (el.classList.contains('sg-health') ? 'health' : 'note'));
    }),
  ).toEqual(['health', 'note']);
  await expect(shown.getByTestId('send-guard-provider')).toHaveAttribute('data-level', 'degraded');
  await expect(shown).toContainText('2 unsent replies on this ticket are kept safe');
});

/** Stops the extension's service worker over the DevTools protocol and counts its stops and restarts
 * (Playwright's Worker object reports neither: Chrome reuses the target). */
async function watchServiceWorker(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  const seen = { stopped: false, stops: 0, restarts: 0 };
  cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
    for (const version of event.versions) {
      if (version.runningStatus === 'stopped' && !seen.stopped) {
        seen.stopped = true;
        seen.stops += 1;
      }
      if (version.runningStatus === 'running' && seen.stopped) {
        seen.stopped = false;
        seen.restarts += 1;
      }
    }
  });
  await cdp.send('ServiceWorker.enable');
  return {
    seen,
    async stop() {
      const before = seen.stops;
      await cdp.send('ServiceWorker.stopAllWorkers');
      await expect.poll(() => seen.stops > before, { timeout: 10_000 }).toBe(true);
    },
  };
}

test('polling goes on after the service worker is stopped and restarted', async () => {
  const { context, sandbox } = harness;
  await configure(ext, { activeIntervalMin: 0.5 });
  const t101 = await openTicket(context, sandbox, '101');
  await pollNow(ext);
  await expect(banner(t101)).toHaveCount(0);
  const checkedAt = async () =>
    ext.evaluate(async () => {
      const snaps = (await chrome.storage.local.get('status:v1'))['status:v1'] as Record<string, { checkedAt: number }>;
      return Math.max(...Object.values(snaps).map((s) => s.checkedAt));
    });
  const firstCheck = await checkedAt();

  const worker = await watchServiceWorker(context, ext);
  await worker.stop();
  await forceStatus({ meta: 'outage', statuspage: 'outage' });
  // Nothing is sent to the worker: its alarm wakes it, it polls and tells the tab.
  await expect(banner(t101)).toContainText('Meta reports an outage of Messenger since', { timeout: 75_000 });
  expect(worker.seen.restarts).toBeGreaterThanOrEqual(1);
  expect(await checkedAt()).toBeGreaterThan(firstCheck);
});
