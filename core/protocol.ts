import { z } from 'zod';
import { CustomProfile, ProfileIssue } from '../profiles/custom-profile';
import { ERROR_TYPE_PATTERN, isGraphCode } from './failures/network-signal';
import { ChannelHealth } from './health/detector';
import { ProviderHealth } from './health/health-model';
import { FailedReply, HelpdeskOrigin, QueuedReply } from './queue/record';
import { RetentionSettings } from './queue/retention';
import { Channel, FinalState, type HealthLevel, ProfileChoice, TicketChannel } from './schemas';
import { PageMapping } from './settings/settings';

// One protocol, named by direction. Every message is parsed on arrival: senders are other
// contexts of this extension, but a compromised page can still shape what a content script sends.

/** A Graph error code or subcode as the network signal carries it. */
const GraphCode = z.number().refine(isGraphCode, 'a Graph code is a whole number from 0 to 2^31');

/** Which claim of a reply a tab holds (core/queue/transitions.ts). */
const ClaimToken = z.string().min(1).max(100);

const TicketRef = z.object({
  helpdeskOrigin: HelpdeskOrigin,
  ticketId: z.string().min(1).max(200),
});
export type TicketRef = z.infer<typeof TicketRef>;

/** A field the worker trims or drops when it is too long (core/queue/sanitize.ts), never a reason to refuse the reply. */
const Loose = z.string().max(100_000);

/** What a page said about a failed send: the worker classifies it (core/failures/send-errors.ts), not the page. */
export const ReportedError = z.object({ message: Loose.optional() });
export type ReportedError = z.infer<typeof ReportedError>;

/** A failed reply as a helpdesk tab reports it: strict where a wrong value could misdirect a reply, loose elsewhere. */
export const FailedReport = FailedReply.pick({ helpdeskOrigin: true, channel: true, text: true }).extend({
  ticketId: Loose.min(1),
  conversationId: Loose.optional(),
  ticketUrl: Loose.optional(),
  customerName: Loose.optional(),
  pageId: Loose.optional(),
  userId: Loose.optional(),
  messageId: Loose.optional(),
  error: ReportedError,
  failedAt: z.number(),
});
export type FailedReport = z.infer<typeof FailedReport>;

export const ContentToBackground = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply-failed'), reply: FailedReport }),
  z.object({
    type: z.literal('reply-delivered'),
    ticket: TicketRef,
    channel: Channel,
    // Batched: a busy log turns many replies delivered at once, and one message per reply costs the page.
    deliveries: z
      .array(z.object({ messageId: z.string().min(1).max(200).optional(), at: z.number().int().nonnegative() }))
      .min(1)
      .max(200),
  }),
  z.object({ type: z.literal('get-ticket-view'), ticket: TicketRef, channel: TicketChannel }),
  z.object({ type: z.literal('claim-reply'), id: z.string().min(1).max(200) }),
  // The claim's holder is still at work (waiting for the log to settle, checking the helpdesk's record).
  z.object({ type: z.literal('renew-claim'), id: z.string().min(1).max(200), token: ClaimToken }),
  z.object({
    type: z.literal('retry-result'),
    id: z.string().min(1).max(200),
    // `unconfirmed`: no verdict from the helpdesk in time, or a copy exists the tab cannot see.
    outcome: z.enum(['delivered', 'delivered_late', 'failed', 'abandoned', 'unconfirmed']),
    error: ReportedError.optional(),
    messageId: z.string().min(1).max(200).optional(),
    token: ClaimToken.optional(),
  }),
  // Before typing a retry: what the settled log showed and the helpdesk's comment pages as fetched
  // (`none`: no such API; `unavailable`: not read). The worker decides (core/queue/resend-guard.ts).
  z.object({
    type: z.literal('check-resend'),
    id: z.string().min(1).max(200),
    token: ClaimToken,
    log: z
      .array(
        z.object({
          messageId: z.string().max(200).nullable(),
          at: z.number().nullable(),
          status: z.enum(['failed', 'delivered', 'pending', 'unknown']),
          text: z.string().max(20_000),
        }),
      )
      .max(500),
    comments: z.union([z.enum(['none', 'unavailable']), z.array(z.unknown()).max(20)]),
  }),
  // The agent's answers to an unconfirmed retry.
  z.object({ type: z.literal('mark-sent'), id: z.string().min(1).max(200) }),
  z.object({ type: z.literal('resend-reply'), id: z.string().min(1).max(200) }),
  z.object({ type: z.literal('hand-off'), id: z.string().min(1).max(200) }),
  // A Graph-style error seen in the page's own traffic (the Graph `type` is `errorType` here).
  z.object({
    type: z.literal('network-failure'),
    ticket: TicketRef,
    channel: Channel,
    code: GraphCode.optional(),
    subcode: GraphCode.optional(),
    errorType: z.string().regex(ERROR_TYPE_PATTERN).optional(),
    at: z.number().int().nonnegative(),
  }),
  // The banner's "Open queue": the popup's list, opened in a tab.
  z.object({ type: z.literal('open-queue') }),
  // The banner's language override: content scripts cannot read extension files themselves.
  z.object({ type: z.literal('get-language-pack'), language: z.enum(['en', 'de']) }),
  // A helpdesk tab announces itself, so the options page's self-test can reach it.
  z.object({ type: z.literal('self-test-ready') }),
  // Provider status (entrypoints/background/provider-health.ts): the merged health, banner shown, snooze.
  z.object({ type: z.literal('get-provider-health'), channel: Channel }),
  z.object({ type: z.literal('banner-shown'), channel: Channel }),
  z.object({ type: z.literal('snooze-episode'), channel: Channel }),
  // The page's custom profile, checked here: content scripts carry no schema library.
  z.object({ type: z.literal('get-custom-profile') }),
  // The banner's "Page ID" prompt: the worker validates and saves the mapping.
  z.object({ type: z.literal('save-page-mapping'), mapping: PageMapping }),
]);
export type ContentToBackground = z.infer<typeof ContentToBackground>;

const ReplyId = z.string().min(1).max(200);

export const PopupToBackground = z.discriminatedUnion('type', [
  // `first`: only the start of the list (its first `first` unsent replies, each ticket whole), answered
  // before the whole queue is read; without it, everything.
  z.object({ type: z.literal('list-replies'), first: z.number().int().min(1).max(500).optional() }),
  // Retry through the ticket's tab (focused, or opened): per reply, per ticket, or all.
  z.object({ type: z.literal('retry-replies'), ids: z.array(ReplyId).min(1).max(1000) }),
  z.object({ type: z.literal('hand-off'), id: ReplyId }),
  z.object({ type: z.literal('discard-reply'), id: ReplyId }),
  // Undo of a discard.
  z.object({ type: z.literal('restore-reply'), id: ReplyId }),
  // The agent's answers to an unconfirmed retry, from the popup.
  z.object({ type: z.literal('mark-sent'), id: ReplyId }),
  z.object({ type: z.literal('resend-reply'), id: ReplyId }),
  // Damaged records set aside: list them (to show and export), delete the ones the agent picks.
  z.object({ type: z.literal('list-quarantine') }),
  z.object({ type: z.literal('delete-quarantined'), ids: z.array(z.string().min(1).max(500)).min(1).max(10_000) }),
  // Poll the official status sources now (also what the e2e tests use), and the incident timeline.
  z.object({ type: z.literal('poll-status-now') }),
  z.object({ type: z.literal('export-timeline') }),
  // The popup's status lines: every channel's merged health (first-hand and official).
  z.object({ type: z.literal('list-provider-health') }),
]);
export type PopupToBackground = z.infer<typeof PopupToBackground>;

/** Which profile a self-test counts selectors for; the custom JSON may be unsaved. */
const SelfTestProfile = z.object({
  profile: ProfileChoice,
  customProfile: z
    .string()
    .max(64 * 1024)
    .optional(),
});

export const OptionsToBackground = z.discriminatedUnion('type', [
  z.object({ type: z.literal('test-selectors'), ...SelfTestProfile.shape }),
]);
export type OptionsToBackground = z.infer<typeof OptionsToBackground>;

/** Requests from the extension's own pages (popup, options). */
export const ExtensionPageToBackground = z.union([PopupToBackground, OptionsToBackground]);
export type ExtensionPageToBackground = z.infer<typeof ExtensionPageToBackground>;

export const ToBackground = z.union([ContentToBackground, PopupToBackground, OptionsToBackground]);
export type ToBackground = z.infer<typeof ToBackground>;

/** The request of one type (a type both a tab and the popup send is either shape). */
export type RequestOf<T extends ToBackground['type']> = Extract<ToBackground, { type: T }>;

export const TicketView = z.object({
  replies: z.array(QueuedReply),
  health: ChannelHealth.nullable(),
  /** Replies the agent asked to retry from the popup, to be retried in this tab now. */
  retryNow: z.array(z.string().min(1).max(200)).max(1000),
});
export type TicketView = z.infer<typeof TicketView>;

export const ClaimResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), record: QueuedReply }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);
export type ClaimResult = z.infer<typeof ClaimResult>;

export const HandOffResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), url: z.string().url(), conversation: z.boolean() }),
  z.object({ ok: z.literal(false), reason: z.enum(['no-page-id', 'not-found', 'not-allowed', 'copy-only']) }),
]);
export type HandOffResult = z.infer<typeof HandOffResult>;

export const QueueListing = z.object({
  replies: z.array(QueuedReply),
  quarantined: z.number().int().nonnegative(),
  health: z.array(ChannelHealth),
  /** Helpdesks whose failure reports were refused this session: too many new ones at once. */
  dropped: z
    .array(z.object({ origin: z.string().max(300), count: z.number().int().nonnegative(), lastAt: z.number().int().nonnegative() }))
    .max(100)
    .default([]),
  /** The retention rules in force (the admin's policy over the agent's settings): what the popup warns with. */
  retention: RetentionSettings,
  /** The worker's now, which the retention rules are read against. */
  now: z.number().int().nonnegative(),
  /** False for the start of the list only (`first`): counts, exports and Retry all wait for the whole. */
  complete: z.boolean().default(true),
});
export type QueueListing = z.infer<typeof QueueListing>;

const Ack = z.object({ ok: z.boolean() });

export const SelectorCount = z.object({
  group: z.string().max(50),
  selector: z.string().max(500),
  count: z.number().int().nonnegative(),
  /** Why the page could not run this selector, if it could not. */
  error: z.string().max(500).optional(),
});
export type SelectorCount = z.infer<typeof SelectorCount>;

export const SelfTestResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    url: z.string().max(2000),
    profileId: z.string().max(50),
    ticketId: z.string().max(200).nullable(),
    rows: z.array(SelectorCount).max(500),
  }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['no-helpdesk-tab', 'no-answer', 'no-profile', 'invalid-profile']),
    issues: z.array(ProfileIssue).max(200).optional(),
  }),
]);
export type SelfTestResult = z.infer<typeof SelfTestResult>;

/** The response schema for each request type. */
export const Responses = {
  // `record: null` with `ended`: the reply ended long ago (its tombstone); nothing new to show.
  // `kept: 'fallback'`: IndexedDB could not store it; it waits in storage.local until it can.
  'reply-failed': z.object({
    record: QueuedReply.nullable(),
    created: z.boolean(),
    ended: FinalState.optional(),
    kept: z.enum(['queue', 'fallback']).optional(),
  }),
  'renew-claim': z.object({ ok: z.boolean(), reason: z.string().optional() }),
  // `send`: the claim was renewed and nothing is out there; anything else was already recorded.
  'check-resend': z.object({ kind: z.enum(['send', 'delivered_late', 'unconfirmed', 'pending', 'unchecked', 'claimed_elsewhere']) }),
  'mark-sent': Ack,
  'resend-reply': Ack,
  'list-quarantine': z.object({
    records: z.array(z.object({ id: z.string(), problem: z.string(), at: z.number(), raw: z.unknown() })),
  }),
  'delete-quarantined': z.object({ deleted: z.number().int().nonnegative() }),
  'reply-delivered': Ack,
  'open-queue': Ack,
  'get-language-pack': z
    .record(z.string(), z.object({ message: z.string(), placeholders: z.record(z.string(), z.object({ content: z.string() })).optional() }))
    .nullable(),
  'get-ticket-view': TicketView,
  'claim-reply': ClaimResult,
  'retry-result': Ack,
  'hand-off': HandOffResult,
  'network-failure': Ack,
  'list-replies': QueueListing,
  'self-test-ready': Ack,
  'test-selectors': SelfTestResult,
  'retry-replies': z.object({ ok: z.boolean(), opened: z.boolean() }),
  'discard-reply': Ack,
  'restore-reply': Ack,
  'get-provider-health': z.object({ health: ProviderHealth, snoozed: z.boolean() }).nullable(),
  'banner-shown': Ack,
  'snooze-episode': Ack,
  'poll-status-now': z.object({ ok: z.boolean(), polled: z.number().int().nonnegative() }),
  'export-timeline': z.object({ markdown: z.string() }),
  'list-provider-health': z.array(ProviderHealth),
  'get-custom-profile': z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), profile: CustomProfile }),
    z.object({ ok: z.literal(false), reason: z.enum(['no-custom-profile', 'invalid-custom-profile']) }),
  ]),
  'save-page-mapping': Ack,
} satisfies Record<ToBackground['type'], z.ZodType>;

export type ResponseOf<T extends ToBackground['type']> = z.infer<(typeof Responses)[T]>;

// Worker → tab messages come only from this extension; the tab checks their type by hand
// (utils/ask-worker.ts, self-test.ts), so they are plain types, not schemas.

export type BackgroundToContent =
  | { type: 'queue-changed' }
  // The popup asked for retries on this tab's ticket: fetch the view and run them.
  | { type: 'retry-now' }
  | { type: 'health-changed'; channel: Channel; level: HealthLevel }
  // The merged provider health changed (an official source, or the detector): re-ask for it.
  | { type: 'provider-health-changed' };

/** Worker → the extension's own pages (popup, options), told to every open one; nobody listening is fine. */
export type BackgroundToExtensionPage = { type: 'queue-changed' };

/** A notice the worker sends the extension's pages (only this extension can message them). */
export function isExtensionPageNotice(raw: unknown): raw is BackgroundToExtensionPage {
  return typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'queue-changed';
}

/** Worker → tab requests that expect an answer (kept apart from the notices above). */
export type BackgroundToContentRequest =
  // A custom profile arrives parsed (the worker checked its JSON); the tab checks its selectors.
  { type: 'count-selectors'; profile: ProfileChoice; custom?: CustomProfile };

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
