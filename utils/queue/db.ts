import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { normalizeReplyText } from '../hash';
import { type FailedReply, QueuedReply } from './record';
import { idempotencyKey, isUnsent, newRecord, type ReplyEvent, type TransitionResult, transition } from './transitions';

export const QUEUE_DB_NAME = 'send-guard';
export const QUEUE_DB_VERSION = 2;

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
    };
  };
  quarantine: {
    key: string;
    value: QuarantinedRecord;
  };
}

export type QueueDatabase = IDBPDatabase<QueueDB>;

export function openQueueDB(name = QUEUE_DB_NAME): Promise<QueueDatabase> {
  return openDB<QueueDB>(name, QUEUE_DB_VERSION, {
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
    },
  });
}

export class InvalidRecordError extends Error {}

function checked(record: QueuedReply): QueuedReply {
  const parsed = QueuedReply.safeParse(record);
  if (!parsed.success)
    throw new InvalidRecordError(`refusing to store an invalid reply: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  return parsed.data;
}

export interface RecordFailureResult {
  record: QueuedReply;
  created: boolean;
}

/**
 * Stores a failed reply once. The same failure seen again (a re-render, a second tab, a
 * retry's own failed message) returns the existing record instead of making a second one.
 */
export async function recordFailure(db: QueueDatabase, reply: FailedReply, id: string, now: number): Promise<RecordFailureResult> {
  const fresh = checked(newRecord(reply, id, now));
  const tx = db.transaction('replies', 'readwrite');
  const byMessage = reply.messageId ? await tx.store.index('by-message').get(reply.messageId) : undefined;
  const existing = byMessage ?? (await tx.store.index('by-key').get(idempotencyKey(reply)));
  if (existing) {
    await tx.done;
    return { record: existing, created: false };
  }
  // A later copy of a reply still kept (a retry's own failed message, even one whose claim has
  // lapsed): attach it to that reply instead of making a second record that could be sent again.
  const sameTicket = await tx.store.index('by-ticket').getAll([reply.helpdeskOrigin, reply.ticketId]);
  const text = normalizeReplyText(reply.text);
  const retrying =
    sameTicket.find((r) => r.state === 'sending' && normalizeReplyText(r.text) === text) ??
    sameTicket.find((r) => isUnsent(r) && normalizeReplyText(r.text) === text);
  if (retrying) {
    const messageIds = reply.messageId ? [...retrying.messageIds, reply.messageId] : retrying.messageIds;
    const updated = checked({ ...retrying, messageIds, updatedAt: now });
    await tx.store.put(updated);
    await tx.done;
    return { record: updated, created: false };
  }
  await tx.store.add(fresh);
  await tx.done;
  return { record: fresh, created: true };
}

/** Whether a failure is already kept (by the helpdesk's message id or the reply's idempotency key): reporting it again makes nothing new. */
export async function isKnownFailure(db: QueueDatabase, reply: FailedReply): Promise<boolean> {
  const tx = db.transaction('replies', 'readonly');
  const byMessage = reply.messageId ? await tx.store.index('by-message').getKey(reply.messageId) : undefined;
  const known = byMessage !== undefined || (await tx.store.index('by-key').getKey(idempotencyKey(reply))) !== undefined;
  await tx.done;
  return known;
}

/**
 * Compare-and-set: reads, checks the transition and writes inside one transaction. With
 * `helpdeskOrigin`, only a record of that helpdesk is touched (a tab acts on its own replies only).
 */
export async function applyEvent(db: QueueDatabase, id: string, event: ReplyEvent, helpdeskOrigin?: string): Promise<TransitionResult> {
  const tx = db.transaction('replies', 'readwrite');
  const current = await tx.store.get(id);
  if (!current || (helpdeskOrigin !== undefined && current.helpdeskOrigin !== helpdeskOrigin)) {
    await tx.done;
    return { ok: false, reason: 'no such reply' };
  }
  const outcome = transition(current, event);
  if (outcome.ok) await tx.store.put(checked(outcome.record));
  await tx.done;
  return outcome;
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
      const key = typeof value === 'object' && value !== null && 'id' in value ? (value as { id: string }).id : undefined;
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
  const quarantined = await db.count('quarantine');
  return { replies, quarantined };
}
