import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { banner, type Harness, openTicket, outboundMessage, readQueue, sendReply, setMode, startHarness } from './harness';

let harness: Harness;

test.beforeEach(async () => {
  harness = await startHarness();
});

test.afterEach(async () => {
  await harness?.close();
});

async function seriousViolations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of serious) console.log(`[axe] ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  console.log(`[axe] ${include ?? page.url()}: ${violations.length} violations, ${serious.length} serious or critical`);
  return serious;
}

test('axe finds no serious or critical problem in the banner, the popup and the options page', async () => {
  const { context, sandbox, worker, extensionId } = harness;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const ticket = await openTicket(context, sandbox, '101');
  const text = 'Anna, your parcel is on its way.';
  await sendReply(ticket, text);
  await expect(outboundMessage(ticket, text)).toHaveAttribute('data-delivery-status', 'failed');
  await expect.poll(async () => (await readQueue(worker)).length).toBe(1);
  await expect(banner(ticket)).toBeVisible();
  expect(await seriousViolations(ticket, 'send-guard-banner')).toEqual([]);

  // Keyboard alone: Tab reaches the banner's actions, with a visible focus ring.
  await ticket.locator('body').click({ position: { x: 5, y: 5 } });
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await ticket.keyboard.press('Tab');
    reached = await ticket.evaluate(() => {
      const active = document.querySelector('send-guard-banner')?.shadowRoot?.activeElement;
      return active?.textContent === 'Open in Messenger' && getComputedStyle(active).outlineStyle !== 'none';
    });
  }
  expect(reached).toBe(true);

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.locator('li.reply')).toHaveCount(1);
  expect(await seriousViolations(popup)).toEqual([]);

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.locator('main')).toBeVisible();
  expect(await seriousViolations(options)).toEqual([]);
});
