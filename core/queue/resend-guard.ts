import { normalizeReplyText } from '../../utils/hash';

// Before a kept reply is sent again: is a copy of it already out there? Pure and zod-free (the
// content script runs it), fed with what the ticket's log showed while it settled and with the
// helpdesk's own record of the ticket's comments.

/** A copy of the reply as the log showed it. */
export interface LogCopy {
  messageId: string | null;
  /** When the helpdesk says it was written, if the log shows a time. */
  at: number | null;
  status: 'failed' | 'delivered' | 'pending' | 'unknown';
  text: string;
}

/** A comment as the helpdesk's API lists it (Zendesk: to the second, public or an internal note). */
export interface CommentCopy {
  createdAt: number;
  text: string;
  public: boolean;
}

export type ResendVerdict =
  | { kind: 'send' }
  /** A copy written after the failure shows delivered: the customer has it. */
  | { kind: 'delivered'; messageId: string }
  /** A copy is still being sent (or its status cannot be read): wait for its verdict. */
  | { kind: 'pending' }
  /** The helpdesk holds more copies than the log shows: one may have gone out unseen. */
  | { kind: 'unconfirmed'; helpdeskCopies: number; shownCopies: number }
  /** The helpdesk's record could not be read: no send on the log's word alone. */
  | { kind: 'unchecked' };

/** How long before the first failure a copy may be stamped and still be counted (the failure time may be when it was seen). */
const WINDOW_BEFORE_MS = 5 * 60_000;
const RANK: Record<LogCopy['status'], number> = { failed: 0, unknown: 1, pending: 2, delivered: 3 };

/**
 * The verdict for one kept reply. `comments`: the helpdesk's list, `null` for a helpdesk without
 * one (the log decides alone), `'unavailable'` when it could not be read.
 */
export function decideResend(input: {
  record: { text: string; firstFailedAt: number; messageIds: readonly string[] };
  log: readonly LogCopy[];
  comments: readonly CommentCopy[] | null | 'unavailable';
}): ResendVerdict {
  const { record, log, comments } = input;
  const text = normalizeReplyText(record.text);
  const from = record.firstFailedAt - WINDOW_BEFORE_MS;
  // One entry per message (a log may render one twice); the most advanced status it showed.
  const byId = new Map<string, LogCopy>();
  const anonymous: LogCopy[] = [];
  for (const copy of log) {
    if (normalizeReplyText(copy.text) !== text) continue;
    if (copy.messageId === null) anonymous.push(copy);
    else {
      const seen = byId.get(copy.messageId);
      if (!seen || RANK[copy.status] > RANK[seen.status]) byId.set(copy.messageId, copy);
    }
  }
  const copies = [...byId.values(), ...anonymous];
  const delivered = copies.find((c) => c.status === 'delivered' && (c.at === null || c.at >= record.firstFailedAt));
  if (delivered) return { kind: 'delivered', messageId: delivered.messageId ?? 'unknown' };
  // The reply's own known copies (the original, a retry of its own) do not hold it back.
  const unsettled = copies.some(
    (c) => (c.status === 'pending' || c.status === 'unknown') && !(c.messageId && record.messageIds.includes(c.messageId)),
  );
  if (unsettled) return { kind: 'pending' };
  if (comments === 'unavailable') return { kind: 'unchecked' };
  if (comments === null) return { kind: 'send' };
  // Comment times are to the second: compare from the start of the first failure's second.
  const helpdeskCopies = comments.filter(
    (c) => c.public && normalizeReplyText(c.text) === text && c.createdAt >= Math.floor(from / 1000) * 1000,
  ).length;
  const shownCopies = copies.filter((c) => c.at === null || c.at >= from).length;
  if (helpdeskCopies > shownCopies) return { kind: 'unconfirmed', helpdeskCopies, shownCopies };
  return { kind: 'send' };
}
