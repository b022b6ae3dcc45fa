import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import {
  banner,
  type Harness,
  openTicket,
  outboundMessage,
  pointStatusAtSandbox,
  pollStatusNow,
  readQueue,
  sendReply,
  setMode,
  startHarness,
} from './harness';

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

/** Stores the language choice the way the options page does (the settings item), from an extension page. */
async function chooseLanguage(page: Page, language: 'en' | 'de'): Promise<void> {
  await page.evaluate(async (language) => {
    const { chrome } = globalThis as unknown as {
      chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>>; set(v: object): Promise<void> } } };
    };
    const settings = (await chrome.storage.local.get('settings')).settings as Record<string, unknown>;
    await chrome.storage.local.set({ settings: { ...settings, language } });
  }, language);
}

const PAGES = [
  { name: 'onboarding', path: 'onboarding.html', size: { width: 1000, height: 900 }, ready: '[data-testid="host-access-granted"]' },
  { name: 'popup', path: 'popup.html', size: { width: 460, height: 800 }, ready: '.channels li >> nth=2' },
  { name: 'options', path: 'options.html', size: { width: 1200, height: 900 }, ready: '#field-language' },
] as const;

for (const language of ['en', 'de'] as const) {
  test(`onboarding, settings and popup in ${language}, light and dark: no serious axe finding; screenshots for docs and the stores`, async () => {
    const { context, sandbox, worker, extensionId } = harness;
    const ext = (path: string) => `chrome-extension://${extensionId}/${path}`;
    const control = await context.newPage();
    await control.goto(ext('popup.html'));
    await pointStatusAtSandbox(control, sandbox);

    // An outage on two conversations: the popup's status lines and queue have something to say.
    await setMode(sandbox, { mode: 'outage', outageKind: 'rotate' });
    for (const [id, text] of [
      ['101', 'Hi Anna, your refund was approved today.'],
      ['102', 'Hi Ben, the replacement left our warehouse this morning.'],
    ] as const) {
      const ticket = await openTicket(context, sandbox, id);
      await sendReply(ticket, text);
      await expect(outboundMessage(ticket, text)).toHaveAttribute('data-delivery-status', 'failed');
      await ticket.close();
    }
    await expect.poll(async () => (await readQueue(worker)).length).toBe(2);
    await pollStatusNow(control);

    await chooseLanguage(control, language);
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const { name, path, size, ready } of PAGES) {
        const page = await context.newPage();
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize(size);
        await page.goto(ext(path));
        await expect(page.locator('html')).toHaveAttribute('lang', language);
        await expect(page.locator(ready)).toBeVisible();
        expect(await seriousViolations(page), `${name} ${language} ${colorScheme}`).toEqual([]);
        await page.screenshot({ path: `docs/screenshots/${name}-${language}-${colorScheme}.png`, fullPage: name !== 'options' });
        await page.close();
      }
    }

    // The stores' 1280×800 screenshots: the banner on a ticket, the queue, the settings, the first-run page.
    const ticket = await openTicket(context, sandbox, '101', language === 'de' ? '?lang=de' : '');
    await ticket.setViewportSize({ width: 1280, height: 800 });
    await expect(banner(ticket)).toBeVisible();
    await ticket.screenshot({ path: `docs/store/screenshots/${language}-1-banner.png` });
    await ticket.close();
    for (const [index, path] of [
      [2, 'popup.html'],
      [3, 'options.html'],
      [4, 'onboarding.html'],
    ] as const) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(ext(path));
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      await expect(page.locator('main h1')).toBeVisible();
      if (path === 'popup.html') await expect(page.locator('li.reply')).toHaveCount(2);
      if (path === 'onboarding.html') await expect(page.getByTestId('host-access-granted')).toBeVisible();
      // The settings page draws its frame first; the screenshot waits for the form itself.
      if (path === 'options.html') await expect(page.locator('#field-language')).toBeVisible();
      await page.screenshot({ path: `docs/store/screenshots/${language}-${index}-${path.replace('.html', '')}.png` });
      await page.close();
    }
  });
}
