import { expect, test } from '@playwright/test';
import { banner, type Harness, openTicket, outboundMessage, readQueue, sendReply, setMode, startHarness } from './harness';

// Sandbox ticket 107's customer is named '<img src=x onerror="window.__sgPwned=1">Eve</script>'.
const HOSTILE_NAME = '<img src=x onerror="window.__sgPwned=1">Eve</script>';
const HOSTILE_REPLY = '<img src=x onerror="window.__sgPwned=3"> </script><script>window.__sgPwned=4</script>';

let harness: Harness;

test.beforeEach(async () => {
  harness = await startHarness();
});

test.afterEach(async () => {
  await harness?.close();
});

test('markup in a reply and a customer name is kept exactly and shown as text, never run', async () => {
  const { context, sandbox, worker, extensionId } = harness;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const page = await openTicket(context, sandbox, '107');
  await sendReply(page, HOSTILE_REPLY);
  await expect(outboundMessage(page, HOSTILE_REPLY)).toHaveAttribute('data-delivery-status', 'failed');
  await expect.poll(async () => (await readQueue(worker)).length).toBe(1);
  const [record] = await readQueue(worker);
  expect(record?.text).toBe(HOSTILE_REPLY);
  expect(record?.customerName).toBe(HOSTILE_NAME);

  // The banner shows the reply as its literal text, with no element made from it.
  await expect(banner(page).locator('.sg-text')).toHaveText(HOSTILE_REPLY);
  const injected = await page.evaluate(() => {
    const root = document.querySelector('send-guard-banner')?.shadowRoot;
    return { images: root?.querySelectorAll('img').length ?? -1, scripts: root?.querySelectorAll('script').length ?? -1 };
  });
  expect(injected).toEqual({ images: 0, scripts: 0 });

  // The popup renders the customer's name and the reply as text too.
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.locator('li.reply .text')).toHaveText(HOSTILE_REPLY);
  await expect(popup.getByRole('heading', { level: 2 })).toContainText(HOSTILE_NAME);
  expect(await popup.locator('main img, main script').count()).toBe(0);

  // Nothing ran, in the page or in the popup.
  expect(await page.evaluate(() => (window as unknown as { __sgPwned?: number }).__sgPwned)).toBeUndefined();
  expect(await popup.evaluate(() => (window as unknown as { __sgPwned?: number }).__sgPwned)).toBeUndefined();
});
