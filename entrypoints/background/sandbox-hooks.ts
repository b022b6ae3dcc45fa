import { browser } from 'wxt/browser';

/**
 * Sandbox builds only (`--mode sandbox`, used by the demo and the e2e tests); production builds
 * drop every branch below at build time (the mode is a constant). Documented in sandbox/README.md.
 *
 * - `sandbox:clockOffsetMs` (storage.local, integer ms, 0 … 400 days): the worker's notion of now
 *   runs this far ahead, so retention and tombstone horizons can be crossed in a test.
 * - `sandbox:queueFaults` (storage.local, `{quota?: n, closed?: n, fallback?: n}`): the next n
 *   stores of a failed reply meet that fault: `quota` a QuotaExceededError from IndexedDB,
 *   `closed` the queue's connection closed under it, `fallback` the storage.local fallback failing too.
 * - The message `{type: 'sandbox:run-retention'}` from an extension page runs the retention purge now.
 */
export const CLOCK_KEY = 'sandbox:clockOffsetMs';
export const FAULTS_KEY = 'sandbox:queueFaults';
const MAX_OFFSET_MS = 400 * 24 * 60 * 60_000;

export type QueueFault = 'quota' | 'closed' | 'fallback';

/** The worker's now: the wall clock, plus the sandbox's offset in sandbox builds. */
export async function workerNow(): Promise<number> {
  const now = Date.now();
  if (import.meta.env.MODE !== 'sandbox') return now;
  const offset = (await browser.storage.local.get(CLOCK_KEY))[CLOCK_KEY];
  return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 && offset <= MAX_OFFSET_MS ? now + offset : now;
}

/** Takes one pending injected fault of this kind, if a test asked for one. */
export async function takeQueueFault(kind: QueueFault): Promise<boolean> {
  if (import.meta.env.MODE !== 'sandbox') return false;
  const faults = (await browser.storage.local.get(FAULTS_KEY))[FAULTS_KEY];
  if (typeof faults !== 'object' || faults === null) return false;
  const left = (faults as Record<string, unknown>)[kind];
  if (typeof left !== 'number' || left < 1) return false;
  await browser.storage.local.set({ [FAULTS_KEY]: { ...faults, [kind]: left - 1 } });
  return true;
}

/** A sandbox-only request from an extension page, or null (never in production builds). */
export function sandboxRequest(raw: unknown): 'run-retention' | null {
  if (import.meta.env.MODE !== 'sandbox') return null;
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return type === 'sandbox:run-retention' ? 'run-retention' : null;
}
