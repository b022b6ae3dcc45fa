import { fingerprint, normalizeReplyText } from '../hash';
import { type Attempt, type FailedReply, type QueuedReply, type ReplyState, type SendError, UNSENT_STATES } from './record';

/** How long a `sending` claim holds before another context may claim the reply again. */
export const DEFAULT_LEASE_MS = 60_000;

export type ReplyEvent =
  | { type: 'claim'; now: number; leaseMs?: number }
  | { type: 'delivered'; now: number; late?: boolean }
  | { type: 'send_failed'; now: number; error: SendError; messageId?: string }
  | { type: 'release'; now: number }
  | { type: 'hand_off'; now: number }
  | { type: 'discard'; now: number }
  | { type: 'restore'; now: number };

export type TransitionResult = { ok: true; record: QueuedReply } | { ok: false; reason: string };

/**
 * Which events each state accepts. `sent`, `handed_off` are final; a discarded reply can be
 * restored (undo). A lapsed `sending` lease counts as `queued` for a new claim.
 */
const ALLOWED: Record<ReplyState, ReadonlyArray<ReplyEvent['type']>> = {
  queued: ['claim', 'hand_off', 'discard', 'delivered'],
  sending: ['delivered', 'send_failed', 'release', 'claim'],
  needs_attention: ['claim', 'hand_off', 'discard', 'delivered'],
  sent: [],
  handed_off: [],
  discarded: ['restore'],
};

// Errors that a later retry through the same path cannot fix: the agent must decide.
const NEEDS_AGENT = new Set(['policy_window', 'recipient_unavailable', 'auth', 'invalid_request']);

export function idempotencyKey(
  reply: Pick<FailedReply, 'helpdeskOrigin' | 'ticketId' | 'conversationId' | 'text' | 'messageId' | 'failedAt'>,
): string {
  // The helpdesk's message id pins the reply when known; otherwise the first failure time does.
  const anchor = reply.messageId ? `m:${reply.messageId}` : `t:${reply.failedAt}`;
  return [reply.helpdeskOrigin, reply.ticketId, reply.conversationId ?? '', fingerprint(normalizeReplyText(reply.text)), anchor].join('|');
}

export function newRecord(reply: FailedReply, id: string, now: number): QueuedReply {
  const attempt: Attempt = {
    at: reply.failedAt,
    path: 'helpdesk',
    outcome: 'failed',
    ...(reply.error.code !== undefined ? { errorCode: reply.error.code } : {}),
    ...(reply.error.subcode !== undefined ? { errorSubcode: reply.error.subcode } : {}),
  };
  const { messageId, failedAt, ...rest } = reply;
  return {
    ...rest,
    id,
    idempotencyKey: idempotencyKey(reply),
    messageIds: messageId ? [messageId] : [],
    attempts: [attempt],
    state: NEEDS_AGENT.has(reply.error.errorClass) ? 'needs_attention' : 'queued',
    firstFailedAt: failedAt,
    createdAt: now,
    updatedAt: now,
  };
}

function isLeaseLapsed(record: QueuedReply, now: number): boolean {
  return record.state === 'sending' && (record.leaseUntil ?? 0) <= now;
}

/** Applies one event; refuses (never throws) what the state does not allow. */
export function transition(record: QueuedReply, event: ReplyEvent): TransitionResult {
  if (!ALLOWED[record.state].includes(event.type)) {
    return { ok: false, reason: `${event.type} is not allowed in state ${record.state}` };
  }
  const now = event.now;
  const base = { ...record, updatedAt: now };
  delete base.leaseUntil;
  switch (event.type) {
    case 'claim':
      if (record.state === 'sending' && !isLeaseLapsed(record, now)) {
        return { ok: false, reason: 'another retry holds this reply' };
      }
      return { ok: true, record: { ...base, state: 'sending', leaseUntil: now + (event.leaseMs ?? DEFAULT_LEASE_MS) } };
    case 'delivered':
      return {
        ok: true,
        record: {
          ...base,
          state: 'sent',
          attempts: [...record.attempts, { at: now, path: 'helpdesk_retry', outcome: event.late ? 'delivered_late' : 'delivered' }],
        },
      };
    case 'send_failed': {
      const attempt: Attempt = {
        at: now,
        path: 'helpdesk_retry',
        outcome: 'failed',
        ...(event.error.code !== undefined ? { errorCode: event.error.code } : {}),
        ...(event.error.subcode !== undefined ? { errorSubcode: event.error.subcode } : {}),
      };
      const messageIds =
        event.messageId && !record.messageIds.includes(event.messageId) ? [...record.messageIds, event.messageId] : record.messageIds;
      return {
        ok: true,
        record: {
          ...base,
          state: NEEDS_AGENT.has(event.error.errorClass) ? 'needs_attention' : 'queued',
          error: event.error,
          messageIds,
          attempts: [...record.attempts, attempt],
        },
      };
    }
    case 'release':
      return {
        ok: true,
        record: {
          ...base,
          // Back to where it was before the claim: a reply that needed the agent still does.
          state: NEEDS_AGENT.has(record.error.errorClass) ? 'needs_attention' : 'queued',
          attempts: [...record.attempts, { at: now, path: 'helpdesk_retry', outcome: 'abandoned' }],
        },
      };
    case 'hand_off':
      return {
        ok: true,
        record: {
          ...base,
          state: 'handed_off',
          attempts: [...record.attempts, { at: now, path: 'messenger_handoff', outcome: 'handed_off' }],
        },
      };
    case 'discard':
      return { ok: true, record: { ...base, state: 'discarded' } };
    case 'restore':
      return { ok: true, record: { ...base, state: NEEDS_AGENT.has(record.error.errorClass) ? 'needs_attention' : 'queued' } };
  }
}

export function isUnsent(record: Pick<QueuedReply, 'state'>): boolean {
  return UNSENT_STATES.includes(record.state);
}
