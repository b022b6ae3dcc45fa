import { z } from 'zod';
import { Channel, TicketChannel } from './channels';
import { ChannelHealth, HealthLevel } from './detector';
import { FailedReply, QueuedReply, SendError } from './queue/record';

// One protocol, named by direction. Every message is parsed on arrival: senders are other
// contexts of this extension, but a compromised page can still shape what a content script sends.

const TicketRef = z.object({
  helpdeskOrigin: z.string().url(),
  ticketId: z.string().min(1).max(200),
});
export type TicketRef = z.infer<typeof TicketRef>;

export const ContentToBackground = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply-failed'), reply: FailedReply }),
  z.object({
    type: z.literal('reply-delivered'),
    ticket: TicketRef,
    channel: Channel,
    messageId: z.string().min(1).max(200).optional(),
    at: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('get-ticket-view'), ticket: TicketRef, channel: TicketChannel }),
  z.object({ type: z.literal('claim-reply'), id: z.string().min(1).max(200) }),
  z.object({
    type: z.literal('retry-result'),
    id: z.string().min(1).max(200),
    outcome: z.enum(['delivered', 'delivered_late', 'failed', 'abandoned']),
    error: SendError.optional(),
    messageId: z.string().min(1).max(200).optional(),
  }),
  z.object({ type: z.literal('hand-off'), id: z.string().min(1).max(200) }),
]);
export type ContentToBackground = z.infer<typeof ContentToBackground>;

export const PopupToBackground = z.discriminatedUnion('type', [z.object({ type: z.literal('list-replies') })]);
export type PopupToBackground = z.infer<typeof PopupToBackground>;

export const ToBackground = z.union([ContentToBackground, PopupToBackground]);
export type ToBackground = z.infer<typeof ToBackground>;

export const TicketView = z.object({
  replies: z.array(QueuedReply),
  health: ChannelHealth.nullable(),
});
export type TicketView = z.infer<typeof TicketView>;

export const ClaimResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), record: QueuedReply }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);
export type ClaimResult = z.infer<typeof ClaimResult>;

export const HandOffResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), url: z.string().url(), conversation: z.boolean() }),
  z.object({ ok: z.literal(false), reason: z.enum(['no-page-id', 'not-found', 'not-allowed']) }),
]);
export type HandOffResult = z.infer<typeof HandOffResult>;

export const QueueListing = z.object({
  replies: z.array(QueuedReply),
  quarantined: z.number().int().nonnegative(),
  health: z.array(ChannelHealth),
});
export type QueueListing = z.infer<typeof QueueListing>;

const Ack = z.object({ ok: z.boolean() });

/** The response schema for each request type. */
export const Responses = {
  'reply-failed': z.object({ record: QueuedReply, created: z.boolean() }),
  'reply-delivered': Ack,
  'get-ticket-view': TicketView,
  'claim-reply': ClaimResult,
  'retry-result': Ack,
  'hand-off': HandOffResult,
  'list-replies': QueueListing,
} satisfies Record<ToBackground['type'], z.ZodType>;

export type ResponseOf<T extends ToBackground['type']> = z.infer<(typeof Responses)[T]>;

export const BackgroundToContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queue-changed') }),
  z.object({ type: z.literal('health-changed'), channel: Channel, level: HealthLevel }),
]);
export type BackgroundToContent = z.infer<typeof BackgroundToContent>;

export class ProtocolError extends Error {}

/** Sends a request to the background and checks its answer against the protocol. */
export async function askBackground<T extends ToBackground>(
  send: (message: unknown) => Promise<unknown>,
  message: T,
): Promise<ResponseOf<T['type']>> {
  const raw = await send(message);
  const schema: z.ZodType = Responses[message.type];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ProtocolError(`unexpected answer to ${message.type}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.data as ResponseOf<T['type']>;
}
