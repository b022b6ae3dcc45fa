// Bench-only code, bundled by bench/run.ts with esbuild into the bench's own build folder and
// loaded by an extension page (chrome-extension://<id>/bench/queue.html): it runs in the
// extension's origin, against the same IndexedDB as the real queue, but never ships.
import { Queue } from 'workbox-background-sync/Queue.js';
import { applyEvent, openQueueDB, recordFailure } from '../core/queue/db';
import type { FailedReply } from '../core/queue/record';

// Workbox's Queue reads `self.registration` (a service-worker global); in a page there is none.
// An object without `sync` takes Workbox's own "no Background Sync" path; onSync is a no-op so
// nothing replays while we measure.
(self as unknown as { registration?: object }).registration ??= {};

const ORIGIN = 'http://127.0.0.1:4870';

function reply(i: number, tickets: number): FailedReply {
  return {
    helpdeskOrigin: ORIGIN,
    ticketId: String(1000 + (i % tickets)),
    ticketUrl: `${ORIGIN}/agent/tickets/${1000 + (i % tickets)}`,
    channel: 'messenger',
    customerName: 'Bench Customer',
    pageId: '104857600123456',
    userId: `${7000000000000000 + (i % tickets)}`,
    text: `Bench reply ${i}: thanks for waiting, your order #${100000 + i} ships today and arrives on Monday.`,
    error: { errorClass: 'provider_transient', code: 2, message: 'Service temporarily unavailable' },
    messageId: `bench-msg-${i}`,
    failedAt: 1_700_000_000_000 + i,
  };
}

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve();
  });
}

let sgDb: Awaited<ReturnType<typeof openQueueDB>> | undefined;
const SG_DB = 'send-guard-bench';
const sgIds: string[] = [];

// Send Guard's queue, as the worker uses it: each record in through recordFailure (one
// transaction: dedupe lookups + add), then out through applyEvent claim and applyEvent delivered
// (one compare-and-set transaction each, zod-checked). The database is deleted before the first chunk.
async function sgEnqueue(from: number, n: number) {
  if (!sgDb) {
    await deleteDb(SG_DB);
    sgDb = await openQueueDB(SG_DB);
  }
  const t0 = performance.now();
  for (let i = from; i < from + n; i++) {
    const { record } = await recordFailure(sgDb, reply(i, 200), `bench-${i}`, Date.now());
    if (!record) throw new Error(`bench reply ${i} matched an ended reply`);
    sgIds[i] = record.id;
  }
  return { ms: performance.now() - t0, done: n };
}

async function sgClaimComplete(from: number, n: number) {
  const db = sgDb as NonNullable<typeof sgDb>;
  let done = 0;
  const t0 = performance.now();
  for (let i = from; i < from + n; i++) {
    const id = sgIds[i] as string;
    const claimed = await applyEvent(db, id, { type: 'claim', now: Date.now() });
    const delivered = await applyEvent(db, id, { type: 'delivered', now: Date.now() });
    if (claimed.ok && delivered.ok) done++;
  }
  return { ms: performance.now() - t0, done };
}

let wbQueue: Queue | undefined;

// Workbox Background Sync's Queue: pushRequest in, shiftRequest out (oldest first).
async function wbPush(from: number, n: number) {
  wbQueue ??= new Queue(`bench-${Date.now()}`, { onSync: async () => {} });
  const t0 = performance.now();
  for (let i = from; i < from + n; i++) {
    const r = reply(i, 200);
    await wbQueue.pushRequest({
      request: new Request(`${ORIGIN}/api/sandbox/tickets/${r.ticketId}/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: r.text }),
      }),
      metadata: { messageId: r.messageId ?? '' },
    });
  }
  return { ms: performance.now() - t0, done: n };
}

async function wbShift(_from: number, n: number) {
  const queue = wbQueue as Queue;
  let done = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) if (await queue.shiftRequest()) done++;
  return { ms: performance.now() - t0, done };
}

/** Fills the real queue database (the one the popup lists) with n unsent replies. */
async function fillRealQueue(n: number, origin: string) {
  const db = await openQueueDB();
  const t0 = performance.now();
  // 50 at a time: setup, not a measured figure (each is still its own recordFailure transaction).
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, k) => {
        const { ticketUrl: _unused, ...rest } = reply(i + k, 100);
        return recordFailure(db, { ...rest, helpdeskOrigin: origin }, `popup-${i + k}`, Date.now());
      }),
    );
  }
  db.close();
  return performance.now() - t0;
}

Object.assign(globalThis, { benchQueue: { sgEnqueue, sgClaimComplete, wbPush, wbShift, fillRealQueue } });
