import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB, type StoreNames } from 'idb';
import { normalizeReplyText } from '../../utils/hash';
import { CHANNELS } from '../vocabulary';
import { type FailedReply, QueuedReply, storedKey, type Tombstone } from './record';
import { isFinal, MAX_TOMBSTONES, textHash, tombstoneOf } from './tombstones';
import { idempotencyKey, isLeaseLapsed, isUnsent, newRecord, type ReplyEvent, type TransitionResult, transition } from './transitions';

export const QUEUE_DB_NAME = 'send-guard';
export const QUEUE_DB_VERSION = 4;

/** A stored record that no longer passes the schema: kept and shown, never silently dropped. */
export interface QuarantinedRecord {
  id: string;
  raw: unknown;
  problem: string;
  at: number;
}

export interface QueueDB extends DBSchema {
  replies: {
    key: string;
    value: QueuedReply;
    indexes: {
      'by-key': string;
      'by-message': string;
      'by-ticket': [string, string];
      'by-state': string;
      /** v2: retention walks records oldest first without reading them all. */
      'by-updated': number;
      /** v4: the popup's first screen (the oldest unsent replies) without reading them all. */
      'by-first-failed': number;
      /** v4: unsent replies per channel counted, not read (the status lines, on every detector change). */
      'by-state-channel': [string, string];
    };
  };
  quarantine: {
    key: string;
    value: QuarantinedRecord;
  };
  /** v3: what is left of replies that ended, so their failed markers never count as new again. */
  tombstones: {
    key: string;
    value: Tombstone;
    indexes: {
      'by-key': string;
      'by-message': string;
      'by-ticket': [string, string];
      'by-ended': number;
    };
  };
}

export type QueueDatabase = IDBPDatabase<QueueDB>;

/** What the owner of a connection hears about it (the worker reopens on each). */
export interface ConnectionEvents {
  /** An older connection elsewhere holds the database open: the open waits until it closes. */
  blocked?: () => void;
  /** A newer version wants to upgrade (`versionchange`): close, so it is not blocked by us. */
  blocking?: (db: QueueDatabase) => void;
  /** The browser closed the connection abnormally (storage cleared, disk error). */
  terminated?: () => void;
}

export function openQueueDB(name = QUEUE_DB_NAME, events: ConnectionEvents = {}): Promise<QueueDatabase> {
  let opened: QueueDatabase | undefined;
  const promise = openDB<QueueDB>(name, QUEUE_DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        const replies = db.createObjectStore('replies', { keyPath: 'id' });
        replies.createIndex('by-key', 'idempotencyKey', { unique: true });
        replies.createIndex('by-message', 'messageIds', { multiEntry: true });
        replies.createIndex('by-ticket', ['helpdeskOrigin', 'ticketId']);
        replies.createIndex('by-state', 'state');
        db.createObjectStore('quarantine', { keyPath: 'id' });
      }
      if (oldVersion < 2) {
        tx.objectStore('replies').createIndex('by-updated', 'updatedAt');
      }
      if (oldVersion < 3) {
        // Replies that ended before v3 get their tombstone when retention deletes them (purgeExpired).
        const tombstones = db.createObjectStore('tombstones', { keyPath: 'id' });
        tombstones.createIndex('by-key', 'idempotencyKey');
        tombstones.createIndex('by-message', 'messageIds', { multiEntry: true });
        tombstones.createIndex('by-ticket', ['helpdeskOrigin', 'ticketId']);
        tombstones.createIndex('by-ended', 'endedAt');
      }
      if (oldVersion < 4) {
        tx.objectStore('replies').createIndex('by-first-failed', 'firstFailedAt');
        tx.objectStore('replies').createIndex('by-state-channel', ['state', 'channel']);
      }
    },
    blocked: () => events.blocked?.(),
    blocking: () => {
      if (opened) events.blocking?.(opened);
    },
    terminated: () => events.terminated?.(),
  });
  return promise.then((db) => {
    opened = db;
    return db;
  });
}

export class InvalidRecordError extends Error {}

function checked(record: QueuedReply): QueuedReply {
  const parsed = QueuedReply.safeParse(record);
  if (!parsed.success)
    throw new InvalidRecordError(`refusing to store an invalid reply: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  return parsed.data;
}

export type RecordFailureResult =
  | { record: QueuedReply; created: boolean }
  /** The reply ended long ago (its record is gone): nothing new, and nothing to show. */
  | { record: null; created: false; ended: Tombstone['finalState'] };

type WithTombstones = IDBPTransaction<QueueDB, StoreNames<QueueDB>[], 'readwrite'>;

/** Keeps the tombstone store bounded: past the cap, the oldest tombstones go first. */
async function evictOldestTombstones(tx: WithTombstones, max: number): Promise<number> {
  const store = tx.objectStore('tombstones');
  let excess = (await store.count()) - max;
  let evicted = 0;
  let cursor = excess > 0 ? await store.index('by-ended').openCursor() : null;
  while (cursor && excess > 0) {
    await cursor.delete();
    excess -= 1;
    evicted += 1;
    cursor = await cursor.continue();
  }
  return evicted;
}

async function putTombstone(tx: WithTombstones, tombstone: Tombstone): Promise<void> {
  const store = tx.objectStore('tombstones');
  const earlier = await store.get(tombstone.id);
  // An earlier tombstone of the same reply (discarded, restored, ended again) keeps its message ids.
  const messageIds = [...new Set([...(earlier?.messageIds ?? []), ...tombstone.messageIds])].slice(-200);
  await store.put({ ...tombstone, messageIds });
  await evictOldestTombstones(tx, MAX_TOMBSTONES);
}

/**
 * Stores a failed reply once. The same failure seen again (a re-render, a second tab, a
 * retry's own failed message) returns the existing record instead of making a second one; a
 * failure of a reply that ended long ago (its tombstone) is never a new unsent reply.
 */
export async function recordFailure(db: QueueDatabase, reply: FailedReply, id: string, now: number): Promise<RecordFailureResult> {
  const fresh = checked(newRecord(reply, id, now));
  const hash = await textHash(reply.text); // Before the transaction: only its own requests may be awaited inside.
  const tx = db.transaction(['replies', 'tombstones'], 'readwrite');
  const replies = tx.objectStore('replies');
  const tombstones = tx.objectStore('tombstones');
  const key = idempotencyKey(reply);
  const byMessage = reply.messageId ? await replies.index('by-message').get(reply.messageId) : undefined;
  const existing = byMessage ?? (await replies.index('by-key').get(key));
  if (existing) {
    await tx.done;
    return { record: existing, created: false };
  }
  const ended =
    (reply.messageId ? await tombstones.index('by-message').get(reply.messageId) : undefined) ??
    (await tombstones.index('by-key').get(key));
  if (ended) {
    await tx.done;
    return { record: null, created: false, ended: ended.finalState };
  }
  // A later copy of a reply still kept (a retry's own failed message, even one whose claim has
  // lapsed): attach it to that reply instead of making a second record that could be sent again.
  const text = normalizeReplyText(reply.text);
  const sameText = (await replies.index('by-ticket').getAll([reply.helpdeskOrigin, reply.ticketId])).filter(
    (r) => normalizeReplyText(r.text) === text,
  );
  const retrying = sameText.find((r) => r.state === 'sending') ?? sameText.find(isUnsent);
  if (retrying) {
    const messageIds = reply.messageId ? [...retrying.messageIds, reply.messageId] : retrying.messageIds;
    const updated = checked({ ...retrying, messageIds, updatedAt: now });
    await replies.put(updated);
    await tx.done;
    return { record: updated, created: false };
  }
  // A copy written before a reply with this text ended (a retry's copy reported late, by a tab
  // that opened later) belongs to that reply; the same text written after it ended is new.
  const endedRecord = sameText.find((r) => isFinal(r) && r.updatedAt >= reply.failedAt);
  if (endedRecord) {
    const messageIds =
      reply.messageId && endedRecord.messageIds.length < 100 ? [...endedRecord.messageIds, reply.messageId] : endedRecord.messageIds;
    // Its end time (updatedAt) stays: retention counts from when it ended.
    const updated = checked({ ...endedRecord, messageIds });
    await replies.put(updated);
    await tx.done;
    return { record: updated, created: false };
  }
  const endedCopy = (await tombstones.index('by-ticket').getAll([reply.helpdeskOrigin, reply.ticketId])).find(
    (t) => t.textHash === hash && t.endedAt >= reply.failedAt,
  );
  if (endedCopy) {
    if (reply.messageId && endedCopy.messageIds.length < 200) {
      await tombstones.put({ ...endedCopy, messageIds: [...endedCopy.messageIds, reply.messageId] });
    }
    await tx.done;
    return { record: null, created: false, ended: endedCopy.finalState };
  }
  await replies.add(fresh);
  await tx.done;
  return { record: fresh, created: true };
}

/**
 * Whether a failure is known already (kept, or ended with a tombstone), by the helpdesk's message id
 * or the reply's idempotency key: reporting it again makes nothing new.
 */
export async function isKnownFailure(db: QueueDatabase, reply: FailedReply): Promise<boolean> {
  const tx = db.transaction(['replies', 'tombstones'], 'readonly');
  const key = idempotencyKey(reply);
  const replies = tx.objectStore('replies');
  const tombstones = tx.objectStore('tombstones');
  const known =
    (reply.messageId !== undefined &&
      ((await replies.index('by-message').getKey(reply.messageId)) !== undefined ||
        (await tombstones.index('by-message').getKey(reply.messageId)) !== undefined)) ||
    (await replies.index('by-key').getKey(key)) !== undefined ||
    (await tombstones.index('by-key').getKey(key)) !== undefined;
  await tx.done;
  return known;
}

const ENDING_EVENTS: ReadonlySet<ReplyEvent['type']> = new Set(['delivered', 'hand_off', 'discard', 'mark_sent']);

/**
 * Compare-and-set: reads, checks the transition and writes inside one transaction. A reply that
 * ends leaves its tombstone in the same transaction; one restored from the bin takes it back. With
 * `helpdeskOrigin`, only a record of that helpdesk is touched (a tab acts on its own replies only).
 */
export async function applyEvent(db: QueueDatabase, id: string, event: ReplyEvent, helpdeskOrigin?: string): Promise<TransitionResult> {
  // The text never changes, so its hash can be taken before the transaction (where nothing else may be awaited).
  const before = ENDING_EVENTS.has(event.type) ? await db.get('replies', id) : undefined;
  const hash = before ? await textHash(before.text) : undefined;
  const tx = db.transaction(['replies', 'tombstones'], 'readwrite');
  const current = await tx.objectStore('replies').get(id);
  if (!current || (helpdeskOrigin !== undefined && current.helpdeskOrigin !== helpdeskOrigin)) {
    await tx.done;
    return { ok: false, reason: 'no such reply' };
  }
  const outcome = transition(current, event);
  if (outcome.ok) {
    await tx.objectStore('replies').put(checked(outcome.record));
    if (isFinal(outcome.record) && hash) await putTombstone(tx, tombstoneOf(outcome.record, hash));
    if (event.type === 'restore') await tx.objectStore('tombstones').delete(id);
  }
  await tx.done;
  return outcome;
}

/**
 * A `sending` reply whose claim nobody renewed: its retry may or may not have pressed Send, so it
 * becomes `unconfirmed` for the agent to check, never claimable again by itself.
 */
export async function settleLapsedLeases(db: QueueDatabase, now: number): Promise<QueuedReply[]> {
  // Read first: this runs on every ticket view, and a write transaction would queue behind every other write.
  const sending = await db.getAllFromIndex('replies', 'by-state', 'sending');
  if (!sending.some((value) => isLeaseLapsed(value, now))) return [];
  const tx = db.transaction('replies', 'readwrite');
  const settled: QueuedReply[] = [];
  let cursor = await tx.store.index('by-state').openCursor('sending');
  while (cursor) {
    const parsed = QueuedReply.safeParse(cursor.value);
    if (parsed.success && isLeaseLapsed(parsed.data, now)) {
      const outcome = transition(parsed.data, { type: 'lapse', now });
      if (outcome.ok) {
        await cursor.update(outcome.record);
        settled.push(outcome.record);
      }
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return settled;
}

export interface ReadResult {
  replies: QueuedReply[];
  quarantined: number;
}

/** Reads records, moving any that fail the schema into quarantine (kept, counted, shown). */
export async function readReplies(db: QueueDatabase, ticket?: { helpdeskOrigin: string; ticketId: string }): Promise<ReadResult> {
  const raw: unknown[] = ticket
    ? await db.getAllFromIndex('replies', 'by-ticket', [ticket.helpdeskOrigin, ticket.ticketId])
    : await db.getAll('replies');
  const replies: QueuedReply[] = [];
  const bad: QuarantinedRecord[] = [];
  // Each bad record's key as stored: a damaged record's id may be a number, which String(id) would miss.
  const badKeys: string[] = [];
  const now = Date.now();
  for (const value of raw) {
    const parsed = QueuedReply.safeParse(value);
    if (parsed.success) replies.push(parsed.data);
    else {
      const key = storedKey(value);
      const id = key !== undefined ? String(key) : `unknown-${now}-${bad.length}`;
      bad.push({ id, raw: value, problem: parsed.error.issues[0]?.message ?? 'invalid record', at: now });
      badKeys.push(key ?? id);
    }
  }
  if (bad.length > 0) {
    const tx = db.transaction(['replies', 'quarantine'], 'readwrite');
    bad.forEach((item, i) => {
      void tx.objectStore('quarantine').put(item);
      void tx.objectStore('replies').delete(badKeys[i] ?? item.id);
    });
    await tx.done;
  }
  return { replies, quarantined: await countQuarantined(db) };
}

/**
 * The start of the popup's list without reading every record. The list groups replies by ticket,
 * the ticket with the oldest unsent reply first; so walking the oldest failures first, each ticket
 * met with an unsent reply is read whole (all its records), in turn, until `unsent` unsent replies
 * are in: these are exactly the list's first lines. Records that fail the schema are skipped here;
 * the full read (which follows) quarantines them.
 */
export async function readFirstReplies(db: QueueDatabase, unsent: number): Promise<QueuedReply[]> {
  const seen = new Set<string>();
  const replies: QueuedReply[] = [];
  let found = 0;
  let after: number | null = null;
  while (found < unsent) {
    // The next ticket whose oldest unsent reply is the oldest not yet listed (one short read each).
    const next: QueuedReply | null = await nextUnsentOfNewTicket(db, seen, after);
    if (!next) break;
    after = next.firstFailedAt;
    seen.add(JSON.stringify([next.helpdeskOrigin, next.ticketId]));
    for (const value of await db.getAllFromIndex('replies', 'by-ticket', [next.helpdeskOrigin, next.ticketId])) {
      const parsed = QueuedReply.safeParse(value);
      if (!parsed.success) continue;
      replies.push(parsed.data);
      if (isUnsent(parsed.data)) found += 1;
    }
  }
  return replies;
}

/** The oldest unsent reply at or after `after` whose ticket is not in `seen`. */
async function nextUnsentOfNewTicket(db: QueueDatabase, seen: ReadonlySet<string>, after: number | null): Promise<QueuedReply | null> {
  const range = after === null ? undefined : IDBKeyRange.lowerBound(after);
  let cursor = await db.transaction('replies').store.index('by-first-failed').openCursor(range);
  while (cursor) {
    const raw = cursor.value as Partial<QueuedReply>;
    // Replies of tickets already listed are passed over unparsed.
    if (!seen.has(JSON.stringify([raw.helpdeskOrigin, raw.ticketId]))) {
      const parsed = QueuedReply.safeParse(raw);
      if (parsed.success && isUnsent(parsed.data)) return parsed.data;
    }
    cursor = await cursor.continue();
  }
  return null;
}

/** How many records are set aside as damaged. */
export function countQuarantined(db: QueueDatabase): Promise<number> {
  return db.count('quarantine');
}

/** Every record set aside as damaged, as stored: for the popup to show, export and delete. */
export function readQuarantine(db: QueueDatabase): Promise<QuarantinedRecord[]> {
  return db.getAll('quarantine');
}

/** Deletes quarantined records the agent chose to delete (after exporting them, if they wished). */
export async function deleteQuarantined(db: QueueDatabase, ids: readonly string[]): Promise<number> {
  const tx = db.transaction('quarantine', 'readwrite');
  let deleted = 0;
  for (const id of ids) {
    if (await tx.store.get(id)) {
      await tx.store.delete(id);
      deleted += 1;
    }
  }
  await tx.done;
  return deleted;
}

/** Tombstones, for tests and the export: never any text in them. */
export function readTombstones(db: QueueDatabase): Promise<Tombstone[]> {
  return db.getAll('tombstones');
}

/** One reply as stored, unchecked (a caller that acts on it parses it, or reads only what it needs). */
export async function getReply(db: QueueDatabase, id: string): Promise<QueuedReply | undefined> {
  const tx = db.transaction('replies', 'readonly');
  const record = await tx.store.get(id);
  await tx.done;
  return record;
}

/** How many replies are in these states, through the state index (never reading the records). */
export async function countInStates(db: QueueDatabase, states: readonly string[]): Promise<number> {
  const counts = await Promise.all(states.map((state) => db.countFromIndex('replies', 'by-state', state)));
  return counts.reduce((sum, n) => sum + n, 0);
}

/**
 * Replies in these states per channel, counted through the state-and-channel index without reading
 * a record: this runs on every detector change and for the popup's status lines.
 */
export async function countByChannel(db: QueueDatabase, states: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const pairs = states.flatMap((state) => CHANNELS.map((channel) => [state, channel] as [string, string]));
  const found = await Promise.all(pairs.map((pair) => db.countFromIndex('replies', 'by-state-channel', pair)));
  pairs.forEach(([, channel], i) => {
    const n = found[i] ?? 0;
    if (n > 0) counts.set(channel, (counts.get(channel) ?? 0) + n);
  });
  return counts;
}
