import { afterEach, describe, expect, it } from 'vitest';
import { applyEvent, openQueueDB, type QueueDatabase, readReplies, recordFailure } from '@/core/queue/db';
import { DEFAULT_RETENTION, purgeExpired } from '@/core/queue/retention';
import { transition } from '@/core/queue/transitions';
import { failedReply, INCIDENT_START, queuedRecord } from '../fixtures/replies';

// The holes found by reading the queue's code, each replayed with the queue's own functions.
const HOUR = 60 * 60_000;
const NOW = INCIDENT_START + 60_000;
const open: QueueDatabase[] = [];
let n = 0;

async function freshDB(): Promise<QueueDatabase> {
  const db = await openQueueDB(`holes-${++n}-${Math.random().toString(36).slice(2)}`);
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('a purge never resurrects a reply that ended', () => {
  it.each(['hand_off', 'discard'] as const)('%s, purged 26 h later, the same failed marker reported again: nothing new', async (type) => {
    const db = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    expect((await applyEvent(db, 'rec-1', { type, now: NOW + 1_000 })).ok).toBe(true);
    await purgeExpired(db, NOW + 26 * HOUR, DEFAULT_RETENTION);
    expect((await readReplies(db)).replies).toEqual([]);

    // The helpdesk still shows the original failed marker; a reload reports it again.
    const again = await recordFailure(db, failedReply(), 'rec-2', NOW + 26 * HOUR + 5_000);
    expect(again.created).toBe(false);
    expect(again.record).toBeNull();
    expect((await readReplies(db)).replies).toEqual([]);
  });

  it("a retry's own failed copy, reported only after the reply was sent and purged, is nothing new", async () => {
    const db = await freshDB();
    await recordFailure(db, failedReply(), 'rec-1', NOW);
    await applyEvent(db, 'rec-1', { type: 'claim', now: NOW + 1_000 });
    await applyEvent(db, 'rec-1', { type: 'delivered', now: NOW + 60_000 });
    await purgeExpired(db, NOW + 26 * HOUR, DEFAULT_RETENTION);
    // A copy the retry typed at NOW + 2 s failed; the tab that saw it was closed, a later one reports it.
    const copy = failedReply({ messageId: 'msg-copy', failedAt: NOW + 2_000 });
    expect(await recordFailure(db, copy, 'rec-3', NOW + 27 * HOUR)).toMatchObject({ created: false, record: null });
    // The same text typed anew after the reply was sent is a new reply, and is kept.
    const anew = failedReply({ messageId: 'msg-new', failedAt: NOW + 27 * HOUR });
    expect((await recordFailure(db, anew, 'rec-4', NOW + 27 * HOUR)).created).toBe(true);
  });
});

describe('a lapsed lease is never claimed again automatically', () => {
  it('refuses a claim on a sending reply whose lease lapsed', () => {
    const lapsed = queuedRecord({ state: 'sending', leaseUntil: NOW - 1 });
    const claim = transition(lapsed, { type: 'claim', now: NOW });
    expect(claim.ok).toBe(false);
  });

  it('turns a lapsed sending reply into unconfirmed, which no claim takes', () => {
    const lapsed = queuedRecord({ state: 'sending', leaseUntil: NOW - 1 });
    const result = transition(lapsed, { type: 'lapse', now: NOW });
    expect(result).toMatchObject({ ok: true, record: { state: 'unconfirmed' } });
    if (!result.ok) return;
    expect(transition(result.record, { type: 'claim', now: NOW + 1 }).ok).toBe(false);
  });
});

describe('retention never deletes an unsent reply', () => {
  it('keeps queued, needs_attention and unconfirmed replies past the maximum age', async () => {
    const db = await freshDB();
    for (const [id, state] of [
      ['q', 'queued'],
      ['n', 'needs_attention'],
      ['u', 'unconfirmed'],
    ] as const) {
      await db.put('replies', queuedRecord({ id, idempotencyKey: `k-${id}`, messageIds: [`m-${id}`], state }));
    }
    await purgeExpired(db, INCIDENT_START + 30 * 24 * HOUR, DEFAULT_RETENTION);
    expect((await readReplies(db)).replies.map((r) => r.id).sort()).toEqual(['n', 'q', 'u']);
  });

  it('moves a damaged record it meets to quarantine instead of deleting it', async () => {
    const db = await freshDB();
    const damaged = { ...queuedRecord({ id: 'bad', state: 'sent' }), text: 42 };
    await db.put('replies', damaged as never);
    await purgeExpired(db, INCIDENT_START + 30 * 24 * HOUR, DEFAULT_RETENTION);
    expect((await db.get('quarantine', 'bad'))?.raw).toEqual(damaged);
  });
});
