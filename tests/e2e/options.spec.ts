import { readFileSync } from 'node:fs';
import { expect, type Page, test, type Worker } from '@playwright/test';
import { banner, type Harness, openTicket, outboundMessage, readQueue, sendReply, setMode, startHarness } from './harness';

// Issue 6, options page: every setting checked as it is typed, import/export, admin-managed
// (locked) settings through the sandbox build's stand-in for storage.managed, and the language override.

let harness: Harness;

test.beforeEach(async () => {
  harness = await startHarness();
});

test.afterEach(async () => {
  await harness?.close();
});

interface StoredMapping {
  helpdeskOrigin: string;
  channel: string;
  pageId: string;
}
interface StoredSettings {
  pageMappings: StoredMapping[];
  autoRetry: boolean;
  language?: string;
  retention: { doneMs: number; maxAgeMs: number };
  debugLog?: boolean;
}

/** The settings item exactly as stored (undefined until something is saved), read in the service worker. */
async function storedSettings(worker: Worker): Promise<StoredSettings | undefined> {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } };
    return (await chrome.storage.local.get('settings')).settings as never;
  });
}

async function openOptions(heading = 'Send Guard settings'): Promise<Page> {
  const page = await harness.context.newPage();
  await page.goto(`chrome-extension://${harness.extensionId}/options.html`);
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  return page;
}

async function addMapping(options: Page, origin: string, pageId: string): Promise<void> {
  await options.locator('#mapping-origin').fill(origin);
  await options.locator('#mapping-page-id').fill(pageId);
  await options.getByRole('button', { name: 'Add Page ID' }).click();
}

const ACME = { helpdeskOrigin: 'https://acme.zendesk.com', channel: 'messenger', pageId: '104857600123456' };

test('a bad Page ID shows what is wrong next to the field, as it is typed, and is never saved', async () => {
  const options = await openOptions();
  await options.locator('#mapping-origin').fill('https://acme.zendesk.com');
  await options.locator('#mapping-page-id').fill('facebook.com/acme');
  await expect(options.locator('#mapping-page-id-note')).toHaveText(
    'A Page ID is digits only (up to 25), as shown in the Page’s About section.',
  );
  await expect(options.locator('#mapping-page-id')).toHaveAttribute('aria-invalid', 'true');

  await options.getByRole('button', { name: 'Add Page ID' }).click();
  await expect(options.getByTestId('page-mappings')).toHaveCount(0);
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Nothing was saved: first fix the fields marked in red.');
  expect((await storedSettings(harness.worker))?.pageMappings ?? []).toEqual([]);

  // A detector field with a non-number is refused the same way.
  await options.locator('#mapping-page-id').fill('');
  await options.locator('#field-degradedFailures').fill('three');
  await expect(options.locator('#field-degradedFailures-note')).toHaveText('Enter a whole number, 1 or more.');
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Nothing was saved: first fix the fields marked in red.');
  expect(await storedSettings(harness.worker)).toBeUndefined();
});

test('a good Page ID mapping is saved and read back', async () => {
  const options = await openOptions();
  await addMapping(options, 'https://acme.zendesk.com/', ACME.pageId);
  await expect(options.getByTestId('page-mappings')).toContainText('https://acme.zendesk.com');
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Saved.');
  expect((await storedSettings(harness.worker))?.pageMappings).toEqual([ACME]);

  const again = await openOptions();
  await expect(again.getByTestId('page-mappings').locator('tbody tr')).toHaveCount(1);
  await expect(again.getByTestId('page-mappings')).toContainText(ACME.pageId);
});

test('export then import gives back the same settings', async () => {
  const options = await openOptions();
  await addMapping(options, 'https://acme.zendesk.com', ACME.pageId);
  await options.locator('#field-maxAgeMs').fill('3');
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Saved.');
  const saved = await storedSettings(harness.worker);
  expect(saved?.retention.maxAgeMs).toBe(3 * 24 * 3600_000);

  const [download] = await Promise.all([
    options.waitForEvent('download'),
    options.getByRole('button', { name: 'Export settings' }).click(),
  ]);
  const file = readFileSync(await download.path(), 'utf8');
  expect(JSON.parse(file)).toEqual({ sendGuardSettings: 3, settings: saved });

  // Change everything the file holds, then import it back.
  await options.getByRole('button', { name: /^Remove/ }).click();
  await options.locator('#field-maxAgeMs').fill('7');
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect.poll(async () => (await storedSettings(harness.worker))?.pageMappings).toEqual([]);

  await options
    .locator('#import-file')
    .setInputFiles({ name: 'send-guard-settings.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  // Nothing is saved until the person has seen what changes and said yes.
  const preview = options.getByTestId('import-preview');
  await expect(preview).toContainText('This file would change 4 settings.');
  await expect(preview.getByRole('listitem')).toHaveText([
    'pageMappings.0.channel: — → messenger',
    'pageMappings.0.helpdeskOrigin: — → https://acme.zendesk.com',
    `pageMappings.0.pageId: — → ${ACME.pageId}`,
    `retention.maxAgeMs: ${7 * 24 * 3600_000} → ${3 * 24 * 3600_000}`,
  ]);
  expect((await storedSettings(harness.worker))?.pageMappings).toEqual([]);
  await preview.getByRole('button', { name: 'Apply these changes' }).click();
  await expect(options.getByTestId('import-result')).toHaveText('Settings imported and saved.');
  expect(await storedSettings(harness.worker)).toEqual(saved);
  await expect(options.getByTestId('page-mappings')).toContainText(ACME.pageId);
  await expect(options.locator('#field-maxAgeMs')).toHaveValue('3');
});

test('an import is shown before it applies; cancelled, nothing changes; status pages never come from a file', async () => {
  const options = await openOptions();
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Saved.');
  const before = await storedSettings(harness.worker);
  const [download] = await Promise.all([
    options.waitForEvent('download'),
    options.getByRole('button', { name: 'Export settings' }).click(),
  ]);
  const crafted = JSON.parse(readFileSync(await download.path(), 'utf8')) as { settings: StoredSettings & Record<string, unknown> };
  crafted.settings.autoRetry = true;
  (crafted.settings.status as Record<string, unknown>).customStatuspages = ['https://status.attacker.example'];
  await options
    .locator('#import-file')
    .setInputFiles({ name: 'crafted.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(crafted)) });
  const preview = options.getByTestId('import-preview');
  await expect(preview.getByRole('listitem')).toHaveText(['autoRetry: false → true']);
  await expect(preview).toContainText('Not taken from the file: status.customStatuspages');
  await preview.getByRole('button', { name: 'Cancel' }).click();
  await expect(options.getByTestId('import-result')).toHaveText('Nothing was changed.');
  expect(await storedSettings(harness.worker)).toEqual(before);
});

test('importing a broken file changes nothing and says why', async () => {
  const options = await openOptions();
  await addMapping(options, 'https://acme.zendesk.com', ACME.pageId);
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Saved.');
  const before = await storedSettings(harness.worker);

  const [download] = await Promise.all([
    options.waitForEvent('download'),
    options.getByRole('button', { name: 'Export settings' }).click(),
  ]);
  const broken = JSON.parse(readFileSync(await download.path(), 'utf8')) as { settings: StoredSettings };
  broken.settings.pageMappings = [{ ...ACME, pageId: 'acme-page' }];
  broken.settings.autoRetry = true;
  await options
    .locator('#import-file')
    .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  const result = options.getByTestId('import-result');
  await expect(result).toContainText('This file was not imported, nothing changed:');
  await expect(result).toContainText('settings.pageMappings.0.pageId: this value is not allowed (a Page id is a number');
  expect(await storedSettings(harness.worker)).toEqual(before);

  await options
    .locator('#import-file')
    .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":') });
  await expect(result).toContainText('The file is not readable JSON');
  expect(await storedSettings(harness.worker)).toEqual(before);
});

test('a value the admin manages shows as locked, with a note', async () => {
  await harness.worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } };
    await chrome.storage.local.set({
      'sandbox:managed': { autoRetry: true, webhookUrl: 'https://hooks.corp.example/send-guard', retentionMaxAgeHours: 48 },
    });
  });
  const options = await openOptions();
  await expect(options.getByTestId('managed-note')).toHaveText(
    'Some settings are set by your organisation’s administrator and can’t be changed here.',
  );
  const autoRetry = options.getByRole('checkbox', { name: /Retry kept replies by themselves/ });
  await expect(autoRetry).toBeChecked();
  await expect(autoRetry).toBeDisabled();
  await expect(options.locator('#webhook-url')).toBeDisabled();
  await expect(options.locator('#webhook-url')).toHaveValue('https://hooks.corp.example/send-guard');
  await expect(options.locator('#field-maxAgeMs')).toBeDisabled();
  await expect(options.locator('#field-maxAgeMs')).toHaveValue('2');
  await expect(options.locator('#field-maxAgeMs-note')).toHaveText('Set by your administrator');
  // Not managed: still editable.
  await expect(options.locator('#field-doneMs')).toBeEnabled();

  // Saving the rest keeps the user's own values under the locked ones.
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Saved.');
  expect(await storedSettings(harness.worker)).toMatchObject({ autoRetry: false, retention: { maxAgeMs: 7 * 24 * 3600_000 } });
});

test('the debug log is turned on with the other settings, and what it kept can be read and cleared', async () => {
  const options = await openOptions();
  await expect(options.getByTestId('debug-log-empty')).toHaveText('The debug log is empty.');
  await options.getByRole('checkbox', { name: "Keep a debug log of Send Guard's own errors" }).check();
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText('Saved.');
  expect((await storedSettings(harness.worker))?.debugLog).toBe(true);

  // An entry as utils/debug-log.ts keeps one (where, the error's name and message, its stack).
  await harness.worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } };
    await chrome.storage.local.set({
      debugLog: [
        { at: Date.UTC(2026, 11, 2, 20, 14), where: 'failure-watcher', message: 'TypeError: x is null', stack: 'at failure-watcher' },
      ],
    });
  });
  const again = await openOptions();
  await expect(again.getByRole('checkbox', { name: "Keep a debug log of Send Guard's own errors" })).toBeChecked();
  await again.getByText('Entries in the debug log: 1').click();
  await expect(again.getByTestId('debug-log').locator('pre')).toContainText(
    '2026-12-02 20:14:00 UTC  failure-watcher  TypeError: x is null',
  );
  await again.getByRole('button', { name: 'Clear the debug log' }).click();
  await expect(again.getByTestId('debug-log-empty')).toBeVisible();

  // Off again: the setting is removed, the other settings stay.
  await again.getByRole('checkbox', { name: "Keep a debug log of Send Guard's own errors" }).uncheck();
  await again.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(again.getByTestId('settings-notice')).toHaveText('Saved.');
  expect((await storedSettings(harness.worker))?.debugLog).toBeUndefined();
});

test('with the language set to Deutsch the options page is in German', async () => {
  const options = await openOptions();
  await options.getByLabel('Language of Send Guard').selectOption('de');
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByRole('heading', { name: 'Send-Guard-Einstellungen', level: 1 })).toBeVisible();
  await expect(options.getByRole('button', { name: 'Diese Einstellungen übernehmen' })).toBeVisible();
  await expect(options.locator('html')).toHaveAttribute('lang', 'de');
  expect((await storedSettings(harness.worker))?.language).toBe('de');

  // A freshly opened page (and a wrong value typed there) is German too.
  const again = await openOptions('Send-Guard-Einstellungen');
  await again.locator('#mapping-page-id').fill('x');
  await expect(again.locator('#mapping-page-id-note')).toHaveText(
    'Eine Seiten-ID besteht nur aus Ziffern (bis zu 25), wie im Info-Bereich der Seite angezeigt.',
  );
});

test('the language override reaches the banner on an English helpdesk page', async () => {
  const options = await openOptions();
  await options.getByLabel('Language of Send Guard').selectOption('de');
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByRole('heading', { name: 'Send-Guard-Einstellungen', level: 1 })).toBeVisible();

  const { context, sandbox, worker } = harness;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const ticket = await openTicket(context, sandbox, '101');
  const text = 'Anna, the courier picks the parcel up tomorrow.';
  await sendReply(ticket, text);
  await expect(outboundMessage(ticket, text)).toHaveAttribute('data-delivery-status', 'failed');
  await expect.poll(async () => (await readQueue(worker)).length).toBe(1);
  await expect(banner(ticket).getByTestId('send-guard-kept')).toHaveText(
    '1 nicht gesendete Antwort zu diesem Ticket wird von Send Guard sicher aufbewahrt.',
  );
});
