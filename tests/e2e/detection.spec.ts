import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { banner, type Harness, openTicket, outboundMessage, readQueue, sendReply, setMode, startHarness } from './harness';
import { installProbe, markerToBanner, readHealth, readProbe } from './probes';

// Sandbox tickets (sandbox/tickets.ts): 101, 102 and 105 (German UI) are Messenger on one Page,
// 103 is Instagram (a channel of its own for the detector).
const PAGE_ID = '104857600123456';
const PSID_101 = '6723451234567890';

const FAILING_WORDING = 'Messenger replies are failing here since';
const OUTAGE_WORDING = 'Messenger looks down: most replies fail since';

let harness: Harness | undefined;

async function start(env?: Record<string, string>): Promise<Harness> {
  harness = await startHarness(env ? { env } : {});
  return harness;
}

test.afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function messageId(page: Page, text: string): Promise<string> {
  const id = await outboundMessage(page, text).first().getAttribute('data-message-id');
  if (!id) throw new Error(`no message id for "${text}"`);
  return id;
}

test('an intermittent outage over three tickets: degraded, then outage, shown in the banner', async () => {
  const { context, worker, sandbox } = await start();
  // Ratio 0.8 fails calls 2, 3, 4, 5 (and 7, 8, 9…): call 1 delivers, so "most attempts fail" needs five.
  await setMode(sandbox, { mode: 'intermittent', failureRatio: 0.8 });
  const pages = new Map<string, Page>();
  for (const id of ['101', '102', '105']) {
    const page = await openTicket(context, sandbox, id);
    await installProbe(page);
    pages.set(id, page);
  }
  const steps = [
    { ticket: '101', text: 'Hi Anna, the courier has your parcel again.', status: 'delivered', level: 'operational' },
    { ticket: '102', text: 'Hi Ben, size 44 is in stock.', status: 'failed', level: 'operational' },
    { ticket: '105', text: 'Hallo Jonas, das Etikett kommt per E-Mail.', status: 'failed', level: 'operational' },
    { ticket: '101', text: 'Anna, the new delivery date is Friday.', status: 'failed', level: 'degraded' },
    { ticket: '102', text: 'Ben, the swap label is on its way.', status: 'failed', level: 'outage' },
  ] as const;

  const levels: string[] = [];
  for (const [i, step] of steps.entries()) {
    const page = pages.get(step.ticket) as Page;
    await page.bringToFront();
    await sendReply(page, step.text);
    await expect(outboundMessage(page, step.text)).toHaveAttribute('data-delivery-status', step.status);
    // Every attempt (delivered ones too) reaches the detector before the next one is sent.
    await expect.poll(async () => (await readHealth(worker)).messenger?.events.length ?? 0).toBe(i + 1);
    levels.push((await readHealth(worker)).messenger?.level ?? 'operational');
  }
  expect(levels).toEqual(steps.map((s) => s.level));
  expect(await readQueue(worker)).toHaveLength(4);

  const t101 = pages.get('101') as Page;
  const t102 = pages.get('102') as Page;
  await expect(banner(t102)).toContainText(OUTAGE_WORDING);
  await expect(banner(t102)).toHaveAttribute('role', 'alert');
  await expect(banner(pages.get('105') as Page)).toContainText(OUTAGE_WORDING);
  await expect(banner(t101)).toContainText(OUTAGE_WORDING);

  // Measured, not asserted: threshold failure visible in the page -> banner showing the new level.
  const degradedMs = markerToBanner(await readProbe(t101), await messageId(t101, steps[3].text), FAILING_WORDING);
  const outageMs = markerToBanner(await readProbe(t102), await messageId(t102, steps[4].text), OUTAGE_WORDING);
  console.log(`[detection] marker -> banner: degraded ${degradedMs} ms (ticket 101), outage ${outageMs} ms (ticket 102)`);
  expect(degradedMs).not.toBeNull();
  expect(outageMs).not.toBeNull();
});

test('a closed 24-hour window on one ticket: a per-reply explanation and the handoff, no outage', async () => {
  const { context, worker, sandbox } = await start();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
  await setMode(sandbox, { mode: 'policy_window' });
  const text = 'Hi Anna, here is the return label you asked for last week.';
  const t101 = await openTicket(context, sandbox, '101');
  await sendReply(t101, text);
  await expect(outboundMessage(t101, text)).toHaveAttribute('data-delivery-status', 'failed');

  await expect.poll(async () => (await readQueue(worker)).length).toBe(1);
  const [record] = await readQueue(worker);
  expect(record).toMatchObject({
    text,
    ticketId: '101',
    state: 'needs_attention',
    error: { errorClass: 'policy_window', code: 10, subcode: 2018278 },
  });

  const shown = banner(t101);
  await expect(shown.locator('li', { hasText: text })).toContainText('The 24-hour messaging window is closed.');
  await expect(shown.getByRole('button', { name: 'Open in Messenger' })).toBeVisible();
  // One customer's closed window is no outage: no health line, banner not alarming, detector calm.
  await expect(shown.locator('.sg-health')).toHaveCount(0);
  await expect(shown).not.toContainText(FAILING_WORDING);
  await expect(shown).not.toContainText(OUTAGE_WORDING);
  await expect(shown).toHaveAttribute('role', 'status');
  expect((await readHealth(worker)).messenger?.level ?? 'operational').toBe('operational');

  // The handoff is the way out here: it opens the conversation with the reply on the clipboard.
  const [messenger] = await Promise.all([context.waitForEvent('page'), shown.getByRole('button', { name: 'Open in Messenger' }).click()]);
  await messenger.waitForLoadState();
  expect(messenger.url()).toBe(
    `https://business.facebook.com/latest/inbox/all?asset_id=${PAGE_ID}&mailbox_id=${PAGE_ID}&selected_item_id=${PSID_101}&thread_type=FB_MESSAGE`,
  );
  expect(await t101.evaluate(() => navigator.clipboard.readText())).toBe(text);
});

test('one unreachable customer retried again and again: no outage, ever', async () => {
  const { context, worker, sandbox } = await start();
  await setMode(sandbox, { mode: 'healthy', overrides: { [PSID_101]: 'recipient_unavailable' } });
  const t101 = await openTicket(context, sandbox, '101');
  const t102 = await openTicket(context, sandbox, '102');
  await installProbe(t101);
  await installProbe(t102);

  const first = 'Hi Anna, did the parcel arrive?';
  await t101.bringToFront();
  await sendReply(t101, first);
  await expect(outboundMessage(t101, first)).toHaveAttribute('data-delivery-status', 'failed');
  await expect.poll(async () => (await readQueue(worker)).length).toBe(1);

  // The agent retries the same reply from the banner, three times; each retry fails the same way.
  const item = banner(t101).locator('li', { hasText: first });
  for (let attempt = 2; attempt <= 4; attempt++) {
    await item.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(async () => (await readQueue(worker))[0]?.attempts.length).toBe(attempt);
    await expect(item.getByRole('button', { name: 'Retry' })).toBeEnabled();
  }
  // … and writes two more replies to her; another customer on the same Page is reached fine.
  for (const text of ['Anna, are you there?', 'Anna, please write back when you can.']) {
    await sendReply(t101, text);
    await expect(outboundMessage(t101, text)).toHaveAttribute('data-delivery-status', 'failed');
  }
  await t102.bringToFront();
  await sendReply(t102, 'Hi Ben, your boots are on their way.');
  await expect(outboundMessage(t102, 'Hi Ben, your boots are on their way.')).toHaveAttribute('data-delivery-status', 'delivered');

  await expect.poll(async () => (await readQueue(worker)).length).toBe(3);
  for (const record of await readQueue(worker)) {
    expect(record).toMatchObject({ ticketId: '101', state: 'needs_attention', error: { errorClass: 'recipient_unavailable', code: 551 } });
  }
  const health = (await readHealth(worker)).messenger;
  expect(health?.level ?? 'operational').toBe('operational');
  // Zero false outage banners: no health line was ever shown on either tab.
  for (const page of [t101, t102]) {
    const seen = (await readProbe(page)).banner.filter((entry) => entry.health !== '');
    expect(seen).toEqual([]);
  }
  await expect(banner(t101).locator('li')).toHaveCount(3);
  await expect(banner(t101).locator('li').first()).toContainText('This person cannot receive messages from the Page right now.');
});

test('a virtualized log that keeps re-rendering: one record per failed reply, one detector event per reply', async () => {
  const { context, worker, sandbox } = await start();
  const page = await openTicket(context, sandbox, '101', '?log=virtual');
  // Counts, in the page, how often each message element is added and how many copies exist at once.
  await page.evaluate(() => {
    const stats: Record<string, { added: number; maxCopies: number }> = {};
    (window as unknown as { __renders: typeof stats }).__renders = stats;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          const id = node instanceof Element ? node.getAttribute('data-message-id') : null;
          if (!id) continue;
          const entry = stats[id] ?? { added: 0, maxCopies: 0 };
          stats[id] = entry;
          entry.added++;
          entry.maxCopies = Math.max(entry.maxCopies, document.querySelectorAll(`[data-message-id="${id}"]`).length);
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });

  // One reply goes out, then Meta fails the next two.
  await sendReply(page, 'Hi Anna, thanks for waiting.');
  await expect.poll(async () => (await readHealth(worker)).messenger?.events.length ?? 0).toBe(1);
  await setMode(sandbox, { mode: 'outage' });
  const texts = ['Hi Anna, your jacket ships today.', 'The tracking link follows shortly.'];
  for (const text of texts) await sendReply(page, text);
  await expect.poll(async () => (await readQueue(worker)).length).toBe(2);
  await expect.poll(async () => (await readHealth(worker)).messenger?.events.length ?? 0).toBe(3);
  const ids = [await messageId(page, texts[0] as string), await messageId(page, texts[1] as string)];
  // Several seconds of re-renders (every 300 ms): new elements, same message ids, sometimes two copies.
  await page.waitForTimeout(3000);
  const renders = await page.evaluate(
    () => (window as unknown as { __renders: Record<string, { added: number; maxCopies: number }> }).__renders,
  );
  for (const id of ids) expect(renders[id]?.added ?? 0, `renders of ${id}`).toBeGreaterThanOrEqual(5);
  expect(Math.max(...ids.map((id) => renders[id]?.maxCopies ?? 0)), 'rendered twice at once').toBeGreaterThanOrEqual(2);
  expect(await readQueue(worker)).toHaveLength(2);

  // A reload: a fresh content script sees both failed replies again; the background still keeps one each.
  await page.reload();
  await expect(page.locator('[data-test-id="omni-log-container"]')).toBeVisible();
  await expect(banner(page).getByTestId('send-guard-kept')).toHaveText('2 unsent replies on this ticket are kept safe by Send Guard.');
  await page.waitForTimeout(1500);
  const queue = await readQueue(worker);
  expect(queue.map((r) => r.text).sort()).toEqual([...texts].sort());
  expect(queue.every((r) => r.state === 'queued' && r.error.errorClass === 'provider_transient')).toBe(true);
  // Neither the re-renders nor the reload told the detector anything twice (one delivery, two failures).
  const events = (await readHealth(worker)).messenger?.events ?? [];
  expect(events.map((e) => e.outcome).sort()).toEqual(['delivered', 'failed', 'failed']);
});

test('every marker variant is detected: attributes, icon aria-label only, text only (English and German)', async () => {
  const { context, worker, sandbox } = await start();
  // The rotating outage answers code 2, code 1200, HTTP 500 (code 1), in call order.
  await setMode(sandbox, { mode: 'outage', outageKind: 'rotate' });
  const cases = [
    { ticket: '101', query: '', text: 'Hi Anna, default markup reply.', error: { errorClass: 'provider_transient', code: 2 } },
    {
      ticket: '102',
      query: '?marker=icon',
      text: 'Hi Ben, icon-only reply.',
      error: { errorClass: 'unknown', message: 'Message failed to send' },
    },
    { ticket: '103', query: '?marker=text', text: 'Hi Chloé, text-only reply.', error: { errorClass: 'provider_transient', code: 1 } },
    {
      ticket: '105',
      query: '?marker=icon',
      text: 'Hallo Jonas, Antwort nur mit Symbol.',
      error: { errorClass: 'unknown', message: 'Nachricht konnte nicht gesendet werden' },
    },
    {
      ticket: '105',
      query: '?marker=text',
      text: 'Hallo Jonas, Antwort nur mit Text.',
      error: { errorClass: 'provider_transient', code: 1200 },
    },
  ] as const;
  for (const c of cases) {
    const page = await openTicket(context, sandbox, c.ticket, c.query);
    await sendReply(page, c.text);
    await expect.poll(async () => (await readQueue(worker)).some((r) => r.text === c.text), `${c.ticket}${c.query}`).toBe(true);
    const record = (await readQueue(worker)).find((r) => r.text === c.text);
    expect(record, `${c.ticket}${c.query}`).toMatchObject({
      ticketId: c.ticket,
      channel: c.ticket === '103' ? 'instagram' : 'messenger',
      error: c.error,
    });
    await expect(banner(page)).toBeVisible();
    // One markup per ticket at a time: an open tab in other markup would report the next reply too.
    await page.close();
  }
  // The second 105 tab saw the first 105 reply failed too, in other markup: still one record each.
  const queue = await readQueue(worker);
  expect(queue.map((r) => r.text).sort()).toEqual(cases.map((c) => c.text).sort());
});

test('the German page in a German browser: detected, and the banner speaks German', async () => {
  const { context, worker, sandbox } = await start({ LANGUAGE: 'de' });
  const de = JSON.parse(readFileSync('public/_locales/de/messages.json', 'utf8')) as Record<string, { message: string }>;
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const text = 'Hallo Jonas, das Rücksendeetikett ist unterwegs.';
  const t105 = await openTicket(context, sandbox, '105');
  await sendReply(t105, text);
  await expect(outboundMessage(t105, text)).toHaveAttribute('data-delivery-status', 'failed');
  await expect(outboundMessage(t105, text)).toContainText('Nicht zugestellt');

  await expect.poll(async () => (await readQueue(worker)).length).toBe(1);
  expect((await readQueue(worker))[0]).toMatchObject({
    text,
    ticketId: '105',
    channel: 'messenger',
    state: 'queued',
    error: { errorClass: 'provider_transient', code: 2 },
  });
  await expect(banner(t105).getByTestId('send-guard-kept')).toHaveText(de.bannerKeptOne?.message ?? '');
  await expect(banner(t105).getByRole('button', { name: de.actionOpenInMessenger?.message ?? '' })).toBeVisible();
  await expect(banner(t105)).toContainText(de.adviceProviderTransient?.message ?? '');
});
