import { expect, type Page, test } from '@playwright/test';
import { HOSTILE_MARKUP } from '../../sandbox/status';
import {
  banner,
  forceStatus,
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
  await expect(popup.getByRole('heading', { level: 3 })).toContainText(HOSTILE_NAME);
  expect(await popup.locator('main img, main script').count()).toBe(0);

  // Nothing ran, in the page or in the popup.
  expect(await page.evaluate(() => (window as unknown as { __sgPwned?: number }).__sgPwned)).toBeUndefined();
  expect(await popup.evaluate(() => (window as unknown as { __sgPwned?: number }).__sgPwned)).toBeUndefined();
});

/** What a hostile status text would have set had any of it run (the sandbox's markup sets `__pwned`). */
const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);

/** Elements and links inside the banner's shadow root that status markup could have produced. */
const bannerInjections = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('send-guard-banner')?.shadowRoot;
    if (!root) return null;
    return {
      elements: root.querySelectorAll('img, script, svg, iframe').length,
      handlers: [...root.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      hrefs: [...root.querySelectorAll('[href]')].map((el) => el.getAttribute('href') ?? ''),
    };
  });

test('markup in status pages (incident title, update, component names) is shown as text; a javascript: incident link is never rendered', async () => {
  const { context, sandbox, extensionId, worker } = harness;
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await pointStatusAtSandbox(popup, sandbox);
  const page = await openTicket(context, sandbox, '101');
  const { img, script, svg } = HOSTILE_MARKUP;
  // One source at a time, so the banner cites each one's own words (the worst source is cited).
  // Update bodies and component names are tainted too; the product shows neither (names only pick the channel).
  const tainted = (text: string) => `${img} ${text} ${script}${svg}`;
  const cases = [
    { source: 'statuspage', statement: tainted('Messages not delivered via the Send API'), link: `${sandbox.url}/status/statuspage` },
    { source: 'zendesk', statement: tainted('Facebook Messenger messages not being delivered'), link: `${sandbox.url}/incidents/9001` },
    // Meta's orgs carry no incident title: the statement is the tainted service name and its status wording.
    { source: 'meta', statement: `${tainted('Messenger API')}: High disruptions`, link: `${sandbox.url}/status/meta/messenger` },
  ] as const;
  for (const { source, statement, link } of cases) {
    await forceStatus(sandbox, { statuspage: 'operational', zendesk: 'operational', meta: 'operational', [source]: 'hostile' });
    await pollStatusNow(popup);
    const official = banner(page).getByTestId('send-guard-official');
    // The provider's words appear literally, markup characters and all.
    await expect(official.locator('q'), source).toHaveText(statement);
    await expect(official).toContainText('<img src=x onerror=');
    // The Statuspage shortlink was `javascript:`: the page's own http URL is linked instead.
    await expect(official.getByRole('link', { name: 'Open status page' }), source).toHaveAttribute('href', link);
    const injected = await bannerInjections(page);
    expect(injected, source).toEqual({ elements: 0, handlers: 0, hrefs: [link] });
  }

  // The popup and options page show no provider text; nothing from it became an element or ran there either.
  await popup.reload();
  await expect(popup.locator('main')).toBeVisible();
  expect(await popup.locator('img, script:not([src]), svg, iframe, [href^="javascript:" i]').count()).toBe(0);
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.locator('main, body').first()).toBeVisible();
  expect(await options.locator('img, svg, iframe, [href^="javascript:" i]').count()).toBe(0);
  for (const shown of [page, popup, options]) expect(await pwned(shown)).toBeUndefined();
  expect(await worker.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
