import { expect, test } from '@playwright/test';
import { banner, type Harness, openTicket, outboundMessage, readQueue, sendReply, sentLog, setMode, startHarness } from './harness';

// Sandbox tickets (sandbox/tickets.ts): 101 and 102 Messenger on one Page, 104 e-mail.
const PAGE_ID = '104857600123456';
const PSID_102 = '6723459876543210';

const REPLY_1 = 'Hi Anna, your refund was approved today.';
const REPLY_2 = 'It will show on your card within 3 business days.';
const REPLY_3 = 'Hi Ben, the replacement left our warehouse this morning.';

let harness: Harness;

test.beforeEach(async () => {
  harness = await startHarness();
});

test.afterEach(async () => {
  await harness?.close();
});

test('an outage: replies kept, banner shown, handed off to Messenger, retried once each', async () => {
  const { context, worker, sandbox } = harness;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
  await setMode(sandbox, { mode: 'outage', outageKind: 'rotate' });

  const t101 = await openTicket(context, sandbox, '101');
  await sendReply(t101, REPLY_1);
  await expect(outboundMessage(t101, REPLY_1)).toHaveAttribute('data-delivery-status', 'failed');
  await sendReply(t101, REPLY_2);
  await expect(outboundMessage(t101, REPLY_2)).toHaveAttribute('data-delivery-status', 'failed');
  const t102 = await openTicket(context, sandbox, '102');
  await sendReply(t102, REPLY_3);
  await expect(outboundMessage(t102, REPLY_3)).toHaveAttribute('data-delivery-status', 'failed');

  // An e-mail ticket in the same run: Send Guard leaves it alone.
  const t104 = await openTicket(context, sandbox, '104');
  await sendReply(t104, 'Dear Dana, thanks for your e-mail.');

  await expect.poll(async () => (await readQueue(worker)).length).toBe(3);
  const queue = await readQueue(worker);
  const byText = new Map(queue.map((r) => [r.text, r]));
  // The outage rotates Graph code 2, code 1200 and HTTP 500 (code 1), in send order.
  for (const [text, ticketId, code] of [
    [REPLY_1, '101', 2],
    [REPLY_2, '101', 1200],
    [REPLY_3, '102', 1],
  ] as const) {
    const record = byText.get(text);
    expect(record, text).toBeDefined();
    expect(record).toMatchObject({
      ticketId,
      channel: 'messenger',
      state: 'queued',
      helpdeskOrigin: sandbox.url,
      pageId: PAGE_ID,
      error: { errorClass: 'provider_transient', code },
    });
  }
  expect(queue.some((r) => r.ticketId === '104')).toBe(false);

  await expect(banner(t101)).toBeVisible();
  await expect(banner(t101).getByTestId('send-guard-kept')).toHaveText('2 unsent replies on this ticket are kept safe by Send Guard.');
  await expect(banner(t101)).toContainText('Messenger replies are failing here since');
  await expect(banner(t102).getByTestId('send-guard-kept')).toHaveText('1 unsent reply on this ticket is kept safe by Send Guard.');
  await expect(banner(t104)).toHaveCount(0);
  await banner(t101).screenshot({ path: 'docs/screenshots/banner.png' });
  await t101.screenshot({ path: 'artifacts/e2e-ticket-101-outage.png' });

  // One click: the reply on the clipboard, the conversation open in Business Suite.
  const [messenger] = await Promise.all([
    context.waitForEvent('page'),
    banner(t102).getByRole('button', { name: 'Open in Messenger' }).click(),
  ]);
  await messenger.waitForLoadState();
  expect(messenger.url()).toBe(
    `https://business.facebook.com/latest/inbox/all?asset_id=${PAGE_ID}&mailbox_id=${PAGE_ID}&selected_item_id=${PSID_102}&thread_type=FB_MESSAGE`,
  );
  expect(await t102.evaluate(() => navigator.clipboard.readText())).toBe(REPLY_3);
  await expect.poll(async () => (await readQueue(worker)).find((r) => r.text === REPLY_3)?.state).toBe('handed_off');

  // The ticket's history tells the truth: an internal note, never a second public reply.
  await banner(t102).getByRole('button', { name: 'Add an internal note to the ticket' }).click();
  const note = t102.locator('[data-test-id="omni-log-item-message"][data-internal="true"]');
  await expect(note).toContainText(/Sent manually via Messenger at \d\d:\d\d UTC:/);
  await expect(note).toContainText(REPLY_3);
  await expect(banner(t102).locator('.sg-notice')).toHaveText('Internal note added to the ticket.');

  // Meta recovers: retry each kept reply from the banner.
  await setMode(sandbox, { mode: 'healthy' });
  await t101.bringToFront();
  for (const text of [REPLY_1, REPLY_2]) {
    const item = banner(t101).locator('li', { hasText: text });
    await item.getByRole('button', { name: 'Retry' }).click();
    await expect(banner(t101).locator('.sg-notice')).toHaveText('Delivered.');
  }
  const sent = await sentLog(sandbox);
  expect(sent.filter((m) => m.text === REPLY_1)).toHaveLength(1);
  expect(sent.filter((m) => m.text === REPLY_2)).toHaveLength(1);
  // Handed off means the agent sent it in Messenger: the Send API must never get it too.
  expect(sent.filter((m) => m.text === REPLY_3)).toHaveLength(0);

  const final = await readQueue(worker);
  expect(final.map((r) => [r.text, r.state]).sort()).toEqual(
    [
      [REPLY_1, 'sent'],
      [REPLY_2, 'sent'],
      [REPLY_3, 'handed_off'],
    ].sort(),
  );

  // A third delivered reply in a row ends the episode; every banner goes.
  await t102.bringToFront();
  await sendReply(t102, 'Ben, tracking number follows in a minute.');
  await expect(outboundMessage(t102, 'Ben, tracking number follows in a minute.')).toHaveAttribute('data-delivery-status', 'delivered');
  await expect(banner(t102)).toHaveCount(0);
  await expect(banner(t101)).toHaveCount(0);
});
