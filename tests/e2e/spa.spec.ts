import { expect, type Page, test } from '@playwright/test';
import {
  activeWorkspace,
  banner,
  type Harness,
  openTicket,
  outboundMessage,
  readQueue,
  type Sandbox,
  sendReply,
  sentLog,
  setMode,
  startHarness,
  switchTicket,
} from './harness';

// Send Guard in a single-page helpdesk: tickets opened as tabs inside the app (pushState), every
// opened ticket's workspace kept mounted and the inactive ones hidden, late API answers and renders,
// failure toasts. Sandbox tickets (sandbox/tickets.ts): 101 Anna Schmidt and 102 Ben Carter
// (Messenger, one Page), 105 Jonas Weber (Messenger, German).
const PSID = { '101': '6723451234567890', '102': '6723459876543210', '105': '6723450000000005' } as const;
const KEPT_ONE = '1 unsent reply on this ticket is kept safe by Send Guard.';

let harness: Harness;

test.beforeEach(async () => {
  harness = await startHarness();
});

test.afterEach(async () => {
  await harness?.close();
});

async function setDelays(sandbox: Sandbox, delays: { ticketApiMs?: number; renderMs?: number; swapMs?: number }): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/delays`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(delays),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
}

async function recordOf(text: string) {
  return (await readQueue(harness.worker)).find((r) => r.text === text);
}

/** A ticket's own workspace, shown or hidden. */
const workspaceOf = (page: Page, id: string) => page.locator(`[data-side-conversations-anchor-id="${id}"]`);

test('switching tickets inside the app: each failure is kept under its own ticket and customer, each banner stays its own', async () => {
  const { context, sandbox } = harness;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  // The workspace swaps and renders late, as a busy single-page app does.
  await setDelays(sandbox, { swapMs: 300, renderMs: 400 });
  const ON_A = 'Anna, the courier has your parcel.';
  const ON_B = 'Ben, size 44 is reserved for you.';
  const BACK_ON_A = 'Anna, tracking follows by e-mail.';

  const page = await openTicket(context, sandbox, '101');
  await sendReply(page, ON_A);
  await expect(banner(page).getByTestId('send-guard-kept')).toHaveText(KEPT_ONE);

  await switchTicket(page, '102');
  await sendReply(page, ON_B);
  await expect(outboundMessage(page, ON_B)).toHaveAttribute('data-delivery-status', 'failed');
  await expect.poll(async () => (await recordOf(ON_B))?.ticketId).toBe('102');
  expect(await recordOf(ON_B)).toMatchObject({
    ticketId: '102',
    customerName: 'Ben Carter',
    userId: PSID['102'],
    helpdeskOrigin: sandbox.url,
  });
  // The banner the agent sees is ticket 102's, with its one reply; ticket 101's (hidden) is unchanged.
  await expect(banner(page)).toHaveCount(1);
  await expect(banner(page).getByTestId('send-guard-kept')).toHaveText(KEPT_ONE);
  await expect(banner(page).locator('li')).toHaveText([new RegExp(ON_B)]);
  const hiddenA = workspaceOf(page, '101').getByTestId('send-guard-banner');
  await expect(hiddenA.getByTestId('send-guard-kept')).toHaveText(KEPT_ONE);
  await expect(hiddenA.locator('li')).toHaveText([new RegExp(ON_A)]);

  // Browser back (ticket 102 was opened from the views list): the views, then ticket 101 again,
  // and a reply there is kept under 101.
  await page.goBack();
  await expect(page).toHaveURL(/\/agent\/dashboard$/);
  await expect(banner(page)).toHaveCount(0);
  await page.goBack();
  await expect(page).toHaveURL(/\/agent\/tickets\/101$/);
  await expect(activeWorkspace(page)).toHaveAttribute('data-side-conversations-anchor-id', '101');
  await sendReply(page, BACK_ON_A);
  await expect.poll(async () => (await recordOf(BACK_ON_A))?.ticketId).toBe('101');
  expect(await recordOf(BACK_ON_A)).toMatchObject({ customerName: 'Anna Schmidt', userId: PSID['101'] });
  await expect(banner(page).locator('li')).toHaveText([new RegExp(ON_A), new RegExp(BACK_ON_A)]);
  await expect(workspaceOf(page, '102').getByTestId('send-guard-banner').locator('li')).toHaveText([new RegExp(ON_B)]);
  await page.screenshot({ path: 'artifacts/e2e-spa-two-tickets.png' });

  // Every record carries its own ticket's customer.
  for (const record of await readQueue(harness.worker)) expect(record.userId, record.text).toBe(PSID[record.ticketId as '101' | '102']);
});

test("a slow ticket API with a switch in between: no record ever carries the previous ticket's customer", async () => {
  const { context, sandbox } = harness;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const ON_A = 'Anna, we refunded the shipping fee.';
  const ON_B = 'Ben, your exchange label is attached.';
  const page = await openTicket(context, sandbox, '101');
  await sendReply(page, ON_A);
  await expect.poll(async () => (await recordOf(ON_A))?.userId).toBe(PSID['101']);

  // From now on the ticket API answers 2 s late: the agent is on ticket 102, sends, and is
  // back on 101 before 102's answer (its customer) could arrive.
  await setDelays(sandbox, { ticketApiMs: 2000 });
  await switchTicket(page, '102');
  await sendReply(page, ON_B);
  await expect(outboundMessage(page, ON_B)).toHaveAttribute('data-delivery-status', 'failed');
  await switchTicket(page, '101');
  // Long enough for any late answer to land.
  await page.waitForTimeout(2500);
  const early = await recordOf(ON_B);
  if (early) expect(early).toMatchObject({ ticketId: '102', userId: PSID['102'], customerName: 'Ben Carter' });

  // Back on 102: its own answer names Ben, and the reply is kept under 102 with his ids.
  await switchTicket(page, '102');
  await expect.poll(async () => (await recordOf(ON_B))?.userId, { timeout: 10_000 }).toBe(PSID['102']);
  expect(await recordOf(ON_B)).toMatchObject({ ticketId: '102', customerName: 'Ben Carter' });
  for (const record of await readQueue(harness.worker)) expect(record.userId, record.text).toBe(PSID[record.ticketId as '101' | '102']);
});

test("Retry of ticket 101's reply from the popup while 102 is on screen never types into 102's composer", async () => {
  const { context, sandbox, extensionId } = harness;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const ON_A = 'Anna, a replacement jacket ships today.';
  const ON_B = 'Ben, the boots are on their way.';
  const page = await openTicket(context, sandbox, '101');
  await sendReply(page, ON_A);
  await expect.poll(async () => (await recordOf(ON_A))?.state).toBe('queued');
  await switchTicket(page, '102');
  await sendReply(page, ON_B);
  await expect.poll(async () => (await recordOf(ON_B))?.state).toBe('queued');
  // Whatever lands in ticket 102's composer is counted by the page itself.
  await page.evaluate(() => {
    const composer = document.querySelector('[data-side-conversations-anchor-id="102"] [data-test-id="omnicomposer-rich-text"]');
    const w = window as unknown as { __inputsInto102: number };
    w.__inputsInto102 = 0;
    composer?.addEventListener('input', () => {
      w.__inputsInto102 += 1;
    });
  });

  await setMode(sandbox, { mode: 'healthy' });
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const [opened] = await Promise.all([
    context.waitForEvent('page'),
    popup.locator('li.reply', { hasText: ON_A }).getByRole('button', { name: 'Retry' }).click(),
  ]);
  // The tab showing 102 is not 101's address: 101 opens where its own composer is.
  await expect(opened).toHaveURL(`${sandbox.url}/agent/tickets/101`);
  await expect.poll(async () => (await recordOf(ON_A))?.state, { timeout: 30_000 }).toBe('sent');

  expect(await page.evaluate(() => (window as unknown as { __inputsInto102: number }).__inputsInto102)).toBe(0);
  await expect(workspaceOf(page, '102').locator('[data-test-id="omnicomposer-rich-text"]')).toHaveText('');
  expect(await recordOf(ON_B)).toMatchObject({ state: 'queued', ticketId: '102' });
  const sent = await sentLog(sandbox);
  expect(sent.map((m) => [m.text, m.recipient_id])).toEqual([[ON_A, PSID['101']]]);
});

test('the failure toast alone (English and German), the word "Undelivered", and a reply that only talks about delivery', async () => {
  const { context, sandbox } = harness;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code1200' });

  // Toast only: the failed reply shows no marker at all in the log.
  const TOAST_EN = 'Anna, your voucher code is SPRING20.';
  const english = await openTicket(context, sandbox, '101', '?marker=none');
  await sendReply(english, TOAST_EN);
  const toasts = (page: Page) => page.locator('[data-garden-id="notifications.notification"]');
  await expect(toasts(english)).toContainText(/not delivered|couldn't send|failed/i);
  await expect(outboundMessage(english, TOAST_EN)).not.toHaveAttribute('data-delivery-status', /.+/);
  await expect.poll(async () => (await recordOf(TOAST_EN))?.ticketId).toBe('101');
  await expect(banner(english).getByTestId('send-guard-kept')).toHaveText(KEPT_ONE);

  const TOAST_DE = 'Jonas, die blaue Jacke ist unterwegs.';
  const german = await openTicket(context, sandbox, '105', '?marker=none&lang=de&toast=1');
  await sendReply(german, TOAST_DE);
  await expect(toasts(german)).toContainText('Senden fehlgeschlagen');
  await expect.poll(async () => (await recordOf(TOAST_DE))?.ticketId).toBe('105');
  expect(await recordOf(TOAST_DE)).toMatchObject({ userId: PSID['105'], state: 'queued' });

  // "Undelivered" is a failure, not a delivery.
  const UNDELIVERED = 'Anna, we have re-sent the invoice.';
  const plain = await openTicket(context, sandbox, '101', '?marker=undelivered');
  await sendReply(plain, UNDELIVERED);
  await expect(outboundMessage(plain, UNDELIVERED)).toContainText('Undelivered');
  await expect.poll(async () => (await recordOf(UNDELIVERED))?.state).toBe('queued');

  // A delivered reply that links to a "Not delivered FAQ" is delivered: nothing is kept.
  await setMode(sandbox, { mode: 'healthy' });
  const FAQ = 'If a parcel is late, see our [Not delivered FAQ](https://help.example.com/not-delivered).';
  const faq = await openTicket(context, sandbox, '102');
  await activeWorkspace(faq).locator('[data-test-id="omnicomposer-rich-text"]').click();
  await faq.keyboard.type(FAQ);
  await activeWorkspace(faq).locator('[data-test-id="omnichannel-send-button"]').click();
  await expect(outboundMessage(faq, 'Not delivered FAQ')).toHaveAttribute('data-delivery-status', 'delivered');
  await expect(outboundMessage(faq, 'Not delivered FAQ').getByRole('link', { name: 'Not delivered FAQ' })).toBeVisible();
  await faq.waitForTimeout(1000);
  expect((await readQueue(harness.worker)).map((r) => r.text)).not.toContain(FAQ);
  expect((await readQueue(harness.worker)).some((r) => r.ticketId === '102')).toBe(false);
});
