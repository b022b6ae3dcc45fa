import { expect, type Page, test, type Worker } from '@playwright/test';
import { banner, type Harness, openTicket, readQueue, sendReply, setMode, startHarness } from './harness';

// Issue 3, helpdesk profiles: the Chatwoot profile on the sandbox's Chatwoot-like page, and the
// options page's custom-profile validation and "Test on this tab".

let harness: Harness;

test.beforeEach(async () => {
  harness = await startHarness();
});

test.afterEach(async () => {
  await harness?.close();
});

/** The sandbox's Chatwoot-like conversation (sandbox/chatwoot.ts): conversation 101 is Anna's Messenger chat. */
async function openChatwootConversation(id: string): Promise<Page> {
  const page = await harness.context.newPage();
  await page.goto(`${harness.sandbox.url}/app/accounts/1/conversations/${id}`);
  await expect(page.locator('ul.conversation-panel .message-bubble-container').first()).toBeVisible();
  return page;
}

function chatwootMessage(page: Page, text: string) {
  return page.locator('.message-bubble-container.justify-end').filter({ has: page.locator('.prose-bubble', { hasText: text }) });
}

/** The profile choice as the settings item stored it, read in the service worker. */
async function storedProfile(worker: Worker): Promise<unknown> {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } };
    return ((await chrome.storage.local.get('settings')).settings as { profile?: unknown } | undefined)?.profile;
  });
}

async function openOptions(): Promise<Page> {
  const page = await harness.context.newPage();
  await page.goto(`chrome-extension://${harness.extensionId}/options.html`);
  await expect(page.getByRole('heading', { name: 'Send Guard settings' })).toBeVisible();
  return page;
}

test('Chatwoot: a reply that fails in an outage is kept with its exact text, and the banner shows', async () => {
  const { worker, sandbox } = harness;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const page = await openChatwootConversation('101');

  const first = 'Hi Anna, your refund was approved today.';
  const second = 'It will show on your card within 3 business days.';
  await page.locator('.reply-box .ProseMirror-woot-style').click();
  await page.keyboard.type(first);
  await page.keyboard.press('Enter');
  await page.keyboard.type(second);
  await page.locator('.reply-box .right-wrap button').click();

  // Chatwoot's way of showing it: the red ERROR bubble and "Failed to send" with the error in a hover card.
  const message = chatwootMessage(page, first);
  await expect(message.locator('.bg-n-ruby-4')).toBeVisible();
  await expect(message.getByText('Failed to send')).toBeVisible();

  await expect.poll(async () => (await readQueue(worker)).length).toBe(1);
  const [record] = await readQueue(worker);
  expect(record).toMatchObject({
    text: `${first}\n${second}`,
    ticketId: '101',
    channel: 'messenger',
    state: 'queued',
    helpdeskOrigin: sandbox.url,
    error: { errorClass: 'provider_transient' },
  });
  expect(record?.error.message).toContain('Failed to send');

  await expect(banner(page)).toBeVisible();
  await expect(banner(page).getByTestId('send-guard-kept')).toHaveText('1 unsent reply on this ticket is kept safe by Send Guard.');
});

test('Chatwoot: a delivered reply is not kept', async () => {
  const { worker } = harness;
  const page = await openChatwootConversation('102');
  await page.locator('.reply-box .ProseMirror-woot-style').click();
  await page.keyboard.type('Ben, size 44 is reserved for you.');
  await page.keyboard.press('Control+Enter');
  await expect(chatwootMessage(page, 'Ben, size 44 is reserved for you.').locator('.i-lucide-check-check')).toBeVisible();
  // Give the watchers the time a failure would have needed, then check nothing was kept.
  await page.waitForTimeout(1000);
  expect(await readQueue(worker)).toEqual([]);
  await expect(banner(page)).toHaveCount(0);
});

test('options: a broken custom profile shows what to fix, next to the field, as it is typed', async () => {
  const options = await openOptions();
  await options.getByLabel('Custom profile (JSON below)').check();
  const field = options.locator('#custom-profile');
  const issues = options.getByTestId('custom-profile-issues');

  await field.fill('{"ticketPath": "/tickets/(\\\\d+)", "selectors": {');
  await expect(issues).toContainText('Not valid JSON:');

  // A good starting point, then one broken selector.
  await options.getByRole('button', { name: 'Start from the Zendesk profile' }).click();
  await expect(options.getByText('The custom profile is valid.')).toBeVisible();
  const profile = JSON.parse(await field.inputValue()) as { selectors: { failedMarker: string[] } };
  profile.selectors.failedMarker[1] = '[data-status="failed"] >> .icon';
  await field.fill(JSON.stringify(profile, null, 2));
  await expect(issues).toContainText('selectors.failedMarker[1]: not a valid CSS selector:');
  await expect(field).toHaveAttribute('aria-invalid', 'true');

  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Fix the custom profile before saving it as the active profile.');
});

test('options: "Test on this tab" counts what each selector matches on the open Zendesk ticket', async () => {
  const { context, sandbox } = harness;
  await openTicket(context, sandbox, '101');
  const options = await openOptions();

  await options.getByRole('button', { name: 'Test on this tab' }).click();
  const result = options.getByTestId('self-test-result');
  await expect(result).toBeVisible();
  await expect(result).toContainText(`${sandbox.url}/agent/tickets/101`);
  await expect(result).toContainText('zendesk profile (ticket 101)');
  // Ticket 101 has no agent reply yet, so `outbound` may rightly be 0.
  for (const group of ['log', 'message', 'content', 'viaLabel', 'composer', 'sendButton']) {
    const counts = await result.locator(`tr[data-group="${group}"] td.count`).allTextContents();
    expect(counts.length, group).toBeGreaterThan(0);
    expect(Math.max(...counts.map(Number)), group).toBeGreaterThan(0);
  }

  // An unsaved custom profile is what gets tested, and it reads the same page.
  await options.getByLabel('Custom profile (JSON below)').check();
  await options.getByRole('button', { name: 'Start from the Zendesk profile' }).click();
  await options.getByRole('button', { name: 'Test on this tab' }).click();
  await expect(result).toContainText('custom profile (ticket 101)');
  expect(Number(await result.locator('tr[data-group="message"] td.count').first().textContent())).toBeGreaterThan(0);
});

test('a saved custom profile runs on the helpdesk page: the failed reply is kept and the banner shows', async () => {
  const { context, sandbox, worker } = harness;
  const options = await openOptions();
  await options.getByLabel('Custom profile (JSON below)').check();
  await options.getByRole('button', { name: 'Start from the Zendesk profile' }).click();
  await expect(options.getByText('The custom profile is valid.')).toBeVisible();
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect.poll(() => storedProfile(worker)).toBe('custom');

  // With "custom" chosen the page is read with that profile or not at all: no built-in stands in.
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const page = await openTicket(context, sandbox, '101');
  const text = 'Anna, the custom profile kept this one.';
  await sendReply(page, text);
  await expect.poll(async () => (await readQueue(worker)).map((r) => r.text)).toEqual([text]);
  await expect(banner(page).getByTestId('send-guard-kept')).toHaveText('1 unsent reply on this ticket is kept safe by Send Guard.');
});
