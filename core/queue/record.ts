import { z } from 'zod';
import { Channel, ErrorClass, FinalState, ReplyState } from '../schemas';

export { CLAIMABLE_STATES, FINAL_STATES, UNSENT_STATES } from './states';

export const AttemptPath = z.enum(['helpdesk', 'helpdesk_retry', 'messenger_handoff']);
/**
 * `unconfirmed`: a retry whose confirmation did not come in time (or whose claim lapsed);
 * `marked_sent`: the agent saw the reply in the conversation and said so.
 */
export const AttemptOutcome = z.enum(['failed', 'delivered', 'delivered_late', 'handed_off', 'abandoned', 'unconfirmed', 'marked_sent']);

export const Attempt = z.object({
  at: z.number().int().nonnegative(),
  path: AttemptPath,
  outcome: AttemptOutcome,
  errorCode: z.number().int().optional(),
  errorSubcode: z.number().int().optional(),
});
export type Attempt = z.infer<typeof Attempt>;

export const SendError = z.object({
  errorClass: ErrorClass,
  code: z.number().int().optional(),
  subcode: z.number().int().optional(),
  message: z.string().max(2000).optional(),
});
export type SendError = z.infer<typeof SendError>;

const Id = z.string().min(1).max(200);

/** The helpdesk page's origin: http(s) only, so it can be linked back to safely. */
export const HelpdeskOrigin = z
  .string()
  .max(300)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      // Not a URL: refused with the message below.
      return false;
    }
  }, 'must be an http(s) origin such as https://acme.zendesk.com');

export const QueuedReply = z.object({
  id: Id,
  idempotencyKey: z.string().min(1).max(500),
  helpdeskOrigin: HelpdeskOrigin,
  ticketId: Id,
  conversationId: Id.optional(),
  /** Where the ticket was open when the reply failed: where a retry opens it again. */
  ticketUrl: z
    .string()
    .max(2000)
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        // Not a URL: refused with the message below.
        return false;
      }
    }, 'must be an http(s) address of the helpdesk')
    .optional(),
  /** Helpdesk message ids that showed this reply (the original and every retry's). */
  messageIds: z.array(Id).max(100),
  channel: Channel,
  customerName: z.string().max(300).optional(),
  pageId: Id.optional(),
  userId: Id.optional(),
  text: z.string().min(1).max(20_000),
  error: SendError,
  attempts: z.array(Attempt).max(500),
  state: ReplyState,
  /** While `sending`: when the claim lapses (the reply then becomes `unconfirmed`, never claimable). */
  leaseUntil: z.number().int().optional(),
  /** While `sending`: which claim holds it, so only its holder renews or releases it. */
  claimToken: z.string().min(1).max(100).optional(),
  firstFailedAt: z.number().int().nonnegative(),
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
});
export type QueuedReply = z.infer<typeof QueuedReply>;

/** What a watcher knows about a reply it just saw fail. */
export const FailedReply = QueuedReply.pick({
  helpdeskOrigin: true,
  ticketId: true,
  conversationId: true,
  ticketUrl: true,
  channel: true,
  customerName: true,
  pageId: true,
  userId: true,
  text: true,
  error: true,
}).extend({
  messageId: Id.optional(),
  /** When the helpdesk says the reply was written (or when it was seen failing). */
  failedAt: z.number().int().nonnegative(),
});
export type FailedReply = z.infer<typeof FailedReply>;

/**
 * What is left of a reply that ended, without its text: enough to know its failed marker (by
 * message id, idempotency key, or a hash of the text on the same ticket) is not a new reply.
 */
export const Tombstone = z.object({
  id: Id,
  idempotencyKey: z.string().min(1).max(500),
  helpdeskOrigin: HelpdeskOrigin,
  ticketId: Id,
  messageIds: z.array(Id).max(200),
  /** SHA-256 of the normalized text (hex): matches a later copy of the same reply, never shows it. */
  textHash: z.string().regex(/^[0-9a-f]{64}$/),
  finalState: FinalState,
  endedAt: z.number().int().nonnegative(),
});
export type Tombstone = z.infer<typeof Tombstone>;

/** The key a (possibly damaged) stored value was filed under, if it has one. */
export function storedKey(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && 'id' in value ? (value as { id: string }).id : undefined;
}
