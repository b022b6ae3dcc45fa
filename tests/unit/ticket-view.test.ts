import { describe, expect, it } from 'vitest';
import type { TicketView } from '@/core/protocol';
import { withRecord } from '@/core/queue/ticket-view';
import { queuedRecord } from '../fixtures/replies';

const health = {
  channel: 'messenger',
  level: 'degraded',
  conversations: 2,
  successStreak: 0,
  events: [],
} as const satisfies TicketView['health'];

describe('withRecord: the banner shows a recorded failure before the next refresh', () => {
  it('adds a new record in failure order and keeps the channel health', () => {
    const older = queuedRecord({ id: 'a', firstFailedAt: 1_000 });
    const newer = queuedRecord({ id: 'c', firstFailedAt: 3_000 });
    const view: TicketView = { replies: [older, newer], health, retryNow: ['a'] };
    const middle = queuedRecord({ id: 'b', firstFailedAt: 2_000, text: 'Hi Anna, the refund is on its way.' });
    const next = withRecord(view, middle);
    expect(next.replies.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(next.replies[1]?.text).toBe('Hi Anna, the refund is on its way.');
    expect(next.health).toBe(health);
    // Retries asked for were taken by the refresh that brought them; a local update asks for none.
    expect(next.retryNow).toEqual([]);
  });

  it('replaces the older copy of the same record', () => {
    const view: TicketView = { replies: [queuedRecord({ id: 'a', messageIds: ['m1'] })], health: null, retryNow: [] };
    const next = withRecord(view, queuedRecord({ id: 'a', messageIds: ['m1', 'm2'] }));
    expect(next.replies).toHaveLength(1);
    expect(next.replies[0]?.messageIds).toEqual(['m1', 'm2']);
  });

  it.each(['sent', 'handed_off', 'discarded'] as const)('drops a record that is %s (nothing left to retry)', (state) => {
    const view: TicketView = { replies: [queuedRecord({ id: 'a' })], health: null, retryNow: [] };
    expect(withRecord(view, queuedRecord({ id: 'a', state })).replies).toEqual([]);
  });

  it('starts a view when the banner had none yet', () => {
    const record = queuedRecord({ id: 'a' });
    expect(withRecord(null, record)).toEqual({ replies: [record], health: null, retryNow: [] });
  });
});
