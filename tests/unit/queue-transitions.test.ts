import { describe, expect, it } from 'vitest';
import { QueuedReply } from '@/core/queue/record';
import {
  DEFAULT_LEASE_MS,
  idempotencyKey,
  isClaimable,
  isUnsent,
  newRecord,
  REFUSED_HELD,
  REFUSED_NOT_HOLDER,
  REFUSED_UNCONFIRMED,
  type ReplyEvent,
  transition,
} from '@/core/queue/transitions';
import type { ErrorClass, ReplyState } from '@/core/schemas';
import { failedReply, INCIDENT_START, ORIGIN, queuedRecord } from '../fixtures/replies';

const NOW = INCIDENT_START + 10 * 60_000;

function recordIn(state: ReplyState) {
  // A `sending` record whose claim (token `tok`) is still held at NOW.
  return queuedRecord(state === 'sending' ? { state, leaseUntil: NOW + 30_000, claimToken: 'tok' } : { state });
}

const EVENTS: Record<ReplyEvent['type'], ReplyEvent> = {
  claim: { type: 'claim', now: NOW },
  renew: { type: 'renew', now: NOW, token: 'tok' },
  lapse: { type: 'lapse', now: NOW },
  unconfirm: { type: 'unconfirm', now: NOW, token: 'tok' },
  delivered: { type: 'delivered', now: NOW },
  send_failed: { type: 'send_failed', now: NOW, error: { errorClass: 'provider_transient', code: 2 }, messageId: 'msg-2' },
  release: { type: 'release', now: NOW },
  hand_off: { type: 'hand_off', now: NOW },
  discard: { type: 'discard', now: NOW },
  restore: { type: 'restore', now: NOW },
  mark_sent: { type: 'mark_sent', now: NOW },
  resend: { type: 'resend', now: NOW },
};

const R = 'refused' as const;
type Row = Record<ReplyEvent['type'], ReplyState | typeof R>;
const NOTHING: Row = {
  claim: R,
  renew: R,
  lapse: R,
  unconfirm: R,
  delivered: R,
  send_failed: R,
  release: R,
  hand_off: R,
  discard: R,
  restore: R,
  mark_sent: R,
  resend: R,
};
const WAITING: Row = { ...NOTHING, claim: 'sending', delivered: 'sent', hand_off: 'handed_off', discard: 'discarded' };
// Rows: state the reply is in; columns: the event; cell: the state after it, or refused.
const MATRIX: Record<ReplyState, Row> = {
  queued: WAITING,
  needs_attention: WAITING,
  sending: { ...NOTHING, renew: 'sending', unconfirm: 'unconfirmed', delivered: 'sent', send_failed: 'queued', release: 'queued' },
  // Never claimed: only the agent's decision or the helpdesk's late verdict moves it on.
  unconfirmed: {
    ...NOTHING,
    delivered: 'sent',
    send_failed: 'queued',
    hand_off: 'handed_off',
    discard: 'discarded',
    mark_sent: 'sent',
    resend: 'queued',
  },
  sent: NOTHING,
  handed_off: NOTHING,
  discarded: { ...NOTHING, restore: 'queued' },
};

const CELLS = Object.entries(MATRIX).flatMap(([state, row]) =>
  Object.entries(row).map(([event, expected]) => ({ state: state as ReplyState, event: event as ReplyEvent['type'], expected })),
);

describe('transition: every state × every event', () => {
  it.each(CELLS)('$state + $event → $expected', ({ state, event, expected }) => {
    const before = recordIn(state);
    const result = transition(before, EVENTS[event]);
    if (expected === R) {
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.reason).toMatch(
          state === 'sending' && (event === 'claim' || event === 'lapse')
            ? /another retry holds/
            : state === 'unconfirmed' && event === 'claim'
              ? /not confirmed: check the conversation/
              : new RegExp(`${event} is not allowed in state ${state}`),
        );
      return;
    }
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record.state).toBe(expected);
    expect(result.record.updatedAt).toBe(NOW);
    expect(result.record.text).toBe(before.text);
    // Only a claim (or its renewal) holds a lease; every other result drops it, and the claim's token.
    expect(result.record.leaseUntil).toBe(event === 'claim' || event === 'renew' ? NOW + DEFAULT_LEASE_MS : undefined);
    if (event !== 'renew') expect(result.record.claimToken).toBeUndefined();
    expect(QueuedReply.safeParse(result.record).success).toBe(true);
  });

  it('never changes the record it was given', () => {
    const before = recordIn('sending');
    const copy = structuredClone(before);
    transition(before, EVENTS.delivered);
    expect(before).toEqual(copy);
  });
});

describe('the sending lease', () => {
  const claimed = () => {
    const result = transition(queuedRecord(), { type: 'claim', now: NOW, leaseMs: 60_000 });
    if (!result.ok) throw new Error(result.reason);
    return result.record;
  };

  it('holds the reply for the lease time', () => {
    expect(claimed()).toMatchObject({ state: 'sending', leaseUntil: NOW + 60_000 });
  });

  it('refuses a second claim up to one millisecond before the lease lapses', () => {
    expect(transition(claimed(), { type: 'claim', now: NOW + 1 })).toEqual({ ok: false, reason: 'another retry holds this reply' });
    expect(transition(claimed(), { type: 'claim', now: NOW + 59_999 }).ok).toBe(false);
  });

  it('refuses a claim once the lease has lapsed too: whoever held it may have pressed Send', () => {
    expect(transition(claimed(), { type: 'claim', now: NOW + 60_000 })).toEqual({ ok: false, reason: REFUSED_UNCONFIRMED });
  });

  it('turns a lapsed claim into unconfirmed, and a sending record without a lease too (recovered after a crash)', () => {
    expect(transition(claimed(), { type: 'lapse', now: NOW + 59_999 })).toEqual({ ok: false, reason: REFUSED_HELD });
    const lapsed = transition(claimed(), { type: 'lapse', now: NOW + 60_000 });
    expect(lapsed).toMatchObject({ ok: true, record: { state: 'unconfirmed' } });
    expect(lapsed.ok && lapsed.record.attempts.at(-1)).toEqual({ at: NOW + 60_000, path: 'helpdesk_retry', outcome: 'unconfirmed' });
    expect(transition(queuedRecord({ state: 'sending' }), { type: 'lapse', now: NOW })).toMatchObject({
      ok: true,
      record: { state: 'unconfirmed' },
    });
  });

  it('lets only the holder renew or release its claim', () => {
    const held = transition(queuedRecord(), { type: 'claim', now: NOW, token: 'mine' });
    if (!held.ok) throw new Error(held.reason);
    expect(transition(held.record, { type: 'renew', now: NOW + 50_000, token: 'theirs' })).toEqual({
      ok: false,
      reason: REFUSED_NOT_HOLDER,
    });
    expect(transition(held.record, { type: 'release', now: NOW + 1, token: 'theirs' })).toEqual({ ok: false, reason: REFUSED_NOT_HOLDER });
    expect(transition(held.record, { type: 'renew', now: NOW + 50_000, token: 'mine' })).toMatchObject({
      ok: true,
      record: { state: 'sending', leaseUntil: NOW + 50_000 + DEFAULT_LEASE_MS, claimToken: 'mine' },
    });
  });

  it('an unconfirmed retry keeps the id of the copy it typed, for the agent to look for', () => {
    const held = transition(queuedRecord(), { type: 'claim', now: NOW, token: 'mine' });
    if (!held.ok) throw new Error(held.reason);
    const unconfirmed = transition(held.record, { type: 'unconfirm', now: NOW + 45_000, token: 'mine', messageId: 'msg-copy' });
    expect(unconfirmed).toMatchObject({ ok: true, record: { state: 'unconfirmed', messageIds: ['msg-1', 'msg-copy'] } });
  });
});

describe('unconfirmed: the agent decides', () => {
  const unconfirmed = queuedRecord({ state: 'unconfirmed', error: { errorClass: 'policy_window', code: 10, subcode: 2018278 } });

  it('"mark sent" ends it as sent, with the agent\'s word in the history', () => {
    const result = transition(unconfirmed, { type: 'mark_sent', now: NOW });
    expect(result).toMatchObject({ ok: true, record: { state: 'sent' } });
    expect(result.ok && result.record.attempts.at(-1)).toEqual({ at: NOW, path: 'helpdesk_retry', outcome: 'marked_sent' });
  });

  it('"send again" puts it back where its error says, ready for a retry', () => {
    expect(transition(unconfirmed, { type: 'resend', now: NOW })).toMatchObject({ ok: true, record: { state: 'needs_attention' } });
    expect(transition(queuedRecord({ state: 'unconfirmed' }), { type: 'resend', now: NOW })).toMatchObject({
      ok: true,
      record: { state: 'queued' },
    });
  });
});

describe('newRecord', () => {
  it.each<[ErrorClass, ReplyState]>([
    ['policy_window', 'needs_attention'],
    ['recipient_unavailable', 'needs_attention'],
    ['auth', 'needs_attention'],
    ['invalid_request', 'needs_attention'],
    ['provider_transient', 'queued'],
    ['rate_limited', 'queued'],
    ['unknown', 'queued'],
  ])('puts a %s failure into %s', (errorClass, state) => {
    expect(newRecord(failedReply({ error: { errorClass } }), 'r', NOW).state).toBe(state);
  });

  it('builds the full record from a watcher report', () => {
    const report = failedReply({ error: { errorClass: 'policy_window', code: 10, subcode: 2018278 } });
    const record = newRecord(report, 'rec-42', NOW);
    expect(record).toEqual({
      id: 'rec-42',
      idempotencyKey: idempotencyKey(report),
      helpdeskOrigin: ORIGIN,
      ticketId: '4711',
      channel: 'messenger',
      customerName: 'Jana Becker',
      pageId: '104857600123456',
      userId: '6120000000000042',
      text: 'Hi Jana, your refund of 49.90 EUR was sent today.',
      error: { errorClass: 'policy_window', code: 10, subcode: 2018278 },
      messageIds: ['msg-1'],
      attempts: [{ at: INCIDENT_START, path: 'helpdesk', outcome: 'failed', errorCode: 10, errorSubcode: 2018278 }],
      state: 'needs_attention',
      firstFailedAt: INCIDENT_START,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(QueuedReply.safeParse(record).success).toBe(true);
  });

  it('starts with no message ids when the helpdesk showed none', () => {
    const { messageId: _id, ...report } = failedReply();
    expect(newRecord(report, 'r', NOW).messageIds).toEqual([]);
  });
});

describe('idempotencyKey', () => {
  it('is the same for the same failure seen twice (re-render, second tab)', () => {
    expect(idempotencyKey(failedReply())).toBe(idempotencyKey(failedReply()));
  });

  it('ignores how the editor reflowed whitespace', () => {
    const reflowed = failedReply({ text: '  Hi Jana,\n your refund of 49.90 EUR\twas sent today. ' });
    expect(idempotencyKey(reflowed)).toBe(idempotencyKey(failedReply()));
  });

  it('pins the reply by message id, not by when it was seen', () => {
    expect(idempotencyKey(failedReply({ failedAt: INCIDENT_START + 5_000 }))).toBe(idempotencyKey(failedReply()));
  });

  it('differs for another helpdesk message with the same text (the agent sent it twice)', () => {
    expect(idempotencyKey(failedReply({ messageId: 'msg-2' }))).not.toBe(idempotencyKey(failedReply()));
  });

  it('differs for another ticket, another helpdesk and another text', () => {
    const base = idempotencyKey(failedReply());
    expect(idempotencyKey(failedReply({ ticketId: '4712' }))).not.toBe(base);
    expect(idempotencyKey(failedReply({ helpdeskOrigin: 'https://other.zendesk.com' }))).not.toBe(base);
    expect(idempotencyKey(failedReply({ text: 'Hi Jana, your refund is on its way.' }))).not.toBe(base);
  });

  it('falls back to the failure time when there is no message id', () => {
    const { messageId: _id, ...report } = failedReply();
    expect(idempotencyKey(report)).toBe(idempotencyKey({ ...report }));
    expect(idempotencyKey({ ...report, failedAt: report.failedAt + 1 })).not.toBe(idempotencyKey(report));
  });
});

describe('attempt history', () => {
  function apply(record: QueuedReply, event: ReplyEvent): QueuedReply {
    const result = transition(record, event);
    if (!result.ok) throw new Error(result.reason);
    return result.record;
  }

  it('records a failed retry, then a delivery, with path, outcome and codes', () => {
    let record = newRecord(failedReply(), 'r', INCIDENT_START);
    record = apply(record, { type: 'claim', now: NOW });
    expect(record.attempts).toHaveLength(1);
    record = apply(record, {
      type: 'send_failed',
      now: NOW + 5_000,
      error: { errorClass: 'policy_window', code: 10, subcode: 2018278 },
      messageId: 'msg-2',
    });
    expect(record.state).toBe('needs_attention');
    expect(record.error).toEqual({ errorClass: 'policy_window', code: 10, subcode: 2018278 });
    expect(record.messageIds).toEqual(['msg-1', 'msg-2']);
    record = apply(record, { type: 'claim', now: NOW + 60_000 });
    record = apply(record, { type: 'delivered', now: NOW + 65_000 });
    expect(record.state).toBe('sent');
    expect(record.attempts).toEqual([
      { at: INCIDENT_START, path: 'helpdesk', outcome: 'failed', errorCode: 2 },
      { at: NOW + 5_000, path: 'helpdesk_retry', outcome: 'failed', errorCode: 10, errorSubcode: 2018278 },
      { at: NOW + 65_000, path: 'helpdesk_retry', outcome: 'delivered' },
    ]);
    expect(isUnsent(record)).toBe(false);
  });

  it('records a late delivery, an abandoned retry and a hand-off', () => {
    const late = apply(newRecord(failedReply(), 'r', NOW), { type: 'delivered', now: NOW + 1, late: true });
    expect(late.attempts.at(-1)).toEqual({ at: NOW + 1, path: 'helpdesk_retry', outcome: 'delivered_late' });

    const abandoned = apply(apply(newRecord(failedReply(), 'r', NOW), { type: 'claim', now: NOW }), { type: 'release', now: NOW + 2 });
    expect(abandoned.state).toBe('queued');
    expect(abandoned.attempts.at(-1)).toEqual({ at: NOW + 2, path: 'helpdesk_retry', outcome: 'abandoned' });

    const handedOff = apply(newRecord(failedReply(), 'r', NOW), { type: 'hand_off', now: NOW + 3 });
    expect(handedOff.state).toBe('handed_off');
    expect(handedOff.attempts.at(-1)).toEqual({ at: NOW + 3, path: 'messenger_handoff', outcome: 'handed_off' });
  });

  it('does not list the same helpdesk message twice when its failure is reported again', () => {
    let record = apply(newRecord(failedReply(), 'r', NOW), { type: 'claim', now: NOW });
    record = apply(record, { type: 'send_failed', now: NOW + 1, error: { errorClass: 'provider_transient' }, messageId: 'msg-1' });
    expect(record.messageIds).toEqual(['msg-1']);
    expect(record.attempts).toHaveLength(2);
  });

  it('restores a discarded reply to where its error puts it', () => {
    const window = newRecord(failedReply({ error: { errorClass: 'policy_window', code: 10, subcode: 2018278 } }), 'r', NOW);
    const restored = apply(apply(window, { type: 'discard', now: NOW + 1 }), { type: 'restore', now: NOW + 2 });
    expect(restored.state).toBe('needs_attention');
    expect(restored.attempts).toEqual(window.attempts);
  });

  it('counts queued, sending, needs_attention and unconfirmed as unsent; only queued and needs_attention as claimable', () => {
    const states: ReplyState[] = ['queued', 'sending', 'needs_attention', 'unconfirmed', 'sent', 'handed_off', 'discarded'];
    expect(states.filter((state) => isUnsent({ state }))).toEqual(['queued', 'sending', 'needs_attention', 'unconfirmed']);
    expect(states.filter((state) => isClaimable({ state }))).toEqual(['queued', 'needs_attention']);
  });
});

describe('release (an abandoned retry)', () => {
  it('puts a reply that needed the agent back to needs_attention, with the abandoned attempt', () => {
    const claimed = transition(
      queuedRecord({ state: 'needs_attention', error: { errorClass: 'policy_window', code: 10, subcode: 2018278 } }),
      {
        type: 'claim',
        now: NOW,
      },
    );
    if (!claimed.ok) throw new Error(claimed.reason);
    const released = transition(claimed.record, { type: 'release', now: NOW + 1 });
    if (!released.ok) throw new Error(released.reason);
    expect(released.record.state).toBe('needs_attention');
    expect(released.record.leaseUntil).toBeUndefined();
    expect(released.record.attempts.at(-1)).toEqual({ at: NOW + 1, path: 'helpdesk_retry', outcome: 'abandoned' });
  });

  it('puts a platform failure back to queued', () => {
    const claimed = transition(queuedRecord(), { type: 'claim', now: NOW });
    if (!claimed.ok) throw new Error(claimed.reason);
    const released = transition(claimed.record, { type: 'release', now: NOW + 1 });
    expect(released.ok && released.record.state).toBe('queued');
  });
});
