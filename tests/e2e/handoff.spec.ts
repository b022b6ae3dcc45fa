import { expect, test } from '@playwright/test';
import { banner, type Harness, openTicket, outboundMessage, readQueue, sendReply, setMode, startHarness } from './harness';

// Sandbox ticket 106 (sandbox/tickets.ts): Messenger, the via object carries no Page or user id,
// and the customer last wrote three days ago.
const PAGE_ID = '104857600123456';
const FIRST = 'Lea, yes: the warranty covers seams for two years.';
const SECOND = 'Please send us a photo of the tear.';

let harness: Harness;

test.beforeEach(async () => {
  harness = await startHarness();
});

test.afterEach(async () => {
  await harness?.close();
});

test('no Page id on the ticket: asked once, remembered, and the window is explained', async () => {
  const { context, sandbox, worker } = harness;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const page = await openTicket(context, sandbox, '106');
  await sendReply(page, FIRST);
  await expect(outboundMessage(page, FIRST)).toHaveAttribute('data-delivery-status', 'failed');
  await expect.poll(async () => (await readQueue(worker)).length).toBe(1);
  const [record] = await readQueue(worker);
  expect(record?.pageId).toBeUndefined();
  expect(record?.userId).toBeUndefined();

  // Three days since the customer wrote: the standard window is closed, the human-agent one is not.
  await expect(banner(page).getByTestId('send-guard-window')).toContainText(
    'The customer wrote more than 24 hours ago: the standard messaging window closed',
  );
  await expect(banner(page).getByTestId('send-guard-window')).toContainText('A human agent may still answer until');

  await banner(page).getByRole('button', { name: 'Open in Messenger' }).click();
  await expect(banner(page).locator('.sg-notice')).toContainText('Enter the Page ID once');
  const input = banner(page).getByLabel(/Facebook Page ID that answers/);
  await input.fill('my-page');
  await expect(banner(page).locator('.sg-field-error')).toHaveText('A Page ID is a number (Page → About → Page transparency).');
  await expect(banner(page).getByRole('button', { name: 'Save and open' })).toBeDisabled();
  await input.fill(PAGE_ID);
  const [inbox] = await Promise.all([context.waitForEvent('page'), banner(page).getByRole('button', { name: 'Save and open' }).click()]);
  await inbox.waitForLoadState();
  // No user id: the Page's inbox, and the agent is told whom to look for.
  expect(inbox.url()).toBe(`https://business.facebook.com/latest/inbox/all?asset_id=${PAGE_ID}&mailbox_id=${PAGE_ID}`);
  await expect(banner(page).locator('.sg-notice')).toHaveText(
    'Reply copied. The page inbox opened: search for Lea Novak there and paste it.',
  );
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(FIRST);
  expect((await readQueue(worker))[0]?.state).toBe('handed_off');

  // Remembered: the next reply on this helpdesk opens without asking.
  await page.bringToFront();
  await banner(page).getByRole('button', { name: 'Hide' }).click();
  await sendReply(page, SECOND);
  await expect(outboundMessage(page, SECOND)).toHaveAttribute('data-delivery-status', 'failed');
  await expect(banner(page).locator('li', { hasText: SECOND })).toBeVisible();
  const [again] = await Promise.all([
    context.waitForEvent('page'),
    banner(page).locator('li', { hasText: SECOND }).getByRole('button', { name: 'Open in Messenger' }).click(),
  ]);
  await again.waitForLoadState();
  expect(again.url()).toBe(`https://business.facebook.com/latest/inbox/all?asset_id=${PAGE_ID}&mailbox_id=${PAGE_ID}`);
  await expect(banner(page).getByLabel(/Facebook Page ID that answers/)).toHaveCount(0);
});
