import { z } from 'zod';
import type { QueueDatabase } from './db';
import type { QueuedReply } from './record';

export const RetentionSettings = z.object({
  /** Replies that reached the customer (sent, handed off) or were discarded. */
  doneMs: z
    .number()
    .int()
    .min(60 * 60_000),
  /** Every reply: Meta lets a human agent answer for 7 days, after which no path delivers it. */
  maxAgeMs: z
    .number()
    .int()
    .min(60 * 60_000),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const DEFAULT_RETENTION: RetentionSettings = { doneMs: 24 * 60 * 60_000, maxAgeMs: 7 * 24 * 60 * 60_000 };

const DONE: ReadonlySet<QueuedReply['state']> = new Set(['sent', 'handed_off', 'discarded']);

/** When a record will be purged, by the retention rules. Pure. */
export function purgeAt(record: Pick<QueuedReply, 'state' | 'createdAt' | 'updatedAt'>, settings: RetentionSettings): number {
  const byAge = record.createdAt + settings.maxAgeMs;
  // A reply still being sent is never cut off mid-send by the "done" rule.
  return DONE.has(record.state) ? Math.min(byAge, record.updatedAt + settings.doneMs) : byAge;
}

/** Records the next purge (at `horizon`) would delete: what the popup offers to export first. */
export function duePurge(records: readonly QueuedReply[], horizon: number, settings: RetentionSettings): QueuedReply[] {
  return records.filter((record) => purgeAt(record, settings) <= horizon && record.state !== 'sending');
}

/** Deletes what retention says is due, in one transaction; returns how many went. */
export async function purgeExpired(db: QueueDatabase, now: number, settings: RetentionSettings): Promise<number> {
  const tx = db.transaction('replies', 'readwrite');
  let purged = 0;
  // Oldest first by last change: anything updated within the shorter period is kept anyway.
  let cursor = await tx.store.index('by-updated').openCursor(IDBKeyRange.upperBound(now - Math.min(settings.doneMs, settings.maxAgeMs)));
  while (cursor) {
    const record = cursor.value;
    if (record.state !== 'sending' && purgeAt(record, settings) <= now) {
      await cursor.delete();
      purged += 1;
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return purged;
}
