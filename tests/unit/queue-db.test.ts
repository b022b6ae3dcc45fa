import { afterEach, describe, expect, it } from 'vitest';
import {
  applyEvent,
  deleteQuarantined,
  InvalidRecordError,
  openQueueDB,
  type QueueDatabase,
  readQuarantine,
  readReplies,
  readTombstones,
  recordFailure,
  settleLapsedLeases,
} from '@/core/queue/db';
import type { QueuedReply } from '@/core/queue/record';
import { failedReply, INCIDENT_START, ORIGIN, queuedRecord } from '../fixtures/replies';

const NOW = INCIDENT_START + 60_000;
let dbCount = 0;
const open: QueueDatabase[] = [];

/** A fresh database per test, so no test sees another's replies. */
async function freshDB(): Promise<{ db: QueueDatabase; name: string }> {
  const name = `send-guard-test-${++dbCount}-${Math.random().toString(36).slice(2)}`;
  const db = await openQueueDB(name);
  open.push(db);
  return { db, name };
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('recordFailure', () => {
  it('stores the failed reply with its exact text', async () => {
    const { db } = await freshDB();
    const { record, created } = await recordFailure(db, failedReply(), 'rec-1', NOW);
    expect(created).toBe(true);
    const { replies } = await readReplies(db);
    expect(replies).toEqual([record]);
    expect(replies[0]?.text).toBe('Hi Jana, your refund of 49.90 EUR was sent today.');
    expect(replies[0]?.state).toBe('queued');
  });

  it('keeps one record when the same failed message is reported twice (re-render, second tab)', async () => {
    const { db } = await freshDB();
    const first = await recordFailure(db, failedReply(), 'rec-1', NOW);
    const second = await recordFailure(db, failedReply(), 'rec-2', NOW + 5_000);
    expect(second).toEqual({ record: first.record, created: false });
    expect((await readReplies(db)).replies.map((r) => r.id)).toEqual(['rec-1']);
  });

  it('keeps one record when two tabs report the same failure at the same moment', async () => {
    const { db } = await freshDB();
    const results = await Promise.all([recordFailure(db, failedReply(), 'tab-a', NOW), recordFailure(db, failedReply(), 'tab-b', NOW)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await readReplies(db)).replies).toHaveLength(1);
  });

  it('keeps one record for an id-less failure seen twice with the same failure time', async () => {
    const { db } = await freshDB();
    const { messageId: _id, ...report } = failedReply();
    await recordFailure(db, report, 'rec-1', NOW);
    expect((await recordFailure(db, report, 'rec-2', NOW)).created).toBe(false);
    expect((await readReplies(db)).replies).toHaveLength(1);
  });

  it("attaches a retry's own failed message to the reply being retried", async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    expect((await applyEvent(db, 'rec-1', { type: 'claim', now: NOW + 1_000 })).ok).toBe(true);
    // The resender typed the text again; the helpdesk shows a new message, which fails too.
    const retryFailure = failedReply({
      messageId: 'msg-2',
      text: 'Hi Jana,  your refund of 49.90 EUR\nwas sent today.',
      failedAt: NOW + 2_000,
    });
    const { record, created } = await recordFailure(db, retryFailure, 'rec-2', NOW + 2_000);
    expect(created).toBe(false);
    expect(record?.id).toBe('rec-1');
    expect(record?.messageIds).toEqual(['msg-1', 'msg-2']);
    const { replies } = await readReplies(db);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ id: 'rec-1', state: 'sending', messageIds: ['msg-1', 'msg-2'], updatedAt: NOW + 2_000 });
  });

  // Identical text on the same ticket while the first is still kept is treated as the same reply:
  // the text is not lost, and the customer can never receive it twice from two records.
  it('keeps one record for the same text failing twice on one ticket while the first is unsent', async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    const again = await recordFailure(db, failedReply({ messageId: 'msg-2', failedAt: NOW }), 'rec-2', NOW);
    expect(again.created).toBe(false);
    expect((await readReplies(db)).replies.map((r) => [r.id, r.messageIds])).toEqual([['rec-1', ['msg-1', 'msg-2']]]);
  });

  // The content script's seen-id memory is capped (utils/bounded-set.ts), and a reload empties it: an
  // old failed message still in the log is then reported again. The queue must not make a second record.
  it('keeps one record when an old failure is reported again, queued or long since delivered', async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    expect((await recordFailure(db, failedReply(), 'rec-2', NOW + 3_600_000)).created).toBe(false);
    await applyEvent(db, 'rec-1', { type: 'claim', now: NOW + 3_600_001 });
    await applyEvent(db, 'rec-1', { type: 'delivered', now: NOW + 3_600_002 });
    const late = await recordFailure(db, failedReply(), 'rec-3', NOW + 7_200_000);
    expect(late).toMatchObject({ created: false, record: { id: 'rec-1', state: 'sent' } });
    expect((await readReplies(db)).replies.map((r) => [r.id, r.state])).toEqual([['rec-1', 'sent']]);
  });

  it('does not attach a failure on another ticket to a retry with the same text', async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    await applyEvent(db, 'rec-1', { type: 'claim', now: NOW });
    const other = await recordFailure(db, failedReply({ ticketId: '4712', messageId: 'msg-9' }), 'rec-2', NOW);
    expect(other.created).toBe(true);
    expect(other.record?.ticketId).toBe('4712');
  });

  it('refuses an invalid report and stores nothing', async () => {
    const { db } = await freshDB();
    await expect(recordFailure(db, failedReply({ text: '' }), 'rec-1', NOW)).rejects.toBeInstanceOf(InvalidRecordError);
    await expect(recordFailure(db, failedReply({ helpdeskOrigin: 'acme' }), 'rec-2', NOW)).rejects.toThrow(
      /refusing to store an invalid reply/,
    );
    expect(await readReplies(db)).toEqual({ replies: [], quarantined: 0 });
  });

  it('has the reply on disk once it answers (a new worker finds it)', async () => {
    const { db, name } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    db.close();
    const reopened = await openQueueDB(name);
    open.push(reopened);
    expect((await readReplies(reopened)).replies.map((r) => r.text)).toEqual(['Hi Jana, your refund of 49.90 EUR was sent today.']);
  });
});

describe('applyEvent', () => {
  it('lets exactly one of two concurrent claims win', async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    const results = await Promise.all([
      applyEvent(db, 'rec-1', { type: 'claim', now: NOW + 1 }),
      applyEvent(db, 'rec-1', { type: 'claim', now: NOW + 1 }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'another retry holds this reply' });
    const { replies } = await readReplies(db);
    expect(replies[0]).toMatchObject({ state: 'sending', leaseUntil: NOW + 1 + 60_000 });
  });

  it('stores the result of an allowed event and leaves the record alone on a refused one', async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    expect(await applyEvent(db, 'rec-1', { type: 'hand_off', now: NOW + 1 })).toMatchObject({ ok: true, record: { state: 'handed_off' } });
    const refused = await applyEvent(db, 'rec-1', { type: 'claim', now: NOW + 2 });
    expect(refused).toEqual({ ok: false, reason: 'claim is not allowed in state handed_off' });
    expect((await readReplies(db)).replies[0]).toMatchObject({ state: 'handed_off', updatedAt: NOW + 1 });
  });

  it('answers "no such reply" for an unknown id', async () => {
    const { db } = await freshDB();
    expect(await applyEvent(db, 'nope', { type: 'claim', now: NOW })).toEqual({ ok: false, reason: 'no such reply' });
  });

  it('refuses to write a transition result that breaks the schema, keeping the stored record', async () => {
    const { db } = await freshDB();
    const full = queuedRecord({
      state: 'sending',
      attempts: Array.from({ length: 500 }, (_, i) => ({
        at: INCIDENT_START + i,
        path: 'helpdesk_retry' as const,
        outcome: 'failed' as const,
      })),
    });
    await db.put('replies', full);
    await expect(applyEvent(db, full.id, { type: 'release', now: NOW })).rejects.toBeInstanceOf(InvalidRecordError);
    expect((await readReplies(db)).replies[0]).toMatchObject({ state: 'sending', updatedAt: full.updatedAt });
  });
});

describe('readReplies', () => {
  it('moves a corrupted record into quarantine, counts it and keeps its raw value', async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'good', NOW);
    const corrupted = { ...queuedRecord({ id: 'bad' }), text: 42, state: 'exploded' };
    await db.put('replies', corrupted as unknown as QueuedReply);

    const first = await readReplies(db);
    expect(first.replies.map((r) => r.id)).toEqual(['good']);
    expect(first.quarantined).toBe(1);
    expect(await db.get('replies', 'bad')).toBeUndefined();
    const kept = await db.get('quarantine', 'bad');
    expect(kept?.raw).toEqual(corrupted);
    expect(kept?.problem).toBeTruthy();

    // Reading again neither loses the quarantined copy nor counts it twice.
    expect(await readReplies(db)).toEqual({ replies: first.replies, quarantined: 1 });
  });

  it('moves a corrupted record stored under a numeric key out of the replies store', async () => {
    const { db } = await freshDB();
    await db.put('replies', { id: 42, text: 'half a record' } as unknown as QueuedReply);
    expect(await readReplies(db)).toEqual({ replies: [], quarantined: 1 });
    expect(await db.count('replies')).toBe(0);
    expect(await db.count('quarantine')).toBe(1);
  });

  it("reads one ticket's replies", async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    await recordFailure(db, failedReply({ ticketId: '4712', messageId: 'msg-7' }), 'rec-2', NOW);
    await recordFailure(db, failedReply({ helpdeskOrigin: 'https://other.zendesk.com', messageId: 'msg-8' }), 'rec-3', NOW);
    const { replies } = await readReplies(db, { helpdeskOrigin: ORIGIN, ticketId: '4711' });
    expect(replies.map((r) => r.id)).toEqual(['rec-1']);
  });
});

describe('recordFailure: a later copy of a reply still kept', () => {
  it('attaches a failed copy to the kept reply (claim lapsed, back in queued) instead of a second record', async () => {
    const { db } = await freshDB();
    const first = await recordFailure(db, failedReply(), 'rec-1', NOW);
    const copy = await recordFailure(db, failedReply({ messageId: 'msg-2', failedAt: NOW + 120_000 }), 'rec-2', NOW + 120_000);
    expect(copy.created).toBe(false);
    expect(copy.record?.id).toBe(first.record?.id);
    const { replies } = await readReplies(db);
    expect(replies.map((r) => [r.id, r.messageIds])).toEqual([['rec-1', ['msg-1', 'msg-2']]]);
  });

  it('keeps a new record when the earlier reply with the same text was already sent', async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    await applyEvent(db, 'rec-1', { type: 'claim', now: NOW + 1 });
    await applyEvent(db, 'rec-1', { type: 'delivered', now: NOW + 2 });
    const again = await recordFailure(db, failedReply({ messageId: 'msg-9', failedAt: NOW + 60_000 }), 'rec-2', NOW + 60_000);
    expect(again.created).toBe(true);
  });
});

describe('tombstones', () => {
  it('a reply that ends leaves its tombstone at once, without its text; undoing a discard takes it back', async () => {
    const { db } = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    await applyEvent(db, 'rec-1', { type: 'discard', now: NOW + 1 });
    const [tombstone] = await readTombstones(db);
    expect(tombstone).toMatchObject({ id: 'rec-1', finalState: 'discarded', messageIds: ['msg-1'], ticketId: '4711', endedAt: NOW + 1 });
    expect(Object.keys(tombstone ?? {}).sort()).toEqual([
      'endedAt',
      'finalState',
      'helpdeskOrigin',
      'id',
      'idempotencyKey',
      'messageIds',
      'textHash',
      'ticketId',
    ]);
    await applyEvent(db, 'rec-1', { type: 'restore', now: NOW + 2 });
    expect(await readTombstones(db)).toEqual([]);
  });

  it('an id-less failure of a reply that ended is recognised by its idempotency key', async () => {
    const { db } = await freshDB();
    const { messageId: _id, ...report } = failedReply();
    await recordFailure(db, report, 'rec-1', NOW);
    await applyEvent(db, 'rec-1', { type: 'hand_off', now: NOW + 1 });
    await db.delete('replies', 'rec-1'); // As retention would, long after.
    expect(await recordFailure(db, report, 'rec-2', NOW + 5)).toEqual({ record: null, created: false, ended: 'handed_off' });
  });
});

describe('settleLapsedLeases', () => {
  it('turns only lapsed claims into unconfirmed', async () => {
    const { db } = await freshDB();
    await db.put('replies', queuedRecord({ id: 'held', idempotencyKey: 'k1', messageIds: ['a'], state: 'sending', leaseUntil: NOW + 1 }));
    await db.put('replies', queuedRecord({ id: 'lapsed', idempotencyKey: 'k2', messageIds: ['b'], state: 'sending', leaseUntil: NOW }));
    const settled = await settleLapsedLeases(db, NOW);
    expect(settled.map((r) => r.id)).toEqual(['lapsed']);
    expect((await readReplies(db)).replies.map((r) => [r.id, r.state]).sort()).toEqual([
      ['held', 'sending'],
      ['lapsed', 'unconfirmed'],
    ]);
  });
});

describe('quarantine', () => {
  it('lists what was set aside, as stored, and deletes only what the agent chose', async () => {
    const { db } = await freshDB();
    await db.put('replies', { id: 'bad-1', text: 'half a record' } as unknown as QueuedReply);
    await db.put('replies', { id: 'bad-2', text: 'another half' } as unknown as QueuedReply);
    await readReplies(db);
    expect((await readQuarantine(db)).map((q) => q.raw)).toEqual([
      { id: 'bad-1', text: 'half a record' },
      { id: 'bad-2', text: 'another half' },
    ]);
    expect(await deleteQuarantined(db, ['bad-1', 'nope'])).toBe(1);
    expect((await readQuarantine(db)).map((q) => q.id)).toEqual(['bad-2']);
  });
});
