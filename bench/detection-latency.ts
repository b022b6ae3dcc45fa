// Detection latency, measured (not a test): from a failure marker appearing in the helpdesk DOM to
// (a) the reply's record in the extension's IndexedDB and (b) the banner showing the new count.
//
//   SEND_GUARD_OUT_DIR=.output-a npx wxt build --mode sandbox
//   SEND_GUARD_OUT_DIR=.output-a npx tsx bench/detection-latency.ts [--failures 72]
//
// Failed replies are injected into sandbox ticket pages (101, 102, 105 round robin, default /
// icon-only / text-only markup in turn), one at a time, front tab, like an agent's own tab.
// All timestamps are Date.now() on one machine: the page's, and the service worker's.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, Worker } from '@playwright/test';
import { startSandbox } from '../sandbox/server';
import { EXTENSION_DIR, launchWithExtension } from '../scripts/launch';

const arg = process.argv.indexOf('--failures');
const FAILURES = arg > 0 ? Number(process.argv[arg + 1]) : 72;
const TICKETS = ['101', '102', '105'] as const;
const MARKERS = ['default', 'icon', 'text'] as const;
type Marker = (typeof MARKERS)[number];
const POLL_MS = 2; // the service worker's IndexedDB poll: the resolution of "committed"
const WAIT_LIMIT_MS = 10_000;
const OUT = path.resolve(import.meta.dirname, 'results-detection.json');

interface Sample {
  ticket: string;
  marker: Marker;
  messageId: string;
  insertedAt: number;
  receivedMs: number | null;
  committedMs: number | null;
  bannerMs: number | null;
}

/** tsx compiles with keepNames, wrapping named inner functions in `__name(…)`: give evaluated code that helper. */
async function shimKeepNames(target: { evaluate(script: string): Promise<unknown> }): Promise<void> {
  await target.evaluate('globalThis.__name = (fn) => fn');
}

/** Page side: timestamps every change of the banner's kept count, inside its open shadow root. */
async function installPageProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe = { inserted: {} as Record<string, number>, counts: [] as { at: number; count: number }[] };
    (window as unknown as { __bench: typeof probe }).__bench = probe;
    const watched = new WeakSet<ShadowRoot>();
    const options = { subtree: true, childList: true, characterData: true };
    let last = -1;
    const observer = new MutationObserver(() => check());
    function check() {
      const root = document.querySelector('send-guard-banner')?.shadowRoot;
      if (root && !watched.has(root)) {
        watched.add(root);
        observer.observe(root, options);
      }
      const kept = root?.querySelector('[data-testid="send-guard-kept"]')?.textContent ?? '';
      const count = Number(/^\d+/.exec(kept)?.[0] ?? 0);
      if (count !== last) {
        last = count;
        probe.counts.push({ at: Date.now(), count });
      }
    }
    observer.observe(document, options);
    check();
  });
}

/** Page side: appends one failed outbound reply in the chosen markup; returns Date.now() right after. */
function injectFailure(page: Page, input: { id: string; text: string; marker: Marker; german: boolean }): Promise<number> {
  return page.evaluate(({ id, text, marker, german }) => {
    const el = (tag: string, attrs: Record<string, string>, children: (Node | string)[] = []) => {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
      node.append(...children);
      return node;
    };
    const label = german ? 'Nicht zugestellt' : 'Not delivered';
    const detail = german
      ? 'Fehlercode 2: (#2) Dienst vorübergehend nicht verfügbar'
      : 'Error code 2: (#2) Service temporarily unavailable';
    const icon = german ? 'Nachricht konnte nicht gesendet werden' : 'Message failed to send';
    // The three markups of sandbox/public/app.js: attributes + icon + label, icon only, text only.
    const status =
      marker === 'default'
        ? el('div', { 'data-test-id': 'omni-log-message-status', 'data-status': 'failed', class: 'msg-status' }, [
            el('span', { role: 'img', 'aria-label': icon, 'data-test-id': 'omni-log-message-failed-icon', class: 'icon icon--failed' }, [
              '!',
            ]),
            el('span', { 'data-test-id': 'omni-log-message-failed-label' }, [label]),
            el('span', { 'data-test-id': 'omni-log-message-error' }, [detail]),
          ])
        : marker === 'icon'
          ? el('div', { class: 'msg-status' }, [el('span', { role: 'img', 'aria-label': icon, class: 'icon' }, ['!'])])
          : el('div', { class: 'msg-status' }, [el('span', {}, [label]), ' ', el('span', {}, [detail])]);
    const attrs: Record<string, string> = {
      'data-test-id': 'omni-log-item-message',
      type: 'agent',
      'data-message-id': id,
      class: 'log-item',
    };
    if (marker === 'default') attrs['data-delivery-status'] = 'failed';
    const article = el('article', attrs, [
      el('div', { class: 'log-item__head' }, [
        el('span', { 'data-test-id': 'omni-log-item-sender' }, ['Sam Rivera']),
        el('time', { datetime: new Date().toISOString() }, ['now']),
      ]),
      el('div', { 'data-test-id': 'omni-log-message-content' }, [text]),
      status,
    ]);
    document.querySelector('[data-test-id="omni-log-container"]')?.append(article);
    const at = Date.now();
    (window as unknown as { __bench: { inserted: Record<string, number> } }).__bench.inserted[id] = at;
    return at;
  }, input);
}

/** Service-worker side: polls the queue's message index and notes when each message id first shows up. */
async function installWorkerProbe(worker: Worker): Promise<void> {
  await worker.evaluate((pollMs) => {
    const seen: Record<string, number> = {};
    (globalThis as unknown as { __benchSeen: typeof seen }).__benchSeen = seen;
    let db: IDBDatabase | null = null;
    const poll = () => {
      if (!db) {
        const request = indexedDB.open('send-guard');
        request.onsuccess = () => {
          db = request.result;
          setTimeout(poll, pollMs);
        };
        request.onerror = () => setTimeout(poll, 50);
        return;
      }
      const cursorRequest = db.transaction('replies').objectStore('replies').index('by-message').openKeyCursor();
      cursorRequest.onsuccess = () => {
        const cursor = cursorRequest.result;
        if (cursor) {
          const id = String(cursor.key);
          if (!(id in seen)) seen[id] = Date.now();
          cursor.continue();
        } else setTimeout(poll, pollMs);
      };
      cursorRequest.onerror = () => setTimeout(poll, pollMs);
    };
    poll();
  }, POLL_MS);
}

async function workerState(worker: Worker, id: string): Promise<{ committedAt?: number; createdAt?: number }> {
  return worker.evaluate(async (messageId) => {
    const seen = (globalThis as unknown as { __benchSeen: Record<string, number> }).__benchSeen;
    const committedAt = seen[messageId];
    if (committedAt === undefined) return {};
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('send-guard');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const record = await new Promise<{ createdAt?: number } | undefined>((resolve, reject) => {
        const request = db.transaction('replies').objectStore('replies').index('by-message').get(messageId);
        request.onsuccess = () => resolve(request.result as { createdAt?: number } | undefined);
        request.onerror = () => reject(request.error);
      });
      return { committedAt, ...(record?.createdAt !== undefined ? { createdAt: record.createdAt } : {}) };
    } finally {
      db.close();
    }
  }, id);
}

async function bannerShownAt(page: Page, count: number, after: number): Promise<number | undefined> {
  return page.evaluate(
    ({ count, after }) =>
      (window as unknown as { __bench: { counts: { at: number; count: number }[] } }).__bench.counts.find(
        (c) => c.count >= count && c.at >= after,
      )?.at,
    { count, after },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function summary(values: (number | null)[]) {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const rank = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))] ?? null;
  return {
    n: xs.length,
    missed: values.length - xs.length,
    median: rank(0.5),
    p95: rank(0.95),
    worst: xs.at(-1) ?? null,
    best: xs[0] ?? null,
    mean: xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null,
  };
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: 0 });
  const { context, worker } = await launchWithExtension({ headless: true });
  const samples: Sample[] = [];
  try {
    const pages = new Map<string, Page>();
    for (const ticket of TICKETS) {
      const page = await context.newPage();
      await page.goto(`${sandbox.url}/agent/tickets/${ticket}`);
      await page.locator('[data-test-id="omni-log-container"]').waitFor();
      await shimKeepNames(page);
      await installPageProbe(page);
      pages.set(ticket, page);
    }
    await shimKeepNames(worker);
    await installWorkerProbe(worker);
    const kept = new Map<string, number>(TICKETS.map((t) => [t, 0]));

    // Warm-up (not counted): one failure per tab, so the content scripts know their ticket.
    for (let i = -TICKETS.length; i < FAILURES; i++) {
      const ticket = TICKETS[(i + TICKETS.length) % TICKETS.length] as string;
      const marker = MARKERS[Math.floor((i + TICKETS.length) / TICKETS.length) % MARKERS.length] as Marker;
      const page = pages.get(ticket) as Page;
      await page.bringToFront();
      const messageId = `bench-${ticket}-${i + TICKETS.length}`;
      const text = `Bench reply ${i + TICKETS.length} on ticket ${ticket}: your order ships today.`;
      const insertedAt = await injectFailure(page, { id: messageId, text, marker, german: ticket === '105' });
      const count = (kept.get(ticket) ?? 0) + 1;
      kept.set(ticket, count);

      let state: { committedAt?: number; createdAt?: number } = {};
      let bannerAt: number | undefined;
      const deadline = Date.now() + WAIT_LIMIT_MS;
      while (Date.now() < deadline && (state.committedAt === undefined || bannerAt === undefined)) {
        await sleep(15);
        if (state.committedAt === undefined) state = await workerState(worker, messageId);
        bannerAt ??= await bannerShownAt(page, count, insertedAt);
      }
      if (i >= 0) {
        samples.push({
          ticket,
          marker,
          messageId,
          insertedAt,
          receivedMs: state.createdAt !== undefined ? state.createdAt - insertedAt : null,
          committedMs: state.committedAt !== undefined ? state.committedAt - insertedAt : null,
          bannerMs: bannerAt !== undefined ? bannerAt - insertedAt : null,
        });
      }
      await sleep(50 + Math.floor(Math.random() * 150)); // agents do not fail in lockstep
    }
  } finally {
    await context.close();
    await sandbox.close();
  }

  const result = {
    what: 'Send Guard detection latency: failure marker inserted in the helpdesk DOM -> record in IndexedDB / banner count updated',
    measuredAt: new Date().toISOString(),
    extension: path.relative(process.cwd(), EXTENSION_DIR),
    failures: samples.length,
    method: {
      marker: 'page-side Date.now() right after appending a failed outbound article (round robin: default / icon-only / text-only markup)',
      received: "record.createdAt (the background's Date.now() when it handled the report) minus insertion",
      committed: `first seen by a ${POLL_MS} ms poll of the queue's by-message index in the service worker, minus insertion`,
      banner: "first MutationObserver callback in the page where the banner's open shadow root shows the new kept count, minus insertion",
    },
    toRecordReceivedMs: summary(samples.map((s) => s.receivedMs)),
    toRecordCommittedMs: summary(samples.map((s) => s.committedMs)),
    toBannerMs: summary(samples.map((s) => s.bannerMs)),
    byMarker: Object.fromEntries(
      MARKERS.map((m) => [
        m,
        {
          committed: summary(samples.filter((s) => s.marker === m).map((s) => s.committedMs)),
          banner: summary(samples.filter((s) => s.marker === m).map((s) => s.bannerMs)),
        },
      ]),
    ),
    samples,
  };
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  const line = (name: string, s: ReturnType<typeof summary>) =>
    `${name.padEnd(28)} n=${s.n}${s.missed ? ` (missed ${s.missed})` : ''}  median ${s.median} ms  p95 ${s.p95} ms  worst ${s.worst} ms`;
  console.log(`Detection latency over ${samples.length} failures (${path.relative(process.cwd(), OUT)}):`);
  console.log(line('marker -> record received', result.toRecordReceivedMs));
  console.log(line('marker -> record committed', result.toRecordCommittedMs));
  console.log(line('marker -> banner count', result.toBannerMs));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
