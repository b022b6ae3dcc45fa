import { expect, type Page, test } from '@playwright/test';
import { activeWorkspace, outboundMessage, readQueue, sendReply, sentLog, setMode } from './harness';
import { ClosedBanner, HELPDESK, type Production, startProduction } from './production';

// A hostile script in the helpdesk page's own world (a compromised widget, a page extension) runs
// next to Send Guard. With the production build on https://acme.zendesk.com it tries every attack
// the design names, and gets nothing: the banner is a closed shadow root acting only on the
// agent's own input, a page lock cannot stall a retry, forged failures are capped.

const REPLY = 'Anna, your refund of 49.90 EUR was approved today.';
let env: Production;

test.beforeEach(async () => {
  env = await startProduction();
});

test.afterEach(async () => {
  await env?.close();
});

/** The service worker's stored settings, read from the extension's own origin. */
async function storedSettings(): Promise<unknown> {
  return env.worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } };
    return (await chrome.storage.local.get('settings')).settings ?? null;
  });
}

async function recordOf(text: string) {
  return (await readQueue(env.worker)).find((r) => r.text === text);
}

/** Installed before any page script runs: whatever shadow root the page can get hold of is kept here. */
function captureShadowRoots(page: Page) {
  return page.addInitScript(() => {
    const w = window as unknown as { __roots: ShadowRoot[] };
    w.__roots = [];
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init: ShadowRootInit) {
      const root = attach.call(this, init);
      w.__roots.push(root);
      return root;
    };
  });
}

test('a page script reads nothing, presses nothing, stalls nothing and floods nothing', async () => {
  test.setTimeout(180_000);
  const { context, sandbox } = env;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const page = await context.newPage();
  await captureShadowRoots(page);
  await page.goto(`${HELPDESK}/agent/tickets/101`);
  await expect(activeWorkspace(page).locator('[data-test-id="omni-log-container"]')).toBeVisible();
  await sendReply(page, REPLY);
  await expect.poll(async () => (await recordOf(REPLY))?.state).toBe('queued');
  const banner = await ClosedBanner.of(page);
  // The agent sees the banner and the kept reply in it.
  await expect.poll(() => banner.text()).toContain(REPLY);
  const settingsBefore = await storedSettings();
  const pagesBefore = context.pages().length;
  // (The popup opened below to read the dropped-reports line is closed again before counting pages.)

  // 1. Read the reply through the banner: its shadow root is closed, and the page's own
  //    attachShadow hook never saw it (content scripts use their own world's prototypes).
  const read = await page.evaluate(() => {
    const host = document.querySelector('send-guard-banner');
    const w = window as unknown as { __roots: ShadowRoot[] };
    return {
      host: host !== null,
      shadowRoot: host?.shadowRoot ?? null,
      captured: w.__roots.map((r) => r.innerHTML).join(''),
      lightText: `${host?.textContent ?? ''}${document.body.textContent}`,
    };
  });
  expect(read.host).toBe(true);
  expect(read.shadowRoot).toBeNull();
  expect(read.captured).not.toContain(REPLY);
  expect(read.lightText).not.toContain('kept safe by Send Guard');

  // 2. Press its buttons: synthetic clicks and keys on the host, and at every point of its box.
  await page.evaluate(() => {
    const host = document.querySelector('send-guard-banner') as HTMLElement;
    const box = host.getBoundingClientRect();
    for (let y = box.top + 4; y < box.bottom; y += 8) {
      for (let x = box.left + 4; x < box.right; x += 16) {
        const target = document.elementFromPoint(x, y);
        target?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: x, clientY: y }));
        (target as HTMLElement | null)?.click?.();
      }
    }
    host.focus();
    for (const key of ['Enter', ' ']) host.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
  });
  await page.waitForTimeout(1500);
  expect((await recordOf(REPLY))?.state).toBe('queued');
  expect(await storedSettings()).toEqual(settingsBefore);
  expect(context.pages().length).toBe(pagesBefore);

  // 3. Flood: 300 forged "failed" outbound replies in the log. A helpdesk gets an allowance of new
  //    records (a hundred, then one a second), the rest is refused and counted.
  const floodStarted = Date.now();
  await page.evaluate(() => {
    const log = document.querySelector('[data-side-conversations-anchor-id="101"] [data-test-id="omni-log-container"]') as HTMLElement;
    for (let i = 0; i < 300; i++) {
      const item = document.createElement('article');
      item.setAttribute('data-test-id', 'omni-log-item-message');
      item.setAttribute('type', 'agent');
      item.setAttribute('data-message-id', `forged-${i}`);
      item.setAttribute('data-delivery-status', 'failed');
      const content = document.createElement('div');
      content.setAttribute('data-test-id', 'omni-log-message-content');
      content.textContent = `Forged reply ${i}: please pay the invoice at evil.example`;
      item.append(content);
      log.append(item);
    }
  });
  await page.waitForTimeout(4000);
  const forged = (await readQueue(env.worker)).filter((r) => r.text.startsWith('Forged reply'));
  const seconds = (Date.now() - floodStarted) / 1000;
  expect(forged.length).toBeGreaterThan(0);
  expect(forged.length).toBeLessThanOrEqual(100 + Math.ceil(seconds) + 1);
  const listing = (await env.worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } } };
    return (await chrome.storage.session.get('droppedReports')).droppedReports;
  })) as Record<string, { count: number }> | undefined;
  expect(listing?.[HELPDESK]?.count ?? 0).toBeGreaterThan(0);
  // And the agent is told, in the queue.
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${env.extensionId}/popup.html`);
  await expect(popup.getByTestId('dropped-reports')).toContainText('failure reports from acme.zendesk.com were refused');
  await popup.close();

  // 4. Stall: the page holds the lock an earlier version took in the page's origin, forever.
  await page.evaluate(() => {
    void navigator.locks.request('send-guard:retry:101', () => new Promise(() => undefined));
  });
  // The agent (a real click) retries once Meta is back: it goes out, once, to Anna only.
  await setMode(sandbox, { mode: 'healthy' });
  await expect.poll(() => banner.press('Retry', REPLY)).toBe(true);
  await expect.poll(async () => (await recordOf(REPLY))?.state, { timeout: 30_000 }).toBe('sent');
  await expect(outboundMessage(page, REPLY).last()).toHaveAttribute('data-delivery-status', 'delivered');
  expect((await sentLog(sandbox)).filter((m) => m.text === REPLY)).toEqual([expect.objectContaining({ recipient_id: '6723451234567890' })]);
  expect(await storedSettings()).toEqual(settingsBefore);
});
