import { fingerprint, normalizeReplyText } from '../../utils/hash';
import type { ReplyState } from '../schemas';
import { type Attempt, CLAIMABLE_STATES, type FailedReply, type QueuedReply, type SendError, UNSENT_STATES } from './record';
import { REFUSED_UNCONFIRMED } from './states';

export { REFUSED_UNCONFIRMED };

/** How long a `sending` claim holds unless its holder renews it; a lapsed claim becomes `unconfirmed`. */
export const DEFAULT_LEASE_MS = 60_000;

export type ReplyEvent =
  | { type: 'claim'; now: number; leaseMs?: number; token?: string }
  /** The claim's holder is still at work (waiting for the log, checking the helpdesk's record). */
  | { type: 'renew'; now: number; token: string; leaseMs?: number }
  /** Nobody renewed the claim in time: a copy may or may not have gone out. */
  | { type: 'lapse'; now: number }
  /** The retry's confirmation did not come in time, or a copy exists that the tab cannot see. */
  | { type: 'unconfirm'; now: number; token?: string; messageId?: string }
  | { type: 'delivered'; now: number; late?: boolean }
  | { type: 'send_failed'; now: number; error: SendError; messageId?: string }
  | { type: 'release'; now: number; token?: string }
  | { type: 'hand_off'; now: number }
  | { type: 'discard'; now: number }
  | { type: 'restore'; now: number }
  /** The agent: "It's in the conversation — mark sent". */
  | { type: 'mark_sent'; now: number }
  /** The agent: "Send again" (checked the conversation; the reply is not there). */
  | { type: 'resend'; now: number };

export type TransitionResult = { ok: true; record: QueuedReply } | { ok: false; reason: string };

/**
 * Which events each state accepts. `sent`, `handed_off` are final; a discarded reply can be
 * restored (undo). `unconfirmed` is never claimed: only the agent's decision (or the helpdesk's
 * late verdict) moves it on.
 */
const ALLOWED: Record<ReplyState, ReadonlyArray<ReplyEvent['type']>> = {
  queued: ['claim', 'hand_off', 'discard', 'delivered'],
  sending: ['delivered', 'send_failed', 'release', 'claim', 'renew', 'lapse', 'unconfirm'],
  needs_attention: ['claim', 'hand_off', 'discard', 'delivered'],
  unconfirmed: ['delivered', 'send_failed', 'hand_off', 'discard', 'mark_sent', 'resend'],
  sent: [],
  handed_off: [],
  discarded: ['restore'],
};

export const REFUSED_HELD = 'another retry holds this reply';
export const REFUSED_NOT_HOLDER = 'this claim is no longer yours';

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

export function isLeaseLapsed(record: Pick<QueuedReply, 'state' | 'leaseUntil'>, now: number): boolean {
  return record.state === 'sending' && (record.leaseUntil ?? 0) <= now;
}

/** Where an unsent reply waits when nobody is sending it: the agent must decide, or it may be retried. */
function waitingState(record: QueuedReply): ReplyState {
  return NEEDS_AGENT.has(record.error.errorClass) ? 'needs_attention' : 'queued';
}

function holds(record: QueuedReply, token: string | undefined): boolean {
  return token === undefined || record.claimToken === undefined || record.claimToken === token;
}

/** Applies one event; refuses (never throws) what the state does not allow. */
export function transition(record: QueuedReply, event: ReplyEvent): TransitionResult {
  if (record.state === 'unconfirmed' && event.type === 'claim') return { ok: false, reason: REFUSED_UNCONFIRMED };
  if (!ALLOWED[record.state].includes(event.type)) {
    return { ok: false, reason: `${event.type} is not allowed in state ${record.state}` };
  }
  const now = event.now;
  const base = { ...record, updatedAt: now };
  delete base.leaseUntil;
  delete base.claimToken;
  switch (event.type) {
    case 'claim':
      // A lapsed claim is not free: its holder may have pressed Send before it stopped answering.
      if (record.state === 'sending') return { ok: false, reason: isLeaseLapsed(record, now) ? REFUSED_UNCONFIRMED : REFUSED_HELD };
      return {
        ok: true,
        record: {
          ...base,
          state: 'sending',
          leaseUntil: now + (event.leaseMs ?? DEFAULT_LEASE_MS),
          ...(event.token ? { claimToken: event.token } : {}),
        },
      };
    case 'renew':
      if (record.claimToken !== event.token) return { ok: false, reason: REFUSED_NOT_HOLDER };
      return {
        ok: true,
        record: { ...record, updatedAt: now, leaseUntil: Math.max(record.leaseUntil ?? 0, now + (event.leaseMs ?? DEFAULT_LEASE_MS)) },
      };
    case 'lapse':
      if (!isLeaseLapsed(record, now)) return { ok: false, reason: REFUSED_HELD };
      return {
        ok: true,
        record: {
          ...base,
          state: 'unconfirmed',
          attempts: [...record.attempts, { at: now, path: 'helpdesk_retry', outcome: 'unconfirmed' }],
        },
      };
    case 'unconfirm': {
      if (!holds(record, event.token)) return { ok: false, reason: REFUSED_NOT_HOLDER };
      const messageIds =
        event.messageId && !record.messageIds.includes(event.messageId) ? [...record.messageIds, event.messageId] : record.messageIds;
      return {
        ok: true,
        record: {
          ...base,
          state: 'unconfirmed',
          messageIds,
          attempts: [...record.attempts, { at: now, path: 'helpdesk_retry', outcome: 'unconfirmed' }],
        },
      };
    }
    case 'mark_sent':
      return {
        ok: true,
        record: { ...base, state: 'sent', attempts: [...record.attempts, { at: now, path: 'helpdesk_retry', outcome: 'marked_sent' }] },
      };
    case 'resend':
      return { ok: true, record: { ...base, state: waitingState(record) } };
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
          state: waitingState({ ...record, error: event.error }),
          error: event.error,
          messageIds,
          attempts: [...record.attempts, attempt],
        },
      };
    }
    case 'release':
      if (!holds(record, event.token)) return { ok: false, reason: REFUSED_NOT_HOLDER };
      return {
        ok: true,
        record: {
          ...base,
          // Back to where it was before the claim: a reply that needed the agent still does.
          state: waitingState(record),
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
      return { ok: true, record: { ...base, state: waitingState(record) } };
  }
}

export function isUnsent(record: Pick<QueuedReply, 'state'>): boolean {
  return UNSENT_STATES.includes(record.state);
}

/** May a retry claim it without the agent deciding first? (Retry, Retry all, the popup, auto-retry.) */
export function isClaimable(record: Pick<QueuedReply, 'state'>): boolean {
  return CLAIMABLE_STATES.includes(record.state);
}
