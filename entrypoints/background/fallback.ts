import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { FailedReply, InvalidRecordError, newRecord, type QueueDatabase, type QueuedReply, recordFailure } from '@/core/queue';
import { createSerialQueue } from '@/utils/serial';
import { takeQueueFault } from './sandbox-hooks';

// Where a failed reply waits when IndexedDB cannot store it (quota, a database that will not
// open): storage.local, until the queue works again and takes it in under the same id.

const FallbackEntry = z.object({ id: z.string().min(1).max(200), reply: FailedReply, at: z.number().int().nonnegative() });
type FallbackEntry = z.infer<typeof FallbackEntry>;
/** Enough for a long outage with a broken database; past it the tab says plainly the reply is not kept. */
export const FALLBACK_CAP = 500;

const fallbackItem = storage.defineItem<unknown[]>('local:queueFallback', { fallback: [] });
const serial = createSerialQueue();

async function readAll(): Promise<{ entries: FallbackEntry[]; raw: unknown[] }> {
  const raw = await fallbackItem.getValue();
  const list = Array.isArray(raw) ? raw : [];
  return { entries: list.flatMap((item) => FallbackEntry.safeParse(item).data ?? []), raw: list };
}

/** Keeps one reply in the fallback; throws if even storage.local cannot take it (the tab then says so). */
export function keepInFallback(entry: FallbackEntry): Promise<void> {
  return serial(async () => {
    if (await takeQueueFault('fallback')) throw new Error('injected: storage.local refused the fallback write (sandbox fault)');
    const { raw } = await readAll();
    if (raw.length >= FALLBACK_CAP) throw new Error(`the fallback store is full (${FALLBACK_CAP} replies)`);
    await fallbackItem.setValue([...raw, FallbackEntry.parse(entry)]);
  });
}

/** Replies waiting in the fallback, as queue records (for the banner and the popup), optionally one ticket's. */
export async function fallbackRecords(ticket?: { helpdeskOrigin: string; ticketId: string }): Promise<QueuedReply[]> {
  const { entries } = await readAll();
  return entries
    .filter((e) => !ticket || (e.reply.helpdeskOrigin === ticket.helpdeskOrigin && e.reply.ticketId === ticket.ticketId))
    .map((e) => newRecord(e.reply, e.id, e.at));
}

/**
 * Moves every reply waiting in the fallback into the queue (the same id, so what the tab showed
 * stays valid); entries the queue still cannot take stay. Returns how many moved.
 */
export function drainFallback(use: <T>(job: (db: QueueDatabase) => Promise<T>) => Promise<T>): Promise<number> {
  return serial(async () => {
    const { raw } = await readAll();
    if (raw.length === 0) return 0;
    const left: unknown[] = [];
    let moved = 0;
    for (const item of raw) {
      const parsed = FallbackEntry.safeParse(item);
      if (!parsed.success) {
        left.push(item); // Not readable as a reply: kept as it is, never dropped.
        continue;
      }
      const { id, reply, at } = parsed.data;
      try {
        await use((db) => recordFailure(db, reply, id, at));
        moved += 1;
      } catch (error) {
        if (error instanceof InvalidRecordError) console.warn('[send-guard] a reply in the fallback store does not fit the queue', error);
        left.push(item);
      }
    }
    if (moved > 0) await fallbackItem.setValue(left);
    return moved;
  });
}
