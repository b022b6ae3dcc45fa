import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page, test, type Worker } from '@playwright/test';
import { EXTENSION_DIR, launchWithExtension } from '../../scripts/launch';
import { banner, type Harness, openTicket, outboundMessage, readQueue, sendReply, setMode, startHarness } from './harness';

// Options page, helpdesk domains: a helpdesk on its own address. The sandbox build can reach the
// sandbox as http://localhost:<port>, which no static match covers and which is only an optional
// host permission, so it stands in for a custom domain.
//
// Headless Chromium never answers the permission prompt (Playwright can't reach it, microsoft/playwright#32755),
// so the prompt itself is not tested: one test records what the click asks for and answers "Deny"
// the way a user would; the other starts from a browser in which the host is granted already.

let harness: Harness;

test.afterEach(async () => {
  await harness?.close();
});

const customDomain = () => `http://localhost:${harness.sandbox.port}`;

async function openOptions(): Promise<Page> {
  const page = await harness.context.newPage();
  await page.goto(`chrome-extension://${harness.extensionId}/options.html`);
  await expect(page.getByRole('heading', { name: 'Send Guard settings', level: 1 })).toBeVisible();
  return page;
}

/** Send Guard's scripts registered at run time, as the worker sees them: [matches, world] pairs. */
async function registeredScripts(worker: Worker): Promise<string[][]> {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { scripting: { getRegisteredContentScripts(): Promise<{ matches?: string[]; world?: string }[]> } };
    };
    return (await chrome.scripting.getRegisteredContentScripts()).map((s) => [...(s.matches ?? []), s.world ?? '']).sort();
  });
}

async function storedSetting(worker: Worker, key: 'customHelpdeskDomains' | 'zendeskSubdomains'): Promise<unknown> {
  return worker.evaluate(async (key) => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } };
    return ((await chrome.storage.local.get('settings')).settings as Record<string, unknown> | undefined)?.[key];
  }, key);
}

/** In the options page: every permissions.request, with whether it ran inside the click; each is answered "Deny". */
async function recordPermissionRequests(options: Page): Promise<() => Promise<{ origins: string[]; inClick: boolean }[]>> {
  await options.evaluate(() => {
    const w = window as unknown as {
      chrome: { permissions: { request: unknown } };
      permissionRequests: { origins: string[]; inClick: boolean }[];
    };
    w.permissionRequests = [];
    w.chrome.permissions.request = (details: { origins?: string[] }, callback?: (granted: boolean) => void) => {
      // window.event is set only while the click is being dispatched: an await before the request would clear it.
      w.permissionRequests.push({ origins: details.origins ?? [], inClick: window.event?.type === 'click' });
      if (typeof callback === 'function') setTimeout(() => callback(false), 0);
      else return Promise.resolve(false);
    };
  });
  return () =>
    options.evaluate(() => (window as unknown as { permissionRequests: { origins: string[]; inClick: boolean }[] }).permissionRequests);
}

/** A failed Messenger reply on the ticket, and whether Send Guard kept it and said so. */
async function failAReply(ticket: Page, text: string): Promise<void> {
  await sendReply(ticket, text);
  await expect(outboundMessage(ticket, text)).toHaveAttribute('data-delivery-status', 'failed');
}

test('adding a helpdesk address asks for that host in the click; refused, it shows "Needs access" and Send Guard stays off there', async () => {
  harness = await startHarness();
  const options = await openOptions();

  // Zendesk subdomains: a wrong line is named next to the field; saved, the list is stored as labels.
  const subdomains = options.locator('#zendesk-subdomains');
  await subdomains.fill('acme\nacme corp');
  await expect(options.locator('#zendesk-subdomains-note')).toHaveText(
    'Line 2: enter only the part before .zendesk.com, like acme for acme.zendesk.com.',
  );
  // One Save for the whole page: it refuses while a field is marked, and nothing is stored.
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Nothing was saved: first fix the fields marked in red.');
  expect(await storedSetting(harness.worker, 'zendeskSubdomains')).toBeUndefined();
  await subdomains.fill('acme\nhttps://globex.zendesk.com/agent');
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText(
    'Saved. Other Zendesk accounts are ignored from now on; reload their open tabs.',
  );
  await expect(subdomains).toHaveValue('acme\nglobex');
  expect(await storedSetting(harness.worker, 'zendeskSubdomains')).toEqual(['acme', 'globex']);

  // Wrong addresses are explained next to the field and never added.
  const field = options.locator('#custom-domain');
  const note = options.locator('#custom-domain-note');
  await field.fill('https://help.example.com/agent/tickets');
  await expect(note).toHaveText('Enter the helpdesk’s address only, like https://help.example.com (no path after it).');
  await field.fill('http://help.example.com');
  await expect(note).toHaveText('The address must start with https://.');
  await field.fill('https://acme.zendesk.com');
  await expect(note).toHaveText('Zendesk addresses are covered already. To limit Send Guard to your account, list its subdomain above.');
  await options.getByRole('button', { name: 'Add helpdesk address' }).click();
  await expect(options.getByTestId('custom-domains')).toHaveCount(0);

  const requests = await recordPermissionRequests(options);
  await field.fill(`${customDomain()}/`);
  await expect(note).toHaveText('');
  await options.getByRole('button', { name: 'Add helpdesk address' }).click();
  await expect(options.getByTestId('domains-notice')).toHaveText(
    `Added, but Send Guard can’t work on ${customDomain()} until you allow access.`,
  );
  expect(await requests()).toEqual([{ origins: ['http://localhost/*'], inClick: true }]);
  const row = options.getByTestId('custom-domains').locator(`tr[data-domain="${customDomain()}"]`);
  await expect(row.getByTestId('domain-status')).toContainText('Needs access');
  expect(await storedSetting(harness.worker, 'customHelpdeskDomains')).toEqual([customDomain()]);

  // "Allow access" asks again, for the same host, inside its own click.
  await row.getByRole('button', { name: `Allow access to ${customDomain()}` }).click();
  await expect.poll(requests).toEqual([
    { origins: ['http://localhost/*'], inClick: true },
    { origins: ['http://localhost/*'], inClick: true },
  ]);

  // Without access nothing runs on that address: a failed reply there is not kept and no banner shows.
  expect(await registeredScripts(harness.worker)).toEqual([]);
  await setMode(harness.sandbox, { mode: 'outage', outageKind: 'code2' });
  const ticket = await harness.context.newPage();
  await ticket.goto(`${customDomain()}/agent/tickets/101`);
  await failAReply(ticket, 'Ben, your refund is on its way.');
  await ticket.waitForTimeout(2000);
  await expect(banner(ticket)).toHaveCount(0);
  expect(await readQueue(harness.worker)).toEqual([]);
});

test('an address set by the administrator is locked and, until the agent allows it, shows "Needs access"', async () => {
  harness = await startHarness();
  await harness.worker.evaluate(async (domain) => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } };
    await chrome.storage.local.set({ 'sandbox:managed': { customHelpdeskDomains: [domain], zendeskSubdomains: ['acme'] } });
  }, customDomain());
  const options = await openOptions();
  const row = options.getByTestId('custom-domains').locator(`tr[data-domain="${customDomain()}"]`);
  await expect(row).toContainText('Set by your administrator');
  await expect(row.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
  await expect(row.getByTestId('domain-status')).toContainText('Needs access');
  await expect(row.getByRole('button', { name: `Allow access to ${customDomain()}` })).toBeVisible();
  await expect(options.locator('#zendesk-subdomains')).toBeDisabled();
  await expect(options.locator('#zendesk-subdomains')).toHaveValue('acme');
  expect(await registeredScripts(harness.worker)).toEqual([]);
});

/**
 * A browser profile in which Send Guard already holds access to http://localhost: a first run of a
 * copy whose manifest requires that host (Chrome grants it at install), then the real manifest,
 * where it is optional again. Chrome keeps the grant, as it does for a permission the user allowed.
 */
async function profileWithLocalhostGranted(): Promise<{ userDataDir: string; extensionDir: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'send-guard-domains-'));
  const extensionDir = path.join(root, 'extension');
  const userDataDir = path.join(root, 'profile');
  cpSync(EXTENSION_DIR, extensionDir, { recursive: true });
  const manifestPath = path.join(extensionDir, 'manifest.json');
  const manifest = readFileSync(manifestPath, 'utf8');
  const parsed = JSON.parse(manifest) as { host_permissions: string[] };
  writeFileSync(manifestPath, JSON.stringify({ ...parsed, host_permissions: [...parsed.host_permissions, 'http://localhost/*'] }));
  const first = await launchWithExtension({ headless: true, userDataDir, extensionDir });
  await first.context.close();
  writeFileSync(manifestPath, manifest);
  return { userDataDir, extensionDir };
}

test('with access allowed, Send Guard works on the address; removing it, or withdrawing access, turns it off on the next page load', async () => {
  harness = await startHarness(await profileWithLocalhostGranted());
  const { worker, sandbox, context } = harness;
  const manifest = await worker.evaluate(() =>
    (globalThis as unknown as { chrome: { runtime: { getManifest(): unknown } } }).chrome.runtime.getManifest(),
  );
  expect(manifest).toMatchObject({ optional_host_permissions: expect.arrayContaining(['http://localhost/*']) });
  expect((manifest as { host_permissions: string[] }).host_permissions).not.toContain('http://localhost/*');

  const options = await openOptions();
  const add = async () => {
    await options.locator('#custom-domain').fill(customDomain());
    await options.getByRole('button', { name: 'Add helpdesk address' }).click();
    await expect(options.getByTestId('domains-notice')).toHaveText(`Added. Send Guard works on ${customDomain()} from the next page load.`);
  };
  const row = options.getByTestId('custom-domains').locator(`tr[data-domain="${customDomain()}"]`);
  const bothScripts = [
    ['http://localhost/*', 'ISOLATED'],
    ['http://localhost/*', 'MAIN'],
  ];

  await add();
  await expect(row.getByTestId('domain-status')).toHaveText('Active');
  await expect.poll(() => registeredScripts(worker)).toEqual(bothScripts);

  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const ticket = await openTicket(context, { ...sandbox, url: customDomain() }, '101');
  const first = 'Anna, the courier picks the parcel up tomorrow.';
  await failAReply(ticket, first);
  await expect(banner(ticket).getByTestId('send-guard-kept')).toHaveText('1 unsent reply on this ticket is kept safe by Send Guard.');
  await expect.poll(async () => (await readQueue(worker)).map((r) => [r.text, r.helpdeskOrigin])).toEqual([[first, customDomain()]]);

  // Removing the address: the next load of that page runs nothing of Send Guard.
  await row.getByRole('button', { name: `Remove ${customDomain()}` }).click();
  await expect(options.getByTestId('domains-notice')).toHaveText(
    `Removed. Send Guard no longer works on ${customDomain()} (from the next page load).`,
  );
  await expect(options.getByRole('button', { name: `Also withdraw Send Guard’s access to ${customDomain()}` })).toBeVisible();
  await expect.poll(() => registeredScripts(worker)).toEqual([]);
  await ticket.reload();
  await failAReply(ticket, 'Anna, one more thing about the parcel.');
  await ticket.waitForTimeout(2000);
  await expect(banner(ticket)).toHaveCount(0);
  expect((await readQueue(worker)).map((r) => r.text)).toEqual([first]);

  // Added again (access is still there, so no prompt): on again after a reload.
  await add();
  await expect.poll(() => registeredScripts(worker)).toEqual(bothScripts);
  await ticket.reload();
  await expect(banner(ticket).getByTestId('send-guard-kept')).toContainText('kept safe by Send Guard');

  // The browser withdraws the access (as from its extension settings): "Needs access", and off on the next load.
  await worker.evaluate(() =>
    (globalThis as unknown as { chrome: { permissions: { remove(p: unknown): Promise<boolean> } } }).chrome.permissions.remove({
      origins: ['http://localhost/*'],
    }),
  );
  await expect(row.getByTestId('domain-status')).toContainText('Needs access');
  await expect(row.getByRole('button', { name: `Allow access to ${customDomain()}` })).toBeVisible();
  await expect.poll(() => registeredScripts(worker)).toEqual([]);
  await ticket.reload();
  await expect(outboundMessage(ticket, first).first()).toBeVisible();
  await ticket.waitForTimeout(2000);
  await expect(banner(ticket)).toHaveCount(0);
});
