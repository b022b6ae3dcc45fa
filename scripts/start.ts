// `npm start`: builds Send Guard for the sandbox, starts the sandbox helpdesk and opens Chromium on
// a ticket. With --headless (no display) it plays the outage scenario and saves what the agent sees.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startSandbox } from '../sandbox/server';
import { launchWithExtension } from './launch';

const headless =
  process.argv.includes('--headless') || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux');
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.SANDBOX_PORT ?? 4870);
const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
}

async function main(): Promise<void> {
  console.log('Building Send Guard for the sandbox…');
  execFileSync('npx', ['wxt', 'build', '--mode', 'sandbox'], { stdio: 'inherit' });
  const sandbox = await startSandbox({ port: headless ? 0 : port });
  console.log(`Sandbox helpdesk: ${sandbox.url}/  (control page: ${sandbox.url}/__sandbox/control)`);
  const { context } = await launchWithExtension({ headless });

  if (!headless) {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${sandbox.url}/agent/tickets/101`);
    console.log(
      'Chromium is open on ticket 101 with Send Guard loaded. Switch the fake Send API to "outage" on the control page, send a reply, and watch the banner. Close the browser to stop.',
    );
    await new Promise<void>((resolve) => context.on('close', () => resolve()));
    await sandbox.close();
    return;
  }

  mkdirSync(ARTIFACTS, { recursive: true });
  await context.route('https://business.facebook.com/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>Meta Business Suite</title><p>Meta Business Suite (offline stand-in)</p>',
    }),
  );
  const page = await context.newPage();
  const shot = async (name: string) => {
    const file = path.join(ARTIFACTS, name);
    await page.screenshot({ path: file });
    console.log(`  saved ${path.relative(process.cwd(), file)}`);
  };
  const send = async (text: string) => {
    await page.locator('[data-test-id="omnicomposer-rich-text"]').click();
    await page.keyboard.type(text);
    await page.locator('[data-test-id="omnichannel-send-button"]').click();
  };
  const bannerHost = page.getByTestId('send-guard-banner');

  console.log("Scenario: Meta's Send API goes down while an agent answers two Messenger tickets.");
  await post(`${sandbox.url}/__sandbox/mode`, { mode: 'outage' });
  await page.goto(`${sandbox.url}/agent/tickets/102`);
  await send('Hi Ben, the replacement left our warehouse this morning.');
  await page.locator('[data-delivery-status="failed"]').first().waitFor();
  await bannerHost.waitFor();
  await shot('0-first-failure.png');
  await page.goto(`${sandbox.url}/agent/tickets/101`);
  await send('Hi Anna, your refund was approved today.');
  await page.locator('[data-delivery-status="failed"]').first().waitFor();
  await send('It will show on your card within 3 business days.');
  await bannerHost.getByText('2 unsent replies', { exact: false }).waitFor();
  await shot('1-outage-banner.png');

  console.log('Meta recovers. The agent answers Ben anew, then retries the kept replies from the banner.');
  await post(`${sandbox.url}/__sandbox/mode`, { mode: 'healthy' });
  // Exact names: "Retry all" must not be taken for a reply's own "Retry".
  const retry = (text: string) => bannerHost.locator('li', { hasText: text }).getByRole('button', { name: 'Retry', exact: true }).click();
  const delivered = (text: string) =>
    page
      .locator('[data-test-id="omni-log-item-message"][type="agent"][data-delivery-status="delivered"]', { hasText: text })
      .first()
      .waitFor();
  await page.goto(`${sandbox.url}/agent/tickets/102`);
  await send('Ben, one more thing: the box is blue.');
  await delivered('Ben, one more thing');
  await retry('replacement left our warehouse');
  await delivered('replacement left our warehouse');
  await page.goto(`${sandbox.url}/agent/tickets/101`);
  await retry('refund was approved');
  await delivered('refund was approved');
  // Three deliveries in a row: the banner now says Messenger recovered, with the one reply still waiting.
  await bannerHost.getByText('Recovered at', { exact: false }).waitFor();
  await bannerHost.getByText('1 unsent reply', { exact: false }).waitFor();
  // What the banner says about Messenger itself: recovered, never "looks down" or "failing".
  const health = ((await bannerHost.getByTestId('send-guard-provider').textContent()) ?? '').replace(/\s+/g, ' ');
  if (!/Recovered at/.test(health) || /looks down|failing here/i.test(health)) {
    throw new Error(`The banner after recovery does not tell the truth: ${health}`);
  }
  await shot('2-after-recovery.png');
  await retry('within 3 business days');
  await delivered('within 3 business days');
  await bannerHost.waitFor({ state: 'detached' });
  console.log('Every kept reply went out; with nothing left to say, the banner is gone.');
  const sent = (await (await fetch(`${sandbox.url}/__sandbox/sent`)).json()) as { text: string }[];
  console.log(`The fake Send API accepted ${sent.length} replies: ${sent.map((m) => JSON.stringify(m.text)).join(', ')}`);
  const twice = sent.filter((m, i) => sent.findIndex((n) => n.text === m.text) !== i);
  if (sent.length !== 4 || twice.length > 0) throw new Error(`Expected 4 replies delivered once each, got ${sent.length}`);
  await context.close();
  await sandbox.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
