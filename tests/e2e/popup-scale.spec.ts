import { expect, test } from '@playwright/test';
import { type Harness, startHarness } from './harness';

// The popup with thousands of kept replies (a long outage on a busy team's helpdesk): the first
// rows show at once, every reply can be reached by scrolling, and search finds one deep in the list.
// Records are written straight into the extension's queue database, in the stored shape.

const COUNT = 3000;
let harness: Harness;

test.beforeEach(async () => {
  harness = await startHarness();
});

test.afterEach(async () => {
  await harness?.close();
});

test('3,000 kept replies: first rows at once, the last one reached by scrolling, search finds one deep in the list', async () => {
  const { context, extensionId } = harness;
  const filler = await context.newPage();
  await filler.goto(`chrome-extension://${extensionId}/popup.html`);
  await filler.evaluate(async (count) => {
    const now = Date.now();
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('send-guard');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction('replies', 'readwrite');
    for (let i = 0; i < count; i++) {
      const ticketId = String(5000 + (i % 150));
      const at = now - (count - i) * 1000;
      tx.objectStore('replies').put({
        id: `scale-${i}`,
        idempotencyKey: `https://acme.zendesk.com|${ticketId}||scale-${i}`,
        helpdeskOrigin: 'https://acme.zendesk.com',
        ticketId,
        messageIds: [`m-scale-${i}`],
        channel: i % 3 === 0 ? 'instagram' : 'messenger',
        customerName: `Customer ${i % 150}`,
        text: `Reply number ${i}: your order is on its way, tracking follows by e-mail.`,
        error: { errorClass: 'provider_transient', code: 2 },
        attempts: [{ at, path: 'helpdesk', outcome: 'failed', errorCode: 2 }],
        state: 'queued',
        firstFailedAt: at,
        createdAt: at,
        updatedAt: at,
      });
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, COUNT);
  await filler.close();

  const popup = await context.newPage();
  await popup.setViewportSize({ width: 460, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.locator('li.reply').first()).toBeVisible();
  await expect(popup.getByRole('heading', { name: /Waiting|Kept/ }).first()).toBeVisible();
  // Only a window of rows is in the page, not three thousand.
  expect(await popup.locator('li.reply').count()).toBeLessThan(100);

  // Scrolled to the very end: the newest reply of the last ticket is there.
  for (let i = 0; i < 40; i++) {
    await popup.mouse.wheel(0, 20_000);
    if ((await popup.locator('li.reply', { hasText: 'Reply number 2999:' }).count()) > 0) break;
  }
  await expect(popup.locator('li.reply', { hasText: 'Reply number 2999:' })).toBeVisible();
  expect(await popup.locator('li.reply').count()).toBeLessThan(100);

  // Search narrows three thousand candidates to the one asked for.
  await popup.evaluate(() => window.scrollTo(0, 0));
  await popup.getByRole('searchbox').fill('Reply number 1234:');
  await expect(popup.locator('li.reply')).toHaveCount(1);
  await expect(popup.locator('li.reply')).toContainText('Reply number 1234:');
});
