import { expect, test } from '@playwright/test';
import { type Harness, openTicket, outboundMessage, readQueue, sendReply, sentLog, setMode, startHarness } from './harness';

const A1 = 'Anna, the courier picks the parcel up tomorrow.';
const A2 = 'You will get a tracking link by e-mail.';
const B1 = 'Ben, we refunded the shipping fee.';

let harness: Harness;

test.beforeEach(async () => {
  harness = await startHarness();
});

test.afterEach(async () => {
  await harness?.close();
});

async function failThree() {
  const { context, sandbox } = harness;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const t101 = await openTicket(context, sandbox, '101');
  for (const text of [A1, A2]) {
    await sendReply(t101, text);
    await expect(outboundMessage(t101, text)).toHaveAttribute('data-delivery-status', 'failed');
  }
  const t102 = await openTicket(context, sandbox, '102');
  await sendReply(t102, B1);
  await expect(outboundMessage(t102, B1)).toHaveAttribute('data-delivery-status', 'failed');
  await expect.poll(async () => (await readQueue(harness.worker)).length).toBe(3);
  return { t101, t102 };
}

test('the popup lists kept replies by ticket, discards with undo, exports, and retries through the ticket tab', async () => {
  const { context, sandbox, worker, extensionId } = harness;
  const { t102 } = await failThree();
  await t102.close();

  // The banner's "Open queue" opens the same list in a tab.
  const t101 = context.pages().find((p) => p.url().endsWith('/agent/tickets/101'));
  if (!t101) throw new Error('ticket 101 tab missing');
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    t101.getByTestId('send-guard-banner').getByRole('button', { name: 'Open queue' }).click(),
  ]);
  await expect(popup).toHaveURL(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.getByRole('region', { name: /Ticket 101/ }).locator('li')).toHaveCount(2);
  await expect(popup.getByRole('region', { name: /Ticket 102/ }).locator('li')).toHaveText([new RegExp(B1)]);

  await popup.setViewportSize({ width: 460, height: 640 });
  await popup.screenshot({ path: 'docs/screenshots/popup.png' });

  // Search narrows the list.
  await popup.getByRole('searchbox').fill('refunded');
  await expect(popup.locator('li.reply')).toHaveCount(1);
  await popup.getByRole('searchbox').fill('');

  // Discard, then undo: the reply is back, nothing lost.
  const b1 = popup.locator('li.reply', { hasText: B1 });
  await b1.getByRole('button', { name: 'Discard' }).click();
  await expect(popup.getByRole('status')).toContainText('Reply discarded.');
  await expect.poll(async () => (await readQueue(worker)).find((r) => r.text === B1)?.state).toBe('discarded');
  await popup.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await readQueue(worker)).find((r) => r.text === B1)?.state).toBe('queued');

  // Export (in the Export menu): every kept reply, exactly as typed.
  await popup.locator('summary', { hasText: 'Export' }).click();
  const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString('utf8');
  for (const reply of [A1, A2, B1]) expect(text).toContain(reply);

  // Meta is back: retry from the popup. Ticket 102 has no tab, so it opens and retries there.
  await setMode(sandbox, { mode: 'healthy' });
  const [opened] = await Promise.all([
    context.waitForEvent('page'),
    popup.locator('li.reply', { hasText: B1 }).getByRole('button', { name: 'Retry' }).click(),
  ]);
  await expect(opened).toHaveURL(`${sandbox.url}/agent/tickets/102`);
  await expect.poll(async () => (await readQueue(worker)).find((r) => r.text === B1)?.state, { timeout: 30_000 }).toBe('sent');

  // Ticket 101 is open: "Retry this ticket" retries both, one after the other.
  await popup.bringToFront();
  await popup
    .getByRole('region', { name: /Ticket 101/ })
    .getByRole('button', { name: 'Retry this ticket' })
    .click();
  await expect.poll(async () => (await readQueue(worker)).filter((r) => r.state === 'sent').length, { timeout: 30_000 }).toBe(3);
  const sent = await sentLog(sandbox);
  for (const reply of [A1, A2, B1])
    expect(
      sent.filter((m) => m.text === reply),
      reply,
    ).toHaveLength(1);
  await expect(popup.getByText('No replies are waiting.', { exact: false })).toBeVisible();
});
