import { type BrowserContext, type CDPSession, expect, type Page, type Route, test } from '@playwright/test';
import { DEFAULT_DETECTOR_SETTINGS } from '../../core/health/detector';
import { DEFAULT_RETENTION } from '../../core/queue/retention';
import { UNSENT_STATES } from '../../core/queue/states';
import { startSandbox } from '../../sandbox/server';
import { launchWithExtension } from '../../scripts/launch';
import {
  activeWorkspace,
  banner,
  openTicket,
  outboundMessage,
  readQueue,
  type Sandbox,
  type StoredReply,
  sentLog,
  setMode,
  switchTicket,
} from './harness';

// "Never lost, never sent twice" (issue 4), judged by the fake Send API's log (GET /__sandbox/sent):
// every reply the agent typed is in the log exactly once, or still kept unsent, or handed off /
// discarded on purpose; no text is in the log twice; and a record is `sent` iff its text is in the log once.

/** A short `sending` lease (sandbox builds only, see sandbox/README.md) so "the lease lapsed" takes seconds. */
const TEST_LEASE_MS = 6000;
const KEPT_STATES = new Set(['queued', 'sending', 'needs_attention', 'unconfirmed', 'handed_off', 'discarded']);

interface Env {
  sandbox: Sandbox;
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  /** An extension page (popup.html in a tab): reads the queue, writes storage, drives CDP. */
  ext: Page;
  worker: WorkerWatch;
  relaunch(): Promise<void>;
  close(): Promise<void>;
}

async function openExtensionPage(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  return page;
}

async function launch(userDataDir?: string) {
  const launched = await launchWithExtension({ headless: true, ...(userDataDir ? { userDataDir } : {}) });
  const ext = await openExtensionPage(launched.context, launched.extensionId);
  return { ...launched, ext, watch: await WorkerWatch.attach(launched.context, ext) };
}

async function startEnv(): Promise<Env> {
  const sandbox = await startSandbox({ port: 0 });
  const first = await launch();
  const env: Env = {
    sandbox,
    context: first.context,
    extensionId: first.extensionId,
    userDataDir: first.userDataDir,
    ext: first.ext,
    worker: first.watch,
    async relaunch() {
      // Same profile: the extension's IndexedDB must carry every kept reply across the restart.
      await env.context.close();
      const next = await launch(env.userDataDir);
      env.context = next.context;
      env.extensionId = next.extensionId;
      env.ext = next.ext;
      env.worker = next.watch;
    },
    async close() {
      await env.context.close().catch(() => undefined);
      await sandbox.close();
    },
  };
  return env;
}

type StoredWithLease = StoredReply & { leaseUntil?: number; attempts: { path: string; outcome: string; at: number }[] };

async function setLocal(ext: Page, items: Record<string, unknown>): Promise<void> {
  await ext.evaluate(async (values) => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } };
    await chrome.storage.local.set(values);
  }, items);
}

async function readLocal(ext: Page, key: string): Promise<unknown> {
  return ext.evaluate(async (k) => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } };
    return (await chrome.storage.local.get(k))[k];
  }, key);
}

/**
 * Watches the extension's service worker over the DevTools protocol, and stops it like Chrome
 * does after idling. (Playwright reports neither the stop nor the restart of an extension worker.)
 */
class WorkerWatch {
  status = 'unknown';
  /** How many times a stopped worker started again (woken by the next message). */
  restarts = 0;
  /** How many times the worker was seen stopped. */
  stops = 0;
  private stopped = false;
  private constructor(private readonly cdp: CDPSession) {}

  static async attach(context: BrowserContext, ext: Page): Promise<WorkerWatch> {
    const cdp = await context.newCDPSession(ext);
    const watch = new WorkerWatch(cdp);
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
      for (const version of event.versions) {
        watch.status = version.runningStatus;
        if (version.runningStatus === 'stopped' && !watch.stopped) {
          watch.stopped = true;
          watch.stops += 1;
        }
        if (version.runningStatus === 'running' && watch.stopped) {
          watch.stopped = false;
          watch.restarts += 1;
        }
      }
    });
    await cdp.send('ServiceWorker.enable');
    return watch;
  }

  /** Stops every service worker of the profile (only Send Guard's here) and waits until it is down. */
  async stop(): Promise<void> {
    const before = this.stops;
    if (this.status === 'stopped') return; // Already down (idle): nothing to stop.
    await this.cdp.send('ServiceWorker.stopAllWorkers');
    // Counted, not read back: the next message may start a fresh worker right away.
    await expect.poll(() => this.stops > before || this.status === 'stopped', { timeout: 5000 }).toBe(true);
  }
}

interface Verdict {
  lost: string[];
  duplicated: string[];
  mismatched: string[];
  /** Replies seen to end (sent, handed off, discarded) that came back unsent, or a handed-off/discarded one that went out. */
  resurrected: string[];
  unsent: number;
}

/** What the agent ended on purpose (handed off, discarded: never to be sent), and every reply seen to end. */
interface Ended {
  onPurpose: ReadonlySet<string>;
  all: ReadonlySet<string>;
}

/** The invariants, with the Send API's log as the judge. */
async function judge(env: Env, typed: readonly string[], ended: Ended = { onPurpose: new Set(), all: new Set() }): Promise<Verdict> {
  // The queue first, then the log: a reply reaches the Send API's log before its record turns `sent`,
  // so read in this order a retry finishing in between can never look lost.
  const queue = await readQueue(env.ext);
  const log = await sentLog(env.sandbox);
  const inLog = new Map<string, number>();
  for (const m of log) inLog.set(m.text, (inLog.get(m.text) ?? 0) + 1);
  const isUnsent = (state: string) => (UNSENT_STATES as readonly string[]).includes(state);
  // A reply ended on purpose may be purged (its record gone, its tombstone left): accounted for.
  const lost = typed.filter(
    (t) => (inLog.get(t) ?? 0) === 0 && !ended.onPurpose.has(t) && !queue.some((r) => r.text === t && KEPT_STATES.has(r.state)),
  );
  const duplicated = [...inLog].filter(([, n]) => n > 1).map(([t, n]) => `${n}x ${t}`);
  const mismatched = queue
    .filter((r) => (r.state === 'sent') !== ((inLog.get(r.text) ?? 0) === 1))
    .map((r) => `${r.state} / ${inLog.get(r.text) ?? 0} in log: ${r.text}`);
  const resurrected = [
    ...queue.filter((r) => ended.all.has(r.text) && isUnsent(r.state)).map((r) => `unsent again: ${r.text}`),
    ...[...ended.onPurpose].filter((t) => inLog.has(t)).map((t) => `sent after it was handed off or discarded: ${t}`),
  ];
  return { lost, duplicated, mismatched, resurrected, unsent: queue.filter((r) => isUnsent(r.state)).length };
}

/** The end state every case must reach: each typed reply in the Send API log exactly once, and the invariant. */
async function expectEachSentOnce(env: Env, typed: readonly string[]): Promise<void> {
  const sent = await sentLog(env.sandbox);
  for (const text of typed)
    expect(
      sent.filter((m) => m.text === text),
      text,
    ).toHaveLength(1);
  await expectInvariant(env, typed);
}

async function expectInvariant(env: Env, typed: readonly string[]): Promise<void> {
  const verdict = await judge(env, typed);
  expect(verdict.lost, 'lost replies').toEqual([]);
  expect(verdict.duplicated, 'replies delivered twice').toEqual([]);
  expect(verdict.mismatched, 'queue states that disagree with the Send API log').toEqual([]);
}

/** Types like an agent (one input event, as a paste would) and presses Send; does not wait. */
async function typeAndSend(page: Page, text: string): Promise<void> {
  const workspace = activeWorkspace(page);
  await workspace.locator('[data-test-id="omnicomposer-rich-text"]').click();
  await page.keyboard.insertText(text);
  await workspace.locator('[data-test-id="omnichannel-send-button"]').click();
}

async function failReplies(env: Env, page: Page, texts: readonly string[]): Promise<void> {
  for (const text of texts) await typeAndSend(page, text);
  for (const text of texts) await expect(outboundMessage(page, text).first()).toHaveAttribute('data-delivery-status', 'failed');
  await expect
    .poll(async () => {
      const queue = await readQueue(env.ext);
      return texts.filter((t) => queue.some((r) => r.text === t)).length;
    })
    .toBe(texts.length);
}

function retryButton(page: Page, text: string) {
  return banner(page).locator('li', { hasText: text }).getByRole('button', { name: 'Retry', exact: true });
}

const UNCONFIRMED_NOTICE =
  'The helpdesk did not confirm this reply. Check the conversation: if it is there, mark it sent; if not, send it again.';

function sendAgainButton(page: Page, text: string) {
  return banner(page).locator('li', { hasText: text }).getByRole('button', { name: 'Send again', exact: true });
}

function markSentButton(page: Page, text: string) {
  return banner(page).locator('li', { hasText: text }).getByRole('button', { name: "It's in the conversation — mark sent" });
}

async function recordOf(env: Env, text: string): Promise<StoredWithLease | undefined> {
  return (await readQueue(env.ext)).find((r) => r.text === text) as StoredWithLease | undefined;
}

async function waitForLeaseToLapse(env: Env, texts: readonly string[]): Promise<void> {
  const queue = (await readQueue(env.ext)) as StoredWithLease[];
  const until = Math.max(0, ...queue.filter((r) => texts.includes(r.text) && r.state === 'sending').map((r) => r.leaseUntil ?? 0));
  // Leases are in the worker's time, which a test may have moved ahead (sandbox-hooks.ts).
  const offset = ((await readLocal(env.ext, 'sandbox:clockOffsetMs')) as number | undefined) ?? 0;
  const wait = until - (Date.now() + offset) + 250;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** Holds the page's POSTs of new replies (the helpdesk's "send") until the test lets each go. */
function holdReplyPosts(page: Page) {
  const held: Route[] = [];
  const waiters: ((route: Route) => void)[] = [];
  void page.route('**/api/sandbox/tickets/*/replies', (route) => {
    const waiter = waiters.shift();
    if (waiter) waiter(route);
    else held.push(route);
  });
  return {
    next(): Promise<Route> {
      const ready = held.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve) => waiters.push(resolve));
    },
    release: () => page.unroute('**/api/sandbox/tickets/*/replies'),
  };
}

let env: Env;

test.beforeEach(async () => {
  env = await startEnv();
});

test.afterEach(async () => {
  await env?.close();
});

test('a service worker stopped in the middle of a send: the reply ends sent exactly once', async () => {
  const { sandbox, context } = env;
  const HUNG = 'Anna, the exchange form is attached to this message.';
  const HELD = 'Anna, your replacement ships on Monday.';
  const typed = [HUNG, HELD];
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const t101 = await openTicket(context, sandbox, '101');
  await failReplies(env, t101, typed);
  await expect(banner(t101).getByTestId('send-guard-kept')).toHaveText('2 unsent replies on this ticket are kept safe by Send Guard.');

  // 1) The Send API hangs while the retry is in flight; the worker is stopped meanwhile. The
  // helpdesk's own timeout fails the send, and the failure must reach a fresh worker: kept, not lost.
  await setMode(sandbox, { mode: 'hang' });
  await retryButton(t101, HUNG).click();
  await expect(outboundMessage(t101, HUNG).last()).toHaveAttribute('data-delivery-status', 'pending');
  expect((await recordOf(env, HUNG))?.state).toBe('sending');
  let restarts = env.worker.restarts;
  await env.worker.stop();
  await expect(banner(t101).locator('.sg-notice')).toHaveText('The retry failed too. The reply is still kept.', { timeout: 20_000 });
  expect(env.worker.restarts, 'the failure was taken by a freshly started worker').toBeGreaterThan(restarts);
  await expect.poll(async () => (await recordOf(env, HUNG))?.state).toBe('queued');
  expect((await sentLog(sandbox)).filter((m) => m.text === HUNG)).toHaveLength(0);

  // 2) Healthy again. The helpdesk's send is held right after the claim; the worker is stopped;
  // then the send goes out. The delivered result must reach a fresh worker and mark it sent.
  await setMode(sandbox, { mode: 'healthy' });
  for (const text of [HELD, HUNG]) {
    const posts = holdReplyPosts(t101);
    await retryButton(t101, text).click();
    const post = await posts.next();
    expect((await recordOf(env, text))?.state).toBe('sending');
    restarts = env.worker.restarts;
    await env.worker.stop();
    await post.continue();
    await posts.release();
    await expect.poll(async () => (await recordOf(env, text))?.state).toBe('sent');
    expect(env.worker.restarts, 'the delivery was taken by a freshly started worker').toBeGreaterThan(restarts);
  }

  await expectEachSentOnce(env, typed);
});

test('a tab closed in the middle of a retry: reopened, the retry sends once and never twice', async () => {
  const { sandbox, context } = env;
  // Long enough to outlast two tabs opened and closed on a busy machine, so the refusal below is seen.
  await setLocal(env.ext, { 'sandbox:leaseMs': 20_000 });
  const WENT_OUT = 'Ben, the courier confirmed pick-up for 9 am.';
  const NEVER_LEFT = 'Ben, I added a note for the driver.';
  const typed = [WENT_OUT, NEVER_LEFT];
  await setMode(sandbox, { mode: 'outage', outageKind: 'code1200' });
  const first = await openTicket(context, sandbox, '102');
  await failReplies(env, first, typed);
  await setMode(sandbox, { mode: 'healthy' });

  // The helpdesk got the retry's POST (so the Send API delivers it), but the tab closes before the
  // delivered marker shows: the record stays `sending`, with its lease.
  const posts = holdReplyPosts(first);
  await retryButton(first, WENT_OUT).click();
  const post = await posts.next();
  // The helpdesk's server takes the POST (and sends it ~150 ms later); the tab never hears back.
  // (Aborted before closing: a request still paused at close would be let through a second time.)
  await post.fetch();
  await post.abort();
  await first.close();
  await expect.poll(async () => (await sentLog(sandbox)).filter((m) => m.text === WENT_OUT).length).toBe(1);
  expect((await recordOf(env, WENT_OUT))?.state).toBe('sending');

  // Same ticket again; this time the tab closes before its POST reached the helpdesk at all.
  const second = await openTicket(context, sandbox, '102');
  const posts2 = holdReplyPosts(second);
  await retryButton(second, NEVER_LEFT).click();
  await (await posts2.next()).abort();
  await second.close();
  expect((await recordOf(env, NEVER_LEFT))?.state).toBe('sending');

  // Reopened: while the leases hold, a retry is refused (another context may still be sending).
  const third = await openTicket(context, sandbox, '102');
  await expect(banner(third).getByTestId('send-guard-kept')).toHaveText('2 unsent replies on this ticket are kept safe by Send Guard.');
  await retryButton(third, WENT_OUT).click();
  await expect(banner(third).locator('.sg-notice')).toHaveText('Another tab is already retrying this reply.');

  // After the lease lapses nobody may claim them by themselves: whoever held them may have pressed
  // Send. A click on Retry says so, and both show as "Not confirmed" with the agent's two answers.
  await waitForLeaseToLapse(env, typed);
  await retryButton(third, WENT_OUT).click();
  await expect(banner(third).locator('.sg-notice')).toHaveText(UNCONFIRMED_NOTICE);
  await expect(banner(third).locator('li[data-state="unconfirmed"]')).toHaveCount(2);
  expect((await readQueue(env.ext)).map((r) => r.state)).toEqual(['unconfirmed', 'unconfirmed']);
  // "Send again": the check before sending finds the delivered copy in the conversation; nothing is sent again.
  await sendAgainButton(third, WENT_OUT).click();
  await expect(banner(third).locator('.sg-notice')).toHaveText('This reply had already been delivered; it will not be sent again.');
  const wentOut = await recordOf(env, WENT_OUT);
  expect(wentOut?.state).toBe('sent');
  expect(wentOut?.attempts.at(-1)?.outcome).toBe('delivered_late');
  // The one that never left: no copy in the conversation nor in the helpdesk's comments, so it is sent now, once.
  await sendAgainButton(third, NEVER_LEFT).click();
  await expect.poll(async () => (await recordOf(env, NEVER_LEFT))?.state).toBe('sent');

  await expectEachSentOnce(env, typed);
});

test('the browser closed and relaunched on the same profile: every kept reply is still there and sent once', async () => {
  const { sandbox } = env;
  const byTicket: Record<string, string[]> = {
    '101': ['Anna, we credited 12.40 EUR to your account.', 'Anna, the voucher code is SPRING-24 (valid until 31 May).'],
    '102': ['Ben: "Größe M" is back in stock — shall I reserve one?'],
    '105': ['Hallo Jonas, die Rücksendung ist angekommen.\nDie Erstattung folgt in 3 Tagen.'],
  };
  const typed = Object.values(byTicket).flat();
  await setMode(sandbox, { mode: 'outage', outageKind: 'rotate' });
  for (const [ticket, texts] of Object.entries(byTicket)) {
    const page = await openTicket(env.context, sandbox, ticket);
    await failReplies(env, page, texts);
  }
  const before = await readQueue(env.ext);
  expect(before.map((r) => r.text).sort()).toEqual([...typed].sort());

  await env.relaunch();
  const after = await readQueue(env.ext);
  expect(after.map((r) => [r.text, r.ticketId, r.state]).sort()).toEqual(before.map((r) => [r.text, r.ticketId, 'queued']).sort());

  await setMode(sandbox, { mode: 'healthy' });
  for (const [ticket, texts] of Object.entries(byTicket)) {
    const page = await openTicket(env.context, sandbox, ticket);
    await expect(banner(page).locator('li')).toHaveCount(texts.length);
    for (const text of texts) {
      await retryButton(page, text).click();
      await expect.poll(async () => (await recordOf(env, text))?.state).toBe('sent');
    }
  }
  await expectEachSentOnce(env, typed);
});

test('two tabs of one ticket and auto-retry race for the same replies: each is sent exactly once', async () => {
  const { sandbox, context } = env;
  await setLocal(env.ext, {
    settings: { profile: 'auto', autoRetry: true, pageMappings: [], retention: DEFAULT_RETENTION, detector: DEFAULT_DETECTOR_SETTINGS },
    settings$: { v: 2 },
  });
  const kept = ['Anna, your order #5521 is packed.', 'Anna, the invoice is in your account.', 'Anna, sorry for the wait!'];
  const other = 'Ben, your return label is attached.';
  const recovery = ['Ben, one more thing: the box is blue.', 'It has a red ribbon.', 'Have a nice day, Ben!'];
  const typed = [...kept, other, ...recovery];
  await setMode(sandbox, { mode: 'outage', outageKind: 'http500' });
  const tabA = await openTicket(context, sandbox, '101');
  const tabB = await openTicket(context, sandbox, '101');
  await failReplies(env, tabA, kept);
  // Both tabs saw the same failures: still one record each.
  await expect(banner(tabB).locator('li')).toHaveCount(3);
  expect(await readQueue(env.ext)).toHaveLength(3);
  // A second conversation failing makes it a platform problem for the detector (degraded).
  const t102 = await openTicket(context, sandbox, '102');
  await failReplies(env, t102, [other]);
  const messengerLevel = async () =>
    ((await readLocal(env.ext, 'health:v1')) as Record<string, { level: string }> | undefined)?.messenger?.level;
  await expect.poll(messengerLevel).not.toBe('operational');

  // The channel recovers: three deliveries in a row (on ticket 102) end the episode and start
  // auto-retry for ticket 101's open tab, while the agent clicks Retry on every reply in both tabs.
  await setMode(sandbox, { mode: 'healthy' });
  for (const text of recovery) {
    await typeAndSend(t102, text);
    await expect(outboundMessage(t102, text)).toHaveAttribute('data-delivery-status', 'delivered');
  }
  // Deliveries reach the worker in small batches: wait until it has seen the recovery, so the
  // auto-retry plan is made while every kept reply is still queued, then race it with the clicks.
  await expect.poll(messengerLevel).toBe('operational');
  const clicks = [tabA, tabB].flatMap((tab) =>
    kept.map((text) =>
      retryButton(tab, text)
        .click({ timeout: 5000 })
        .catch(() => undefined),
    ),
  );
  await Promise.all(clicks);

  await expect.poll(messengerLevel).toBe('operational');
  // Auto-retry ran: its plan took ticket 101 first (oldest) and still holds ticket 102's reply.
  const plan = (await env.ext.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } } };
    return (await chrome.storage.session.get('autoRetryPlan')).autoRetryPlan;
  })) as { ids: string[]; budget: number } | undefined;
  expect(plan?.budget).toBe(25 - kept.length);
  await expect
    .poll(async () => (await readQueue(env.ext)).filter((r) => kept.includes(r.text) && r.state === 'sent').length, { timeout: 30_000 })
    .toBe(kept.length);
  await retryButton(t102, other).click();
  await expect.poll(async () => (await recordOf(env, other))?.state).toBe('sent');
  // Let any straggler (a queued retry in either tab) finish before judging.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await expectEachSentOnce(env, typed);
});

test('a late delivery: Retry marks the reply sent without sending it again', async () => {
  const { sandbox, context } = env;
  const LATE = 'Jonas, Ihr Paket liegt in der Packstation 112.';
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const page = await openTicket(context, sandbox, '105');
  await failReplies(env, page, [LATE]);
  const messageId = await outboundMessage(page, LATE).getAttribute('data-message-id');
  expect(messageId).toBeTruthy();

  // The provider delivers it after all; the helpdesk shows it delivered.
  const response = await fetch(`${sandbox.url}/__sandbox/tickets/105/deliver-late`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messageId }),
  });
  expect(response.status).toBe(200);
  await expect(outboundMessage(page, LATE)).toHaveAttribute('data-delivery-status', 'delivered');

  // Healthy now, so a wrong second send would land in the log.
  await setMode(sandbox, { mode: 'healthy' });
  const graphCallsBefore = ((await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as { attempts: number }).attempts;
  await retryButton(page, LATE).click();
  // (The banner goes away with the last kept reply, so the outcome is read from the queue.)
  await expect.poll(async () => (await recordOf(env, LATE))?.state).toBe('sent');
  const record = await recordOf(env, LATE);
  expect(record?.state).toBe('sent');
  expect(record?.attempts.at(-1)?.outcome).toBe('delivered_late');
  const graphCallsAfter = ((await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as { attempts: number }).attempts;
  expect(graphCallsAfter).toBe(graphCallsBefore);
  await expect(outboundMessage(page, LATE)).toHaveCount(1);
  expect((await sentLog(sandbox)).filter((m) => m.text === LATE)).toHaveLength(1);
  await expectInvariant(env, [LATE]);
});

/** Sandbox-build-only hooks (sandbox/README.md): the worker's clock, and a retention run now. */
async function advanceWorkerClock(ext: Page, byMs: number): Promise<void> {
  const now = ((await readLocal(ext, 'sandbox:clockOffsetMs')) as number | undefined) ?? 0;
  await setLocal(ext, { 'sandbox:clockOffsetMs': now + byMs });
}

async function runRetention(ext: Page): Promise<{ purged: number; quarantined: number; tombstonesDropped: number }> {
  return ext.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };
    return (await chrome.runtime.sendMessage({ type: 'sandbox:run-retention' })) as never;
  });
}

/** What the popup sends: the agent's actions on a kept reply, from an extension page. */
async function askWorker(ext: Page, message: Record<string, unknown>): Promise<unknown> {
  return ext.evaluate(async (m) => {
    const { chrome } = globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } };
    return chrome.runtime.sendMessage(m);
  }, message);
}

const DAY = 24 * 3600_000;

test('replies handed off, discarded and sent, purged a day later: their failed markers reloaded bring nothing back', async () => {
  const { sandbox, context } = env;
  const HANDED = 'Anna, I sent the label through Messenger myself.';
  const DISCARDED = 'Anna, ignore this draft please.';
  const SENT = 'Anna, your parcel left the depot.';
  const FRESH = 'Anna, one more thing: the driver calls ahead.';
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const page = await openTicket(context, sandbox, '101');
  await failReplies(env, page, [HANDED, DISCARDED, SENT]);
  const idOf = async (text: string) => (await recordOf(env, text))?.id ?? '';
  expect(await askWorker(env.ext, { type: 'hand-off', id: await idOf(HANDED) })).toMatchObject({ ok: true });
  expect(await askWorker(env.ext, { type: 'discard-reply', id: await idOf(DISCARDED) })).toEqual({ ok: true });
  await setMode(sandbox, { mode: 'healthy' });
  await retryButton(page, SENT).click();
  await expect.poll(async () => (await recordOf(env, SENT))?.state).toBe('sent');

  // Two days on (the worker's clock only): retention deletes all three, leaving tombstones.
  await advanceWorkerClock(env.ext, 2 * DAY);
  expect(await runRetention(env.ext)).toMatchObject({ purged: 3 });
  expect(await readQueue(env.ext)).toEqual([]);

  // The helpdesk still shows the three failed markers; the agent reloads the ticket and writes anew.
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  await page.reload();
  await expect(outboundMessage(page, HANDED).first()).toHaveAttribute('data-delivery-status', 'failed');
  // A fresh failure after the old markers: once it is kept, the old ones have been reported too.
  await failReplies(env, page, [FRESH]);
  await expect(banner(page).locator('li')).toHaveText([new RegExp(FRESH)]);
  expect((await readQueue(env.ext)).map((r) => [r.text, r.state])).toEqual([[FRESH, 'queued']]);
  // Nothing handed off or discarded ever went out; the sent one went out once.
  const log = await sentLog(sandbox);
  expect(log.map((m) => m.text)).toEqual([SENT]);
});

test('a retry the helpdesk is slow to confirm: Not confirmed, never retried by itself, resolved by the agent', async () => {
  const { sandbox, context } = env;
  // Sandbox-build-only: the retry waits 2 s for the helpdesk's verdict (production: 45 s).
  await setLocal(env.ext, { 'sandbox:confirmWaitMs': 2000 });
  const ARRIVED = 'Jonas, die Gutschrift ist gebucht.';
  const LOST = 'Jonas, der Kurier kommt morgen.';
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const page = await openTicket(context, sandbox, '105');
  await failReplies(env, page, [ARRIVED, LOST]);

  // Meta is back, but the helpdesk shows its verdict only 8 s after Meta's answer.
  await setMode(sandbox, { mode: 'healthy', confirmDelayMs: 8000 });
  await retryButton(page, ARRIVED).click();
  await expect(banner(page).locator('li[data-state="unconfirmed"]', { hasText: ARRIVED })).toBeVisible({ timeout: 20_000 });
  await expect(banner(page).locator('.sg-notice')).toHaveText(UNCONFIRMED_NOTICE);
  // Neither "Retry all" in the banner, nor the popup's Retry, nor a plain claim takes it.
  expect(await askWorker(env.ext, { type: 'retry-replies', ids: [(await recordOf(env, ARRIVED))?.id] })).toEqual({
    ok: false,
    opened: false,
  });
  await expect(banner(page).getByRole('button', { name: 'Retry all' })).toHaveCount(0);
  // The helpdesk confirms it late: the agent sees it delivered in the conversation and says so.
  await expect(outboundMessage(page, ARRIVED).last()).toHaveAttribute('data-delivery-status', 'delivered', { timeout: 20_000 });
  await markSentButton(page, ARRIVED).click();
  await expect.poll(async () => (await recordOf(env, ARRIVED))?.state).toBe('sent');
  expect((await recordOf(env, ARRIVED))?.attempts.map((a) => a.outcome)).toEqual(['failed', 'unconfirmed', 'marked_sent']);

  // The other one's slow verdict is a failure: the agent sees "Not delivered" and sends it again.
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2', confirmDelayMs: 8000 });
  await retryButton(page, LOST).click();
  await expect(banner(page).locator('li[data-state="unconfirmed"]', { hasText: LOST })).toBeVisible({ timeout: 20_000 });
  await expect(outboundMessage(page, LOST).last()).toHaveAttribute('data-delivery-status', 'failed', { timeout: 20_000 });
  await setMode(sandbox, { mode: 'healthy', confirmDelayMs: 0 });
  await sendAgainButton(page, LOST).click();
  await expect.poll(async () => (await recordOf(env, LOST))?.state, { timeout: 30_000 }).toBe('sent');
  await expectEachSentOnce(env, [ARRIVED, LOST]);
});

test('storage errors: a full disk and a closed connection lose nothing; when nothing can store it, the tab says NOT kept', async () => {
  const { sandbox, context } = env;
  const QUOTA = 'Ben, the invoice is attached (quota).';
  const CLOSED = 'Ben, the refund is booked (closed connection).';
  const NOWHERE = 'Ben, please keep the old pair (nowhere to store).';
  await setMode(sandbox, { mode: 'outage', outageKind: 'code1200' });
  const page = await openTicket(context, sandbox, '102');

  // IndexedDB refuses (quota): kept in storage.local, shown at once, moved into the queue after.
  await setLocal(env.ext, { 'sandbox:queueFaults': { quota: 1 } });
  await typeAndSend(page, QUOTA);
  await expect(banner(page).locator('li', { hasText: QUOTA })).toBeVisible();
  await expect.poll(async () => (await recordOf(env, QUOTA))?.state).toBe('queued');
  expect(await readLocal(env.ext, 'queueFallback')).toEqual([]);

  // The queue's connection is closed under the worker: reopened, the reply stored.
  await setLocal(env.ext, { 'sandbox:queueFaults': { closed: 1 } });
  await failReplies(env, page, [CLOSED]);

  // IndexedDB and storage.local both refuse (the first store and the tab's two quick tries): the
  // banner says so plainly, with the text to copy.
  await setLocal(env.ext, { 'sandbox:queueFaults': { quota: 3, fallback: 3 } });
  await typeAndSend(page, NOWHERE);
  const notKept = banner(page).locator('li.sg-not-kept');
  await expect(notKept).toContainText('NOT kept — copy your text');
  await expect(notKept.locator('blockquote')).toHaveText(NOWHERE);
  await expect(notKept.getByRole('button', { name: 'Copy' })).toBeVisible();
  expect(await recordOf(env, NOWHERE)).toBeUndefined();
  // The tab tries again (15 s later): storage works now, so it is kept and the warning goes.
  await expect(banner(page).locator('li[data-reply-id]', { hasText: NOWHERE })).toBeVisible({ timeout: 30_000 });
  await expect(notKept).toHaveCount(0);

  await setMode(sandbox, { mode: 'healthy' });
  for (const text of [QUOTA, CLOSED, NOWHERE]) {
    await retryButton(page, text).click();
    await expect.poll(async () => (await recordOf(env, text))?.state, { timeout: 30_000 }).toBe('sent');
  }
  await expectEachSentOnce(env, [QUOTA, CLOSED, NOWHERE]);
});

// ---- The fault run ----
// FAULT_SEED=<n> replays a run (the seed is printed first); FAULT_VERBOSE=1 prints each round;
// FAULT_SENDS=<n> shortens it while debugging (the issue asks for at least 300).

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed with FAULT_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What is still moving in a ticket tab: replies pending in any mounted log, retries running in any ticket's banner. */
async function tabActivity(page: Page): Promise<{ pending: number; busy: number }> {
  if (page.isClosed()) return { pending: 0, busy: 0 };
  return page
    .evaluate(() => {
      const busy = [...document.querySelectorAll('send-guard-banner')].reduce(
        (n, host) => n + (host.shadowRoot?.querySelectorAll('button[disabled]').length ?? 0),
        0,
      );
      return { pending: document.querySelectorAll('[type="agent"][data-delivery-status="pending"]').length, busy };
    })
    .catch(() => ({ pending: 0, busy: 0 }));
}

/**
 * Presses Retry like an agent in the banner they see (real, trusted clicks: the banner ignores
 * script-made ones): "Retry all" when it offers it, else every reply's own Retry (or the first
 * `max`), one after another.
 */
async function clickRetries(page: Page, how: 'all' | 'each', max = 1000): Promise<void> {
  if (page.isClosed()) return;
  const visible = banner(page);
  const all = visible.getByRole('button', { name: 'Retry all', exact: true });
  if (how === 'all' && (await all.count().catch(() => 0)) > 0) {
    await all.click({ timeout: 2000 }).catch(() => undefined);
    return;
  }
  const retry = visible.getByRole('button', { name: 'Retry', exact: true });
  // Each press turns that reply's button into "Retrying…": the next enabled one is first again.
  for (let presses = 0; presses < Math.min(max, 20); presses++) {
    if ((await retry.count().catch(() => 0)) === 0) return;
    const pressed = await retry
      .first()
      .click({ timeout: 1500 })
      .then(() => true)
      .catch(() => false);
    if (!pressed) return;
  }
}

/**
 * The agent's answer to each "Not confirmed" reply, after looking at the conversation: a copy shows
 * delivered → "It's in the conversation — mark sent"; a copy still sending → wait; else "Send again".
 * Pressed with real clicks. Returns how many it answered each way.
 */
async function resolveUnconfirmed(page: Page): Promise<{ markedSent: number; sentAgain: number }> {
  const done = { markedSent: 0, sentAgain: 0 };
  if (page.isClosed()) return done;
  const items = banner(page).locator('li[data-state="unconfirmed"]');
  for (let i = (await items.count().catch(() => 0)) - 1; i >= 0; i--) {
    const item = items.nth(i);
    const text =
      (await item
        .locator('blockquote')
        .textContent()
        .catch(() => null)) ?? '';
    // What the conversation shows for this text, in the ticket the agent is looking at.
    const statuses = await activeWorkspace(page)
      .locator('[data-test-id="omni-log-item-message"][type="agent"]')
      .filter({ has: page.locator('[data-test-id="omni-log-message-content"]', { hasText: text }) })
      .evaluateAll((copies) => copies.map((c) => c.getAttribute('data-delivery-status')))
      .catch(() => [] as (string | null)[]);
    const buttons = item.locator('button:not([disabled])');
    if (statuses.includes('delivered')) {
      if (
        await buttons
          .first()
          .click({ timeout: 1500 })
          .then(
            () => true,
            () => false,
          )
      )
        done.markedSent += 1;
    } else if (!statuses.includes('pending')) {
      if (
        await buttons
          .nth(1)
          .click({ timeout: 1500 })
          .then(
            () => true,
            () => false,
          )
      )
        done.sentAgain += 1;
    }
  }
  return done;
}

/**
 * Types and sends a batch in the ticket the agent is looking at, as the helpdesk's composer sees it
 * (one input event each, then Send), without a protocol round trip per key: the fault run's replies are many.
 */
async function sendBatch(page: Page, texts: readonly string[]): Promise<void> {
  await page.evaluate(async (batch) => {
    const workspace = [...document.querySelectorAll('[data-side-conversations-anchor-id]')].find((w) => w.checkVisibility());
    for (const text of batch) {
      const composer = workspace?.querySelector<HTMLElement>('[data-test-id="omnicomposer-rich-text"]');
      const send = workspace?.querySelector<HTMLElement>('[data-test-id="omnichannel-send-button"]');
      if (!composer || !send) throw new Error('no composer on this ticket page');
      composer.focus();
      document.execCommand('insertText', false, text);
      send.click();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }, texts);
}

/** Waits until every text of the batch shows failed in the log (one check in the page, not one per text). */
async function batchFailed(page: Page, texts: readonly string[]): Promise<void> {
  await page.waitForFunction(
    (batch) => {
      const failed = new Set(
        [...document.querySelectorAll('[data-test-id="omni-log-item-message"][type="agent"][data-delivery-status="failed"]')].map(
          (item) => item.querySelector('[data-test-id="omni-log-message-content"]')?.textContent,
        ),
      );
      return batch.every((text) => failed.has(text));
    },
    texts,
    { timeout: 20_000 },
  );
}

/** The whole batch fails (the Send API is down) and every reply of it is kept. */
async function failBatch(env: Env, page: Page, texts: readonly string[]): Promise<void> {
  await sendBatch(page, texts);
  await batchFailed(page, texts);
  await expect
    .poll(async () => (await readQueue(env.ext)).filter((r) => texts.includes(r.text)).length, { intervals: [100], timeout: 20_000 })
    .toBe(texts.length);
}

/** Every record's id and state, as one string computed in the extension page (the queue stays there). */
async function queueSignature(ext: Page): Promise<string> {
  return ext.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('send-guard');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const all = await new Promise<{ id: string; state: string }[]>((resolve, reject) => {
        const request = db.transaction('replies').objectStore('replies').getAll();
        request.onsuccess = () => resolve(request.result as never);
        request.onerror = () => reject(request.error);
      });
      return all.map((r) => `${r.id}:${r.state}`).join(',');
    } finally {
      db.close();
    }
  });
}

const FAULT_KINDS = [
  'worker_stop',
  'worker_stop_on_failure',
  'tab_close',
  'relaunch',
  'concurrent',
  'late_delivery',
  'mode_flip',
  'ticket_switch',
  'purge',
  'slow_confirm',
  'storage',
] as const;
type FaultKind = (typeof FAULT_KINDS)[number];
const FAULT_TARGET_SENDS = 300;
const MAX_RELAUNCHES = 3;

test('fault run: 300+ failed sends through random faults, none lost, none delivered twice, none resurrected', async () => {
  test.setTimeout(600_000);
  const started = Date.now();
  const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : 20231116;
  console.log('fault-run seed', seed);
  const random = prng(seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const shuffled = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  const deck: FaultKind[] = [];
  const { sandbox } = env;
  await setLocal(env.ext, { 'sandbox:leaseMs': TEST_LEASE_MS });

  // Messenger 101, 102, 105 (German page) and Instagram 103: one reused tab each (a tab may show
  // another ticket after an in-app switch: it is switched back when the agent works on its own ticket).
  const TICKETS = ['101', '102', '103', '105'];
  /** Each ticket's customer (sandbox/tickets.ts): the only recipient its replies may ever reach. */
  const RECIPIENT: Record<string, string> = {
    '101': '6723451234567890',
    '102': '6723459876543210',
    '103': '17849999000000003',
    '105': '6723450000000005',
  };
  const tabs = new Map<string, Page>();
  const tabFor = async (ticket: string): Promise<Page> => {
    const open = tabs.get(ticket);
    if (open && !open.isClosed()) {
      await open.bringToFront(); // The agent works in the tab in front (background tabs are throttled).
      if (!new URL(open.url()).pathname.endsWith(`/tickets/${ticket}`)) await switchTicket(open, ticket);
      return open;
    }
    const page = await openTicket(env.context, sandbox, ticket);
    tabs.set(ticket, page);
    return page;
  };
  const extraTabs: Page[] = [];

  /** Waits until nothing moves: no reply pending, no retry running, queue and log unchanged for a while. */
  const settle = async (maxMs = 20_000) => {
    const deadline = Date.now() + maxMs;
    let last = '';
    let stableSince = Date.now();
    while (Date.now() < deadline) {
      const pages = [...tabs.values(), ...extraTabs].filter((p) => !p.isClosed());
      const activity = await Promise.all(pages.map(tabActivity));
      const moving = activity.reduce((n, a) => n + a.pending + a.busy, 0);
      const [queue, log] = await Promise.all([queueSignature(env.ext), sentLog(sandbox)]);
      const snapshot = `${queue}|${log.length}|${moving}`;
      if (snapshot !== last) {
        last = snapshot;
        stableSince = Date.now();
      } else if (moving === 0 && Date.now() - stableSince >= 700) return;
      await sleep(200);
    }
    if (process.env.FAULT_VERBOSE)
      console.log(
        `  settle gave up: ${last.split('|').slice(1).join(' sent, moving ')}`,
        JSON.stringify(await Promise.all([...tabs.values(), ...extraTabs].filter((p) => !p.isClosed()).map(tabActivity))),
      );
  };

  const typed: string[] = [];
  const endedOnPurpose = new Set<string>();
  const endedAll = new Set<string>();
  const notKeptShown = new Set<string>();
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const storageFaults = { quota: 0, closed: 0, nowhere: 0 };
  let failedSends = 0;
  let relaunches = 0;
  let purged = 0;
  let round = 0;
  let answers = { markedSent: 0, sentAgain: 0 };
  /** Every reply that reached an end so far (a purge may delete its record later). */
  const noteEnded = async () => {
    for (const r of await readQueue(env.ext)) if (['sent', 'handed_off', 'discarded'].includes(r.state)) endedAll.add(r.text);
  };
  while (failedSends < Number(process.env.FAULT_SENDS ?? FAULT_TARGET_SENDS)) {
    round += 1;
    const ticket = pick(TICKETS);
    const page = await tabFor(ticket);
    const texts = Array.from({ length: between(12, 18) }, (_, i) => `Fault run ${seed}, round ${round}, ticket ${ticket}, reply ${i + 1}.`);
    // Dealt from a shuffled deck: every kind of fault in every block of ten rounds.
    if (deck.length === 0) deck.push(...shuffled(FAULT_KINDS));
    let kind: FaultKind = deck.pop() ?? 'mode_flip';
    if (kind === 'relaunch' && relaunches >= MAX_RELAUNCHES) kind = 'mode_flip';
    faults[kind] += 1;

    const roundFrom = Date.now();
    await setMode(sandbox, { mode: 'outage', outageKind: pick(['rotate', 'code2', 'code1200', 'http500'] as const) });
    const elsewhere = pick(TICKETS.filter((t) => t !== ticket));
    if (kind === 'worker_stop_on_failure') {
      // The worker dies while the failures are being reported and stored.
      await sendBatch(page, texts);
      await sleep(between(150, 400));
      await env.worker.stop();
      await batchFailed(page, texts);
      await settle();
    } else if (kind === 'ticket_switch') {
      // Mid-send: the agent presses Send and moves to another ticket inside the app before the
      // failures come back; they land in a hidden workspace and must be kept under their own ticket.
      for (const text of texts) await typeAndSend(page, text);
      await switchTicket(page, elsewhere);
      for (const text of texts) await expect(outboundMessage(page, text).first()).toHaveAttribute('data-delivery-status', 'failed');
      await expect
        .poll(async () => {
          const queue = await readQueue(env.ext);
          return texts.filter((t) => queue.some((r) => r.text === t)).length;
        })
        .toBe(texts.length);
      const filed = (await readQueue(env.ext)).filter((r) => texts.includes(r.text));
      expect(
        filed.filter((r) => r.ticketId !== ticket || r.userId !== RECIPIENT[ticket]).map((r) => `${r.ticketId}: ${r.text}`),
        'kept under another ticket',
      ).toEqual([]);
    } else if (kind === 'storage') {
      // IndexedDB refuses (quota) and its connection is closed under the worker; every other storage
      // round storage.local refuses too ("nowhere": every reply's first store and its tab's two quick
      // tries fail, interleaved).
      const variant = faults.storage % 2 === 1 ? 'quota' : 'nowhere';
      const quota = variant === 'nowhere' ? 3 * texts.length : between(1, 3);
      const closed = between(1, 3);
      storageFaults.quota += variant === 'quota' ? quota : 0;
      storageFaults.closed += closed;
      storageFaults.nowhere += variant === 'nowhere' ? 1 : 0;
      await setLocal(env.ext, {
        'sandbox:queueFaults': variant === 'nowhere' ? { closed, quota, fallback: quota } : { closed, quota },
      });
      await sendBatch(page, texts);
      await batchFailed(page, texts);
      if (variant === 'nowhere') {
        // Never silent: the tab shows the texts it could not keep, then keeps them on its next try.
        const notKept = banner(page).locator('li.sg-not-kept blockquote');
        await expect(notKept.first()).toBeVisible();
        for (const text of await notKept.allTextContents()) notKeptShown.add(text);
        await setLocal(env.ext, { 'sandbox:queueFaults': {} });
        // The agent reloads rather than wait for the tab's next try (15 s; its own test covers it): kept now.
        await page.reload();
      }
      await expect
        .poll(async () => (await readQueue(env.ext)).filter((r) => texts.includes(r.text)).length, { timeout: 45_000 })
        .toBe(texts.length);
      await expect(banner(page).locator('li.sg-not-kept')).toHaveCount(0);
      await setLocal(env.ext, { 'sandbox:queueFaults': {} });
    } else {
      await failBatch(env, page, texts);
    }
    typed.push(...texts);
    failedSends += texts.length;
    const faultFrom = Date.now();

    switch (kind) {
      case 'worker_stop':
      case 'worker_stop_on_failure': {
        await setMode(sandbox, { mode: 'healthy' });
        await clickRetries(page, pick(['all', 'each'] as const));
        await sleep(between(0, 1200));
        await env.worker.stop();
        break;
      }
      case 'tab_close': {
        await setMode(sandbox, { mode: 'healthy' });
        const posted = page.waitForRequest('**/api/sandbox/tickets/*/replies', { timeout: 5000 }).catch(() => null);
        await clickRetries(page, pick(['all', 'each'] as const));
        await posted;
        await sleep(between(0, 250));
        await page.close();
        break;
      }
      case 'relaunch': {
        relaunches += 1;
        await setMode(sandbox, { mode: 'healthy' });
        await clickRetries(page, 'all');
        await sleep(between(0, 800));
        await env.relaunch();
        tabs.clear();
        break;
      }
      case 'concurrent': {
        await setMode(sandbox, { mode: 'healthy' });
        const second = await openTicket(env.context, sandbox, ticket);
        extraTabs.push(second);
        await expect(banner(second).locator('li').first()).toBeVisible();
        await Promise.all([clickRetries(page, pick(['all', 'each'] as const)), clickRetries(second, pick(['all', 'each'] as const))]);
        await settle();
        await second.close();
        break;
      }
      case 'late_delivery': {
        const late = texts.filter(() => random() < 0.5);
        for (const text of late.length ? late : texts.slice(0, 1)) {
          const messageId = await outboundMessage(page, text).first().getAttribute('data-message-id');
          const response = await fetch(`${sandbox.url}/__sandbox/tickets/${ticket}/deliver-late`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ messageId }),
          });
          expect(response.status).toBe(200);
        }
        await setMode(sandbox, { mode: 'healthy' });
        await clickRetries(page, pick(['all', 'each'] as const));
        break;
      }
      case 'ticket_switch': {
        // Mid-retry: back on the ticket, Retry is pressed, and the agent switches away again while
        // the retries run; each either goes to its own customer or is refused and stays kept.
        await setMode(sandbox, { mode: 'healthy' });
        await switchTicket(page, ticket);
        await clickRetries(page, pick(['all', 'each'] as const));
        await sleep(between(0, 400));
        await switchTicket(page, elsewhere);
        break;
      }
      case 'mode_flip': {
        const modes = ['healthy', 'intermittent', 'hang', 'outage'] as const;
        await setMode(sandbox, { mode: pick(modes) });
        await clickRetries(page, pick(['all', 'each'] as const));
        for (let flips = between(1, 3); flips > 0; flips -= 1) {
          await sleep(between(200, 1200));
          await setMode(sandbox, { mode: pick(modes) });
        }
        await setMode(sandbox, { mode: 'healthy' });
        break;
      }
      case 'slow_confirm': {
        // The helpdesk confirms only seconds after Meta answered; the retry stops waiting first, and
        // sometimes the tab goes away meanwhile, so its claim lapses unrenewed.
        await setLocal(env.ext, { 'sandbox:confirmWaitMs': 1000 });
        await setMode(sandbox, { mode: pick(['healthy', 'outage'] as const), confirmDelayMs: between(2000, 4000) });
        await clickRetries(page, 'each', between(1, 3));
        if (random() < 0.5) {
          await sleep(between(300, 1500));
          await page.close();
        }
        await settle();
        await setMode(sandbox, { mode: 'healthy', confirmDelayMs: 0 });
        await setLocal(env.ext, { 'sandbox:confirmWaitMs': 45_000 });
        break;
      }
      case 'storage': {
        await setMode(sandbox, { mode: 'healthy' });
        await clickRetries(page, pick(['all', 'each'] as const));
        break;
      }
      case 'purge': {
        // The agent hands some replies off and discards some; the rest go out. Then the worker's clock
        // crosses the retention horizon, a purge deletes them (tombstones stay), and every open tab
        // reloads its log, whose failed markers are all still there.
        const queue = await readQueue(env.ext);
        for (const text of texts) {
          const id = queue.find((r) => r.text === text)?.id;
          const roll = random();
          if (!id || roll >= 0.5) continue;
          const answer = (await askWorker(env.ext, { type: roll < 0.25 ? 'hand-off' : 'discard-reply', id })) as { ok: boolean };
          if (answer.ok) endedOnPurpose.add(text);
        }
        await setMode(sandbox, { mode: 'healthy' });
        await clickRetries(page, 'each');
        await settle();
        await noteEnded();
        await advanceWorkerClock(env.ext, 2 * DAY);
        purged += (await runRetention(env.ext)).purged;
        // This ticket's tab and one other (a tab's reload reports every failed marker in its log again).
        const others = [...tabs.values()].filter((p) => p !== page && !p.isClosed());
        for (const open of [page, ...(others.length ? [pick(others)] : [])]) if (!open.isClosed()) await open.reload();
        break;
      }
    }
    const settleFrom = Date.now();
    await settle();
    await noteEnded();
    if (process.env.FAULT_VERBOSE)
      console.log(
        `round ${round} ${kind} t${ticket} n=${texts.length} fail=${faultFrom - roundFrom}ms fault=${settleFrom - faultFrom}ms settle=${Date.now() - settleFrom}ms at ${Math.round((Date.now() - started) / 1000)}s`,
      );
    // Safety holds at every step: nothing lost, nothing delivered twice, nothing ended comes back.
    // (A report in flight when the worker stopped is tried again by its tab within about a second.)
    await expect
      .poll(async () => (await judge(env, typed, { onPurpose: endedOnPurpose, all: endedAll })).lost, { timeout: 20_000 })
      .toEqual([]);
    const verdict = await judge(env, typed, { onPurpose: endedOnPurpose, all: endedAll });
    if (verdict.lost.length > 0) {
      // What the queue holds for them, and what was set aside: the diagnosis of a failure.
      const held = (await readQueue(env.ext)).filter((r) => verdict.lost.includes(r.text));
      const setAside = await askWorker(env.ext, { type: 'list-quarantine' });
      console.log('lost, as stored:', JSON.stringify(held), 'quarantine:', JSON.stringify(setAside));
    }
    expect(verdict.lost, `lost after round ${round} (${kind})`).toEqual([]);
    expect(verdict.duplicated, `duplicated after round ${round} (${kind})`).toEqual([]);
    expect(verdict.resurrected, `resurrected after round ${round} (${kind})`).toEqual([]);
  }

  // Wind-down: the provider is healthy; every ticket is reopened; the agent answers each "Not
  // confirmed" reply after looking at the conversation, and retries every other kept reply
  // (after any lease from a stopped worker or a closed tab lapses) until none is left unsent.
  await setMode(sandbox, { mode: 'healthy', confirmDelayMs: 0 });
  for (let pass = 1; pass <= 6; pass += 1) {
    const unsent = (await readQueue(env.ext)).filter((r) => (UNSENT_STATES as readonly string[]).includes(r.state));
    if (unsent.length === 0) break;
    await waitForLeaseToLapse(
      env,
      unsent.map((r) => r.text),
    );
    for (const ticket of new Set(unsent.map((r) => r.ticketId))) {
      const page = await tabFor(ticket);
      await expect(banner(page).locator('li').first()).toBeVisible();
      const answered = await resolveUnconfirmed(page);
      answers = { markedSent: answers.markedSent + answered.markedSent, sentAgain: answers.sentAgain + answered.sentAgain };
      await clickRetries(page, 'each');
    }
    await settle(30_000);
  }
  await noteEnded();

  const verdict = await judge(env, typed, { onPurpose: endedOnPurpose, all: endedAll });
  const log = await sentLog(sandbox);
  const state = (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as { attempts: number };
  const queue = (await readQueue(env.ext)) as StoredWithLease[];
  const retries = queue.flatMap((r) => r.attempts.filter((a) => a.path === 'helpdesk_retry'));
  // Every message the Send API accepted went to the customer of the ticket whose reply it was.
  const wrongTicket = log.filter((m) => RECIPIENT[/ticket (\d+)/.exec(m.text)?.[1] ?? ''] !== m.recipient_id);
  const lostTexts = new Set(verdict.lost);
  const figures = {
    seed,
    rounds: round,
    failedSends,
    retryAttempts: retries.length,
    failedRetries: retries.filter((a) => a.outcome === 'failed').length,
    deliveredLate: retries.filter((a) => a.outcome === 'delivered_late').length,
    unconfirmed: retries.filter((a) => a.outcome === 'unconfirmed').length,
    agentMarkedSent: answers.markedSent,
    agentSentAgain: answers.sentAgain,
    handedOffOrDiscarded: endedOnPurpose.size,
    purges: faults.purge,
    purgedRecords: purged,
    storageFaults,
    notKeptShown: notKeptShown.size,
    graphCalls: state.attempts,
    inSendLog: log.length,
    faults,
    wrongTicket: wrongTicket.length,
    lost: verdict.lost.length,
    duplicated: verdict.duplicated.length,
    resurrected: verdict.resurrected.length,
    silentlyDropped: [...lostTexts].filter((t) => !notKeptShown.has(t)).length,
    mismatched: verdict.mismatched.length,
    stillUnsent: verdict.unsent,
    records: queue.length,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  console.log('fault-run figures', JSON.stringify(figures));
  expect(failedSends).toBeGreaterThanOrEqual(FAULT_TARGET_SENDS);
  expect(
    wrongTicket.map((m) => `${m.recipient_id}: ${m.text}`),
    'sent to another ticket’s customer',
  ).toEqual([]);
  expect(verdict.lost, 'lost replies').toEqual([]);
  expect(verdict.duplicated, 'replies delivered twice').toEqual([]);
  expect(verdict.resurrected, 'replies that came back after they ended').toEqual([]);
  expect(verdict.mismatched, 'queue states that disagree with the Send API log').toEqual([]);
  expect(verdict.unsent, 'replies still unsent after the wind-down').toBe(0);
  // After the wind-down every reply reached the customer exactly once, but the ones the agent handed off or discarded: never.
  for (const text of typed) expect(log.filter((m) => m.text === text).length, text).toBe(endedOnPurpose.has(text) ? 0 : 1);
});
