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

test('the popup shows a Not confirmed reply with its two answers, flags old unsent replies by the policy in force, and shows damaged records with export and delete', async () => {
  const { context, sandbox, worker, extensionId } = harness;
  // An admin's policy keeps replies 48 hours (sandbox build: storage.local stands in for storage.managed);
  // a retry waits 2 s for the helpdesk's verdict (sandbox-build-only, sandbox/README.md).
  await worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } };
    await chrome.storage.local.set({ 'sandbox:managed': { retentionMaxAgeHours: 48 }, 'sandbox:confirmWaitMs': 2000 });
  });
  await failThree();
  const t101 = context.pages().find((p) => p.url().endsWith('/agent/tickets/101'));
  if (!t101) throw new Error('ticket 101 tab missing');

  // The helpdesk is slow to confirm A1's retry: it ends Not confirmed.
  await setMode(sandbox, { mode: 'healthy', confirmDelayMs: 8000 });
  await t101.bringToFront();
  await t101.getByTestId('send-guard-banner').locator('li', { hasText: A1 }).getByRole('button', { name: 'Retry', exact: true }).click();
  await expect.poll(async () => (await readQueue(worker)).find((r) => r.text === A1)?.state, { timeout: 20_000 }).toBe('unconfirmed');

  // Three days on (the worker's clock), a retention run: nothing unsent is deleted.
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { storage: { local: { set(v: unknown): Promise<void> } }; runtime: { sendMessage(m: unknown): Promise<unknown> } };
    };
    await chrome.storage.local.set({ 'sandbox:clockOffsetMs': 3 * 24 * 3600_000 });
    await chrome.runtime.sendMessage({ type: 'sandbox:run-retention' });
  });
  expect((await readQueue(worker)).map((r) => r.text).sort()).toEqual([A1, A2, B1].sort());
  // A record damaged on disk (as a crash or a bad import could leave it).
  await worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('send-guard');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('replies', 'readwrite');
      tx.objectStore('replies').put({ id: 'damaged-1', text: 'Half a reply, its state lost', ticketId: 42 });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  });

  await popup.reload();
  await popup.setViewportSize({ width: 460, height: 800 });
  // Old unsent replies: flagged with the policy's age (2 days), not the default 7.
  await expect(popup.locator('p.stale').first()).toHaveText(
    '3 unsent replies are older than 2 days (the retention age in force). They stay kept until you hand them off or discard them, but Meta may no longer deliver them.',
  );
  await expect(popup.locator('li.reply', { hasText: B1 })).toContainText('Older than 2 days: Meta may no longer deliver it');
  // The unconfirmed reply: its state, its two answers, and no plain Retry.
  const a1 = popup.locator('li.reply', { hasText: A1 });
  await expect(a1).toContainText('Not confirmed');
  await expect(a1.getByRole('button', { name: 'Retry', exact: true })).toHaveCount(0);
  await expect(a1.getByRole('button', { name: 'Send again' })).toBeVisible();
  // The damaged record, set aside: exported as stored, then deleted.
  const quarantine = popup.getByTestId('quarantine');
  await expect(quarantine).toContainText('1 stored records could not be read and were set aside.');
  const [file] = await Promise.all([
    popup.waitForEvent('download'),
    quarantine.getByRole('button', { name: 'Export set-aside records' }).click(),
  ]);
  const exported = JSON.parse(Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8'));
  expect(exported.records.map((r: { raw: unknown }) => r.raw)).toEqual([
    { id: 'damaged-1', text: 'Half a reply, its state lost', ticketId: 42 },
  ]);
  await quarantine.getByRole('button', { name: 'Delete set-aside records' }).click();
  await expect(popup.getByRole('status')).toContainText('1 set-aside records deleted.');
  await expect(quarantine).toHaveCount(0);

  // The agent sees A1 delivered in the conversation (late) and marks it sent from the popup.
  await expect(outboundMessage(t101, A1).last()).toHaveAttribute('data-delivery-status', 'delivered', { timeout: 20_000 });
  await a1.getByRole('button', { name: "It's in the conversation — mark sent" }).click();
  await expect.poll(async () => (await readQueue(worker)).find((r) => r.text === A1)?.state).toBe('sent');
  expect((await sentLog(sandbox)).filter((m) => m.text === A1)).toHaveLength(1);
});
