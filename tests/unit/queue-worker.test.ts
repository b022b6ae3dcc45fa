import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { FailedReport } from '@/core/protocol';
import { readReplies } from '@/core/queue/db';
import { db } from '@/entrypoints/background/db';
import { handle } from '@/entrypoints/background/router';
import { failedReply, INCIDENT_START, ORIGIN } from '../fixtures/replies';

// The worker's answers, on fake-indexeddb and the fake extension APIs: what a tab hears when it
// reports a failure, and what is then in the queue.
const NOW = INCIDENT_START + 60_000;
const TICKET = { helpdeskOrigin: ORIGIN, ticketId: '4711' };

function report(overrides: Partial<FailedReport> = {}): FailedReport {
  const { error: _e, ...reply } = failedReply();
  return { ...reply, error: { message: 'Not delivered — Error code 2: An unexpected error has occurred.' }, ...overrides };
}

async function clearQueue() {
  const database = await db();
  for (const store of ['replies', 'tombstones', 'quarantine'] as const) await database.clear(store);
}

afterEach(async () => {
  vi.restoreAllMocks();
  await clearQueue();
});

describe('a failed reply is never refused for a cosmetic field', () => {
  it('keeps a reply whose customer name is over 300 characters and whose message id is over 200', async () => {
    const answer = await handle(
      { type: 'reply-failed', reply: report({ customerName: 'Jana '.repeat(200), messageId: 'x'.repeat(500) }) },
      { now: NOW },
    );
    expect(answer).toMatchObject({ created: true, kept: 'queue' });
    const { replies } = await readReplies(await db());
    expect(replies.map((r) => [r.text, r.customerName?.length])).toEqual([['Hi Jana, your refund of 49.90 EUR was sent today.', 300]]);
  });
});

describe('when IndexedDB cannot store it', () => {
  const quotaOnce = async () => {
    const database = await db();
    const real = database.transaction.bind(database);
    vi.spyOn(database, 'transaction').mockImplementationOnce(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    return real;
  };

  it('keeps it in storage.local, shows it on its ticket, and moves it into the queue when the database works again', async () => {
    await quotaOnce();
    const answer = await handle({ type: 'reply-failed', reply: report() }, { now: NOW });
    expect(answer).toMatchObject({
      created: true,
      kept: 'fallback',
      record: { text: 'Hi Jana, your refund of 49.90 EUR was sent today.' },
    });
    expect((await readReplies(await db())).replies).toEqual([]);
    const view = await handle({ type: 'get-ticket-view', ticket: TICKET, channel: 'messenger' }, { now: NOW + 1 });
    // The ticket view also moved it in: the same id the tab was shown.
    expect(view.replies.map((r) => [r.id, r.text])).toEqual([[answer.record?.id, 'Hi Jana, your refund of 49.90 EUR was sent today.']]);
    expect((await readReplies(await db())).replies.map((r) => r.id)).toEqual([answer.record?.id]);
    expect((await fakeBrowser.storage.local.get('queueFallback')).queueFallback).toEqual([]);
  });

  it('says so when storage.local refuses it too (the tab then shows "NOT kept — copy your text")', async () => {
    await quotaOnce();
    vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'));
    await expect(handle({ type: 'reply-failed', reply: report() }, { now: NOW })).rejects.toThrow(/QUOTA_BYTES/);
  });

  it('reopens a connection that was closed under it', async () => {
    (await db()).close();
    expect(await handle({ type: 'reply-failed', reply: report() }, { now: NOW })).toMatchObject({ created: true, kept: 'queue' });
    expect((await readReplies(await db())).replies).toHaveLength(1);
  });
});

describe('a failure of a reply that ended long ago', () => {
  it('answers nothing new, so the tab shows nothing', async () => {
    const first = await handle({ type: 'reply-failed', reply: report() }, { now: NOW });
    const id = first.record?.id ?? '';
    await handle({ type: 'discard-reply', id }, { now: NOW + 1 });
    await (await db()).delete('replies', id); // As retention does a day later.
    expect(await handle({ type: 'reply-failed', reply: report() }, { now: NOW + 2 })).toEqual({
      record: null,
      created: false,
      ended: 'discarded',
      kept: 'queue',
    });
    expect((await handle({ type: 'get-ticket-view', ticket: TICKET, channel: 'messenger' }, { now: NOW + 3 })).replies).toEqual([]);
  });
});

describe('check-resend: the worker decides against the stored record', () => {
  const TEXT = 'Hi Jana, your refund of 49.90 EUR was sent today.';
  const shown = { messageId: 'msg-1', at: INCIDENT_START, status: 'failed' as const, text: TEXT };
  const commentPage = (times: number[]) => ({
    comments: times.map((at, i) => ({
      id: i + 1,
      type: 'Comment',
      plain_body: TEXT,
      body: TEXT,
      public: true,
      created_at: new Date(at).toISOString(),
    })),
    next_page: null,
    previous_page: null,
    count: times.length,
  });

  async function claimed() {
    const { record } = await handle({ type: 'reply-failed', reply: report() }, { now: NOW });
    const claim = await handle({ type: 'claim-reply', id: record?.id ?? '' }, { now: NOW + 1 });
    if (!claim.ok) throw new Error(claim.reason);
    return claim.record;
  }

  it('lets the holder send (renewing its claim) when every copy the helpdesk has is on screen and failed', async () => {
    const record = await claimed();
    const token = record.claimToken ?? '';
    const answer = await handle(
      { type: 'check-resend', id: record.id, token, log: [shown], comments: [commentPage([INCIDENT_START])] },
      { now: NOW + 2 },
    );
    expect(answer).toEqual({ kind: 'send' });
    expect((await readReplies(await db())).replies[0]).toMatchObject({ state: 'sending', claimToken: token });
  });

  it('makes it unconfirmed when the helpdesk holds a copy the log does not show', async () => {
    const record = await claimed();
    const answer = await handle(
      { type: 'check-resend', id: record.id, token: record.claimToken ?? '', log: [shown], comments: [commentPage([INCIDENT_START, NOW])] },
      { now: NOW + 2 },
    );
    expect(answer).toEqual({ kind: 'unconfirmed' });
    expect((await readReplies(await db())).replies[0]?.state).toBe('unconfirmed');
    // Nobody claims it now but the agent: "Retry" from the popup skips it.
    expect(await handle({ type: 'retry-replies', ids: [record.id] }, { now: NOW + 3 })).toEqual({ ok: false, opened: false });
  });

  it('marks it sent (late) when a later copy shows delivered, and refuses a stale holder', async () => {
    const record = await claimed();
    expect(await handle({ type: 'check-resend', id: record.id, token: 'not-mine', log: [], comments: 'none' }, { now: NOW + 2 })).toEqual({
      kind: 'claimed_elsewhere',
    });
    const copy = { messageId: 'msg-2', at: NOW, status: 'delivered' as const, text: TEXT };
    expect(
      await handle(
        { type: 'check-resend', id: record.id, token: record.claimToken ?? '', log: [shown, copy], comments: 'none' },
        { now: NOW + 3 },
      ),
    ).toEqual({
      kind: 'delivered_late',
    });
    expect((await readReplies(await db())).replies[0]).toMatchObject({ state: 'sent' });
  });

  it('sends nothing when the comments could not be read, and gives the claim back', async () => {
    const record = await claimed();
    const bad = { comments: 'not a list' };
    expect(
      await handle(
        { type: 'check-resend', id: record.id, token: record.claimToken ?? '', log: [shown], comments: [bad] },
        { now: NOW + 2 },
      ),
    ).toEqual({
      kind: 'unchecked',
    });
    expect((await readReplies(await db())).replies[0]?.state).toBe('queued');
  });
});
