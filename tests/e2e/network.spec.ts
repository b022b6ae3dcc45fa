import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, expect, type Page, test, type Worker } from '@playwright/test';
import { startSandbox } from '../../sandbox/server';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium';
import { launchWithExtension } from '../../scripts/launch';
import { activeWorkspace, type Harness, openTicket, outboundMessage, readQueue, sendReply, setMode, startHarness } from './harness';

// The main-world script (entrypoints/helpdesk-network.content.ts) must leave the page's own
// responses untouched, and what it forwards is untrusted in the isolated world.

const TAG = 'send-guard:network-failure:v1';
const SECRET = 'Hi Anna, your refund of 49.90 EUR was approved today.';

/** Answers served to the page, chosen to hit every path of the wrapper (and the ones it must skip). */
function fixtures(): Record<string, { type: string; body: Buffer }> {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const binary = Buffer.alloc(64 * 1024);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919 + (i >> 8)) & 0xff;
  const graphError = {
    error: {
      message: `(#2) Service temporarily unavailable ${SECRET}`,
      type: 'OAuthException',
      code: 2,
      error_subcode: 99,
      is_transient: true,
      fbtrace_id: 'AbC',
    },
  };
  return {
    'graph-error.json': { type: 'application/json; charset=utf-8', body: json(graphError) },
    'nested.json': {
      type: 'application/json',
      body: json({ message: { text: SECRET, delivery: { provider: { error: { code: 1200, type: 'FacebookApiException' } } } } }),
    },
    'page.html': {
      type: 'text/html; charset=utf-8',
      body: Buffer.from(`<!doctype html><p>"error": {"code": 2, "type": "OAuthException"} ${SECRET}</p>`),
    },
    'binary.bin': { type: 'application/octet-stream', body: binary },
    // Invalid UTF-8 labelled as JSON: the wrapper's decoding must not touch the page's bytes.
    'binary-as-json.json': {
      type: 'application/json',
      body: Buffer.concat([Buffer.from('{"error":{"code":2,"type":"OAuthException"},"x":"'), binary, Buffer.from('"}')]),
    },
    'large.json': {
      type: 'application/json',
      // Over the size cap, and the error past the walk's node bound: skipped on every path.
      body: json({
        items: [...Array.from({ length: 20_000 }, (_, i) => ({ i, text: SECRET })), { error: { code: 2, type: 'OAuthException' } }],
      }),
    },
    'empty.json': { type: 'application/json', body: Buffer.alloc(0) },
  };
}

/** A second origin: CORS answers, sent chunked (no content-length) when asked, like many APIs. */
async function startFixtureServer() {
  const files = fixtures();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = files[url.pathname.slice(1)];
    if (!file) return void res.writeHead(404).end();
    const headers: Record<string, string> = { 'content-type': file.type, 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    const status = url.pathname.startsWith('/graph-error') ? 400 : 200;
    if (url.searchParams.has('chunked')) {
      res.writeHead(status, headers);
      for (let i = 0; i < file.body.length; i += 16 * 1024) res.write(file.body.subarray(i, i + 16 * 1024));
      res.end();
    } else {
      res.writeHead(status, { ...headers, 'content-length': String(file.body.length) });
      res.end(file.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Digest {
  url: string;
  fetchStatus: number;
  fetchType: string | null;
  fetchBytes: string;
  unusedBeforeRead: boolean;
  xhrText: string;
  xhrBytes: string;
  xhrJson: string | null;
}

/** Fetches and XHRs each URL in the page, the way the helpdesk's own code would, and digests what the page got. */
function digestInPage(page: Page, urls: string[]): Promise<Digest[]> {
  return page.evaluate(async (list) => {
    const hex = async (data: BufferSource) =>
      [...new Uint8Array(await crypto.subtle.digest('SHA-256', data))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const xhr = (url: string, responseType: XMLHttpRequestResponseType) =>
      new Promise<XMLHttpRequest>((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open('GET', url);
        request.responseType = responseType;
        request.onload = () => resolve(request);
        request.onerror = () => reject(new Error(`XHR ${url} failed`));
        request.send();
      });
    const out = [];
    for (const url of list) {
      const response = await fetch(url);
      // Let the wrapper's reading of its clone run first: the page's body must still be whole and unread.
      await new Promise((r) => setTimeout(r, 30));
      const unusedBeforeRead = response.bodyUsed === false;
      const fetchBytes = await hex(await response.arrayBuffer());
      const text = await xhr(url, '');
      const bytes = await xhr(url, 'arraybuffer');
      const json = url.includes('.json') || url.includes('/api/') ? await xhr(url, 'json') : null;
      out.push({
        url,
        fetchStatus: response.status,
        fetchType: response.headers.get('content-type'),
        fetchBytes,
        unusedBeforeRead,
        xhrText: await hex(new TextEncoder().encode(text.responseText)),
        xhrBytes: await hex(bytes.response as ArrayBuffer),
        xhrJson: json ? await hex(new TextEncoder().encode(JSON.stringify(json.response))) : null,
      });
    }
    return out;
  }, urls);
}

function isWrapped(page: Page): Promise<{ fetch: boolean; xhr: boolean; socket: boolean }> {
  return page.evaluate(() => {
    const wrapped = (f: unknown) => !/\[native code\]/.test(Function.prototype.toString.call(f));
    return { fetch: wrapped(window.fetch), xhr: wrapped(XMLHttpRequest.prototype.send), socket: wrapped(WebSocket) };
  });
}

test('the page receives byte-identical responses with and without Send Guard', async () => {
  const sandbox = await startSandbox({ port: 0 });
  const fixtureServer = await startFixtureServer();
  const plain = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
  const withExtension = await launchWithExtension({ headless: true });
  try {
    const names = Object.keys(fixtureServer.files);
    const urls = [
      ...names.map((name) => `${fixtureServer.url}/${name}`),
      ...names.map((name) => `${fixtureServer.url}/${name}?chunked`),
      // The sandbox's own answers: a Zendesk-shaped ticket, the log, an HTML 404. (Its Graph errors carry a random fbtrace_id.)
      `${sandbox.url}/api/v2/tickets/101.json`,
      `${sandbox.url}/api/sandbox/tickets/101/messages`,
      `${sandbox.url}/agent/tickets/999`,
    ];

    const plainPage = await (await plain.newContext()).newPage();
    await plainPage.goto(`${sandbox.url}/agent/tickets/101`);
    const extPage = await withExtension.context.newPage();
    await extPage.goto(`${sandbox.url}/agent/tickets/101`);
    // What the main-world script posts, as any page script could see it.
    await extPage.evaluate((tag) => {
      const seen: unknown[] = [];
      (window as unknown as { seenSignals: unknown[] }).seenSignals = seen;
      window.addEventListener('message', (event) => {
        if ((event.data as { tag?: string } | null)?.tag === tag) seen.push(event.data);
      });
    }, TAG);

    // Not a vacuous comparison: the wrapper is in place in one browser and absent in the other.
    expect(await isWrapped(extPage)).toEqual({ fetch: true, xhr: true, socket: true });
    expect(await isWrapped(plainPage)).toEqual({ fetch: false, xhr: false, socket: false });

    const without = await digestInPage(plainPage, urls);
    const withGuard = await digestInPage(extPage, urls);
    expect(withGuard).toEqual(without);
    for (const digest of withGuard) expect(digest.unusedBeforeRead, digest.url).toBe(true);
    // And both are the bytes the server sent.
    for (const [name, file] of Object.entries(fixtureServer.files)) {
      const expected = createHash('sha256').update(file.body).digest('hex');
      for (const digest of withGuard.filter((d) => d.url.split('?')[0]?.endsWith(`/${name}`)))
        expect(digest.fetchBytes, digest.url).toBe(expected);
    }

    // It did look: the Graph errors were seen (fetch and XHR, plain and chunked), and only their codes left.
    await expect
      .poll(async () => extPage.evaluate(() => (window as unknown as { seenSignals: unknown[] }).seenSignals.length))
      .toBeGreaterThan(0);
    const signals = await extPage.evaluate(() => (window as unknown as { seenSignals: Record<string, unknown>[] }).seenSignals);
    for (const signal of signals) {
      expect(Object.keys(signal).sort()).toEqual(expect.arrayContaining(['tag', 'ticket']));
      for (const key of Object.keys(signal)) expect(['tag', 'ticket', 'code', 'subcode', 'type']).toContain(key);
      expect(signal.ticket).toBe('101');
    }
    const kinds = new Set(signals.map((s) => `${s.code}/${s.subcode ?? '-'}/${s.type}`));
    expect([...kinds].sort()).toEqual(['1200/-/FacebookApiException', '2/99/OAuthException'].sort());
    expect(JSON.stringify(signals)).not.toContain('refund');
  } finally {
    await withExtension.context.close();
    await plain.close();
    await fixtureServer.close();
    await sandbox.close();
  }
});

// ---- in outage mode: the network signal reaches the detector, once per send, and forgeries do not ----

interface HealthEvent {
  at: number;
  outcome: string;
  errorClass?: string;
  conversation: string;
}

type StorageArea = { get(key: string): Promise<Record<string, unknown>> };

/** The detector's Messenger events, straight from the service worker's storage (`health:v1`). */
async function messengerEvents(worker: Worker): Promise<HealthEvent[]> {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: StorageArea } } };
    const stored = (await chrome.storage.local.get('health:v1'))['health:v1'] as { messenger?: { events: HealthEvent[] } } | undefined;
    return stored?.messenger?.events ?? [];
  });
}

/** Failure sightings still waiting for their pair from the other source (background/pairing.ts). */
async function openNotes(worker: Worker): Promise<{ conversation: string }[]> {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { session: StorageArea } } };
    return ((await chrome.storage.session.get('failureNotes')).failureNotes ?? []) as { conversation: string }[];
  });
}

function failuresOf(events: HealthEvent[], conversation: string): HealthEvent[] {
  return events.filter((e) => e.outcome === 'failed' && e.conversation === conversation);
}

test('in outage mode, a network failure reaches the detector once per send, and forged messages change nothing', async () => {
  const harness = await startHarness();
  try {
    await outageScenario(harness);
  } finally {
    await harness.close();
  }
});

async function outageScenario({ context, worker, sandbox }: Harness): Promise<void> {
  await setMode(sandbox, { mode: 'outage', outageKind: 'rotate' });
  const conversation101 = `${sandbox.url}/101`;
  const conversation102 = `${sandbox.url}/102`;

  // 1. The network alone: ticket 101's page never hears the status event, so it shows no failure
  // marker; the helpdesk's own re-fetch of the message carries Meta's error, and that is counted.
  // (The app's one live-update stream is cut for this tab only: the other tabs hear theirs.)
  const t101 = await context.newPage();
  await t101.route(`${sandbox.url}/api/sandbox/events`, (route) => route.abort());
  await t101.goto(`${sandbox.url}/agent/tickets/101`);
  await expect(activeWorkspace(t101).locator('[data-test-id="omni-log-container"]')).toBeVisible();
  const reply101 = 'Hi Anna, your refund was approved today.';
  await sendReply(t101, reply101);
  const id101 = await outboundMessage(t101, reply101).getAttribute('data-message-id');
  await expect
    .poll(() =>
      t101.evaluate(
        async (url) => ((await (await fetch(url)).json()) as { delivery: { status: string } }).delivery.status,
        `/api/sandbox/tickets/101/messages/${id101}`,
      ),
    )
    .toBe('failed');
  await expect
    .poll(async () => failuresOf(await messengerEvents(worker), conversation101))
    .toEqual([expect.objectContaining({ errorClass: 'provider_transient', conversation: conversation101 })]);
  await expect(outboundMessage(t101, reply101)).toHaveAttribute('data-delivery-status', 'pending');
  expect((await readQueue(worker)).filter((r) => r.ticketId === '101')).toHaveLength(0);

  // 2. Both signals for one send (ticket 102: marker in the page and the error in the re-fetch): counted once.
  const t102 = await openTicket(context, sandbox, '102');
  const reply102 = 'Hi Ben, the replacement left our warehouse this morning.';
  const refetched = t102.waitForResponse((r) => /\/api\/sandbox\/tickets\/102\/messages\/m-/.test(r.url()));
  await sendReply(t102, reply102);
  await refetched;
  await expect(outboundMessage(t102, reply102)).toHaveAttribute('data-delivery-status', 'failed');
  // Settled = the page's record is kept, one event is counted, and no sighting is left waiting for its pair.
  await expect
    .poll(async () => ({
      kept: (await readQueue(worker)).filter((r) => r.ticketId === '102').length,
      counted: failuresOf(await messengerEvents(worker), conversation102).length,
      waiting: (await openNotes(worker)).filter((n) => n.conversation === conversation102).length,
    }))
    .toEqual({ kept: 1, counted: 1, waiting: 0 });

  // 3. Forgeries: any page script can post the tag. Without a Send on this tab nothing is accepted,
  // and bogus payloads are rejected even right after one.
  const forger = await openTicket(context, sandbox, '102');
  const before = await messengerEvents(worker);
  const forge = (payloads: unknown[]) =>
    forger.evaluate((list) => {
      for (const payload of list) window.postMessage(payload, location.origin);
    }, payloads);
  const bogus = [
    { tag: TAG, ticket: '102', code: 2, type: 'x'.repeat(1_000_000) },
    { tag: TAG, ticket: '102'.repeat(100_000), code: 2 },
    { tag: TAG, ticket: 102, code: '2', subcode: {}, type: 5 },
    { tag: TAG, ticket: '102', code: -1, type: 'OAuthException' },
    { tag: TAG, ticket: '102', code: 2, type: 'OAuthException', message: SECRET },
    { tag: TAG, ticket: '999', code: 2, type: 'OAuthException' },
    { tag: TAG, ticket: '101', code: 2, type: 'OAuthException' },
    'a string',
    null,
    [TAG],
  ];
  await forge([...bogus, ...Array.from({ length: 200 }, () => ({ tag: TAG, ticket: '102', code: 2, type: 'OAuthException' }))]);
  await forger.waitForTimeout(1500);
  expect(await messengerEvents(worker)).toEqual(before);

  // Right after a real Send the tab may count one network failure: bogus payloads must not take it.
  const reply102b = 'Ben, tracking number follows in a minute.';
  await sendReply(forger, reply102b);
  await forge(bogus);
  await expect(outboundMessage(forger, reply102b)).toHaveAttribute('data-delivery-status', 'failed');
  await expect
    .poll(async () => ({
      kept: (await readQueue(worker)).filter((r) => r.ticketId === '102').length,
      counted: failuresOf(await messengerEvents(worker), conversation102).length,
      waiting: (await openNotes(worker)).filter((n) => n.conversation === conversation102).length,
    }))
    .toEqual({ kept: 2, counted: 2, waiting: 0 });
  const after = await messengerEvents(worker);
  expect(after.some((e) => !e.conversation.endsWith('/101') && !e.conversation.endsWith('/102'))).toBe(false);
  expect(failuresOf(after, conversation101)).toHaveLength(1);
}
