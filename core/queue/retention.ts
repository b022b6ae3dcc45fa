import { z } from 'zod';
import type { QuarantinedRecord, QueueDatabase } from './db';
import { QueuedReply, storedKey } from './record';
import { DEFAULT_TOMBSTONE_MS, isFinal, MAX_TOMBSTONES, textHash, tombstoneOf } from './tombstones';
import { isUnsent } from './transitions';

const HOUR_MS = 60 * 60_000;

export const RetentionSettings = z.object({
  /** Replies that reached the customer (sent, handed off) or were discarded. */
  doneMs: z
    .number()
    .int()
    .min(60 * 60_000),
  /**
   * Meta lets a human agent answer for 7 days: a finished reply is deleted after this at the
   * latest, and an unsent one older than this is flagged for the agent (never deleted).
   */
  maxAgeMs: z
    .number()
    .int()
    .min(60 * 60_000),
  /**
   * How long a finished reply's tombstone (no text) is kept: longer than a failed marker stays in
   * the helpdesk's view, or a reload would report it as new. Optional: settings saved before it existed stay valid.
   */
  tombstoneMs: z
    .number()
    .int()
    .min(7 * 24 * HOUR_MS)
    .max(5 * 365 * 24 * HOUR_MS)
    .optional(),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const DEFAULT_RETENTION: RetentionSettings = {
  doneMs: 24 * HOUR_MS,
  maxAgeMs: 7 * 24 * HOUR_MS,
  tombstoneMs: DEFAULT_TOMBSTONE_MS,
};

/** When a record will be purged by the retention rules: never while it is unsent. Pure. */
export function purgeAt(record: Pick<QueuedReply, 'state' | 'createdAt' | 'updatedAt'>, settings: RetentionSettings): number {
  if (!isFinal(record)) return Number.POSITIVE_INFINITY;
  return Math.min(record.createdAt + settings.maxAgeMs, record.updatedAt + settings.doneMs);
}

/** Records the next purge (at `horizon`) would delete: what the popup offers to export first. */
export function duePurge(records: readonly QueuedReply[], horizon: number, settings: RetentionSettings): QueuedReply[] {
  return records.filter((record) => purgeAt(record, settings) <= horizon);
}

/**
 * Unsent replies older than the retention age: kept (only the agent deletes an unsent reply), but
 * flagged, because Meta no longer lets an agent's reply through after that long.
 */
export function staleUnsent(records: readonly QueuedReply[], now: number, settings: RetentionSettings): QueuedReply[] {
  return records.filter((record) => isUnsent(record) && record.createdAt + settings.maxAgeMs <= now);
}

export interface PurgeResult {
  /** Finished replies deleted (each leaves its tombstone). */
  purged: number;
  /** Damaged records met on the way, moved to quarantine. */
  quarantined: number;
  /** Tombstones past their horizon, or the oldest past the cap. */
  tombstonesDropped: number;
}

/**
 * Deletes finished replies retention says are due, leaving a tombstone for each; moves damaged
 * records it meets to quarantine; drops tombstones past their horizon, oldest first past the cap.
 */
export async function purgeExpired(
  db: QueueDatabase,
  now: number,
  settings: RetentionSettings,
  maxTombstones = MAX_TOMBSTONES,
): Promise<PurgeResult> {
  // 1) Read what is due (oldest first by last change: anything updated within the shorter period stays anyway).
  const due: QueuedReply[] = [];
  const damaged: QuarantinedRecord[] = [];
  const damagedKeys: string[] = [];
  let cursor = await db
    .transaction('replies')
    .store.index('by-updated')
    .openCursor(IDBKeyRange.upperBound(now - Math.min(settings.doneMs, settings.maxAgeMs)));
  while (cursor) {
    const parsed = QueuedReply.safeParse(cursor.value);
    if (!parsed.success) {
      const key = storedKey(cursor.value) ?? String(cursor.primaryKey);
      damaged.push({ id: String(key), raw: cursor.value, problem: parsed.error.issues[0]?.message ?? 'invalid record', at: now });
      damagedKeys.push(key);
    } else if (purgeAt(parsed.data, settings) <= now) due.push(parsed.data);
    cursor = await cursor.continue();
  }
  // 2) Hash outside the write transaction (only its own requests may be awaited inside).
  const hashes = await Promise.all(due.map((record) => textHash(record.text)));

  // 3) Write: tombstone, then delete, re-checking each record (it may have changed meanwhile).
  const tx = db.transaction(['replies', 'tombstones', 'quarantine'], 'readwrite');
  const replies = tx.objectStore('replies');
  const tombstones = tx.objectStore('tombstones');
  let purged = 0;
  for (const [i, record] of due.entries()) {
    const current = QueuedReply.safeParse(await replies.get(record.id));
    if (!current.success || current.data.updatedAt !== record.updatedAt || purgeAt(current.data, settings) > now) continue;
    const earlier = await tombstones.get(record.id);
    const tombstone = tombstoneOf(current.data, hashes[i] ?? '');
    await tombstones.put({ ...tombstone, messageIds: [...new Set([...(earlier?.messageIds ?? []), ...tombstone.messageIds])].slice(-200) });
    await replies.delete(record.id);
    purged += 1;
  }
  for (const [i, item] of damaged.entries()) {
    await tx.objectStore('quarantine').put(item);
    await replies.delete(damagedKeys[i] ?? item.id);
  }
  // 4) Tombstones: past the horizon, then the oldest past the cap.
  let tombstonesDropped = 0;
  let old = await tombstones
    .index('by-ended')
    .openCursor(IDBKeyRange.upperBound(now - (settings.tombstoneMs ?? DEFAULT_TOMBSTONE_MS), true));
  while (old) {
    await old.delete();
    tombstonesDropped += 1;
    old = await old.continue();
  }
  let excess = (await tombstones.count()) - maxTombstones;
  let oldest = excess > 0 ? await tombstones.index('by-ended').openCursor() : null;
  while (oldest && excess > 0) {
    await oldest.delete();
    tombstonesDropped += 1;
    excess -= 1;
    oldest = await oldest.continue();
  }
  await tx.done;
  return { purged, quarantined: damaged.length, tombstonesDropped };
}
