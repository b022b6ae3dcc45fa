import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Browser, Page } from 'puppeteer-core';
import { startSandbox } from '../../sandbox/server';
import { type Sandbox, sentLog, setMode } from '../e2e/harness';
import {
  deliveryStatus,
  FIREFOX_EXTENSION_DIR,
  findPage,
  GECKO_ID,
  launchFirefox,
  readQueue,
  sendReply,
  stubBusinessSuite,
} from './firefox';

// The outage loop in real Firefox ESR with the sandbox build for Firefox (`npm run test:firefox`).
// Sandbox tickets (sandbox/tickets.ts): 101 is Messenger, Page 104857600123456, PSID 6723451234567890.
const PAGE_ID = '104857600123456';
const PSID_101 = '6723451234567890';
const HANDED = 'Hi Anna, your refund was approved today (from Firefox).';
const RETRIED = 'It will show on your card within 3 business days (from Firefox).';
const SANDBOX_HOSTS = 'http://127.0.0.1/*';

let browser: Browser;
let sandbox: Sandbox;

test.beforeEach(async () => {
  mkdirSync('artifacts', { recursive: true });
  sandbox = await startSandbox({ port: 0 });
  browser = await launchFirefox();
});

test.afterEach(async () => {
  await browser?.close();
  await sandbox?.close();
});

const bodyText = (page: Page) => page.evaluate(() => document.body.textContent ?? '');

test('Firefox: access withheld is shown and asked for; an outage keeps replies, shows the banner, hands off and retries once', async () => {
  const handoffs = await stubBusinessSuite(browser);
  expect(await browser.installExtension(FIREFOX_EXTENSION_DIR)).toBe(GECKO_ID);

  // Installing opens the first-run page.
  let onboarding: Page | null = null;
  await expect.poll(async () => (onboarding = await findPage(browser, (href) => href.endsWith('/onboarding.html')))).not.toBeNull();
  if (!onboarding) throw new Error('no first-run page');
  const guide: Page = onboarding;
  await expect.poll(() => bodyText(guide)).toContain('What Send Guard watches');

  // Firefox lets the user withdraw an MV3 extension's host access (about:addons → Permissions).
  // Withdrawn, Send Guard says so and asks for it again in a click.
  await guide.evaluate(`browser.permissions.remove({ origins: ['${SANDBOX_HOSTS}'] })`);
  await expect.poll(() => bodyText(guide)).toContain('Send Guard can’t see your helpdesk yet');
  // The popup says the same while access is missing.
  await guide.evaluate(`browser.tabs.create({ url: '/popup.html' })`);
  let popup: Page | null = null;
  await expect.poll(async () => (popup = await findPage(browser, (href) => href.endsWith('/popup.html')))).not.toBeNull();
  if (!popup) throw new Error('no popup tab');
  const popupTab: Page = popup;
  await expect.poll(() => bodyText(popupTab)).toContain('Send Guard can’t see your helpdesk yet');
  await popupTab.close();
  const allow = await guide.waitForSelector('[data-testid="host-access"] button');
  await allow?.click();
  await expect.poll(() => guide.evaluate(`browser.permissions.contains({ origins: ['${SANDBOX_HOSTS}'] })`)).toBe(true);
  await expect.poll(() => bodyText(guide)).toContain('Send Guard has access to your helpdesk');
  await guide.screenshot({ path: 'artifacts/firefox-onboarding.png' });

  // Meta's Send API is down: both replies fail in the helpdesk.
  await setMode(sandbox, { mode: 'outage', outageKind: 'rotate' });
  const ticket = await browser.newPage();
  await ticket.goto(`${sandbox.url}/agent/tickets/101`);
  await sendReply(ticket, HANDED);
  await expect.poll(() => deliveryStatus(ticket, HANDED)).toBe('failed');
  await sendReply(ticket, RETRIED);
  await expect.poll(() => deliveryStatus(ticket, RETRIED)).toBe('failed');

  // Kept: both records in the extension's IndexedDB, with the exact text.
  await expect.poll(async () => (await readQueue(guide)).map((r) => r.text).sort()).toEqual([HANDED, RETRIED].sort());
  for (const record of await readQueue(guide)) {
    expect(record).toMatchObject({ ticketId: '101', channel: 'messenger', state: 'queued', helpdeskOrigin: sandbox.url, pageId: PAGE_ID });
  }
  const idOf = async (text: string) => (await readQueue(guide)).find((r) => r.text === text)?.id ?? '';

  // The banner an agent sees.
  const kept = await ticket.waitForSelector('send-guard-banner >>> [data-testid="send-guard-kept"]');
  expect(await kept?.evaluate((e) => e.textContent)).toBe('2 unsent replies on this ticket are kept safe by Send Guard.');
  await ticket.screenshot({ path: 'artifacts/firefox-ticket-101-outage.png' });

  // Hand off: the same conversation opens in Business Suite (stubbed), the record is marked.
  const handedId = await idOf(HANDED);
  const opened = browser.waitForTarget((target) => target.url().startsWith('https://business.facebook.com/'));
  await (await ticket.waitForSelector(`send-guard-banner >>> li[data-reply-id="${handedId}"] button.sg-primary`))?.click();
  const inbox = await opened;
  const expected = `https://business.facebook.com/latest/inbox/all?asset_id=${PAGE_ID}&mailbox_id=${PAGE_ID}&selected_item_id=${PSID_101}&thread_type=FB_MESSAGE`;
  expect(inbox.url()).toBe(expected);
  expect(handoffs).toContain(expected);
  await expect.poll(async () => (await readQueue(guide)).find((r) => r.text === HANDED)?.state).toBe('handed_off');

  // Meta recovers: the retry sends the other reply, once.
  await setMode(sandbox, { mode: 'healthy' });
  await ticket.bringToFront();
  const retriedId = await idOf(RETRIED);
  const retryButton = await ticket.waitForSelector(`send-guard-banner >>> li[data-reply-id="${retriedId}"] ::-p-text(Retry)`);
  await retryButton?.click();
  // Delivered in the helpdesk (the retry is a new outbound message with the same text), and the
  // banner says nothing is waiting any more.
  await expect.poll(() => deliveryStatus(ticket, RETRIED)).toBe('delivered');
  const keptText = async () =>
    (await ticket.waitForSelector('send-guard-banner >>> [data-testid="send-guard-kept"]'))?.evaluate((e) => e.textContent);
  await expect.poll(keptText).toBe('No reply on this ticket is waiting.');
  await ticket.screenshot({ path: 'artifacts/firefox-ticket-101-recovered.png' });
  await expect.poll(async () => (await readQueue(guide)).find((r) => r.text === RETRIED)?.state).toBe('sent');
  const sent = await sentLog(sandbox);
  expect(sent.filter((m) => m.text === RETRIED)).toHaveLength(1);
  expect(sent.filter((m) => m.text === HANDED)).toHaveLength(0);
});
