// Types shared by the sandbox server and exported for tests (re-exported from server.ts).

export const GRAPH_MODES = [
  'healthy',
  'outage',
  'hang',
  'intermittent',
  'policy_window',
  'recipient_unavailable',
  'throttled',
  'bad_token',
] as const;
export type GraphMode = (typeof GRAPH_MODES)[number];

export const OUTAGE_KINDS = ['rotate', 'code2', 'code1200', 'http500'] as const;
export type OutageKind = (typeof OUTAGE_KINDS)[number];

/**
 * Forced state of one fake status source; "auto" follows the Graph mode. "hostile" is an outage whose
 * every provider-written text carries markup and whose incident link is a `javascript:` URL.
 */
export const STATUS_FORCES = ['auto', 'operational', 'outage', 'hostile', 'html', '500', 'hang'] as const;
export type StatusForce = (typeof STATUS_FORCES)[number];
export type StatusSource = 'statuspage' | 'zendesk' | 'meta';
export type StatusForces = Record<StatusSource, StatusForce>;

/** `api`: a ticket created through Zendesk's API (sandbox/zendesk-api.ts), e.g. a shared outage ticket. */
export type Channel = 'facebook' | 'instagram' | 'email' | 'api';
export type Lang = 'en' | 'de';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A message the fake Graph API accepted: the "delivered exactly once" record. */
export interface SentMessage {
  message_id: string;
  recipient_id: string;
  text: string;
  at: string;
}

/** Why an outbound message failed, as the sandbox's own Graph client saw it. */
export interface DeliveryError {
  code: number | null;
  subcode: number | null;
  type: string | null;
  message: string;
  httpStatus: number | null;
  fbtraceId: string | null;
  timedOut: boolean;
}

export interface SandboxMessage {
  id: string;
  ticketId: number;
  author: 'end-user' | 'agent';
  senderName: string;
  text: string;
  createdAt: string;
  updatedAt: string;
  /** Bumped on every change so clients can drop stale copies. */
  version: number;
  internal: boolean;
  /** null for end-user messages and internal notes. */
  status: DeliveryStatus | null;
  error: DeliveryError | null;
  graphMessageId: string | null;
}

export interface Customer {
  name: string;
  /** Messenger page-scoped id or Instagram-scoped id. */
  psid?: string;
  email?: string;
}

/**
 * One entry of a ticket's events log (Agent Workspace's "Events" view): Zendesk lists a failed
 * social message there too (help article "Understanding why messages fail to send"), and the entry
 * stays as long as the ticket does.
 */
export interface TicketEvent {
  id: string;
  ticketId: number;
  at: string;
  kind: 'failed' | 'delivered_late';
  messageId: string;
  /** The provider's error as the helpdesk words it, or null for a late delivery. */
  detail: string | null;
}

export interface Ticket {
  id: number;
  subject: string;
  channel: Channel;
  lang: Lang;
  customer: Customer;
  requesterId: number;
  /** Facebook page id or Instagram account id that the conversation belongs to. */
  pageId?: string;
  pageName?: string;
  createdAt: string;
  messages: SandboxMessage[];
  events: TicketEvent[];
  /** Fields changed through Zendesk's API (sandbox/zendesk-api.ts); absent until the first write. */
  api?: TicketApiFields;
}

/**
 * How late the single-page helpdesk is (all ms, 0–30000): the ticket API's answer, a workspace's
 * content after it is opened, and the swap of the visible workspace after the URL changed.
 */
export interface UiDelays {
  ticketApiMs: number;
  renderMs: number;
  swapMs: number;
}

/** A ticket's Zendesk fields that the API writes: type, status, external id, tags, problem link. */
export interface TicketApiFields {
  type: 'problem' | 'incident' | 'question' | 'task' | null;
  status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  externalId: string | null;
  tags: string[];
  problemId: number | null;
  updatedAt: string;
}

/** One request to the Zendesk API, as `GET /__sandbox/writes` lists it (`?reads=1`: reads too). */
export interface ZendeskLogEntry {
  seq: number;
  at: string;
  kind: 'read' | 'write';
  method: string;
  /** Path with its query string. */
  path: string;
  status: number;
  /** The session's agent; null without a session. */
  user: string | null;
  userId: number | null;
  /** What the X-CSRF-Token header held. */
  csrf: 'valid' | 'invalid' | 'missing';
  /** A write's JSON body as sent (null for reads or an unreadable body). */
  body: unknown;
}

/** Body of POST /__sandbox/zendesk: forced failures of the next N requests, a forced lookup race, stale CSRF tokens. */
export interface ZendeskSwitches {
  fail: { status: 403 | 429 | 500 | 502 | 503; count: number; retryAfter?: number; scope: 'writes' | 'all' } | null;
  /** The next N external-id lookups wait for each other, so N browsers all see "no ticket yet". */
  race: number;
}

export interface ZendeskSwitchRequest {
  fail?: { status: 403 | 429 | 500 | 502 | 503; count?: number; retryAfter?: number; scope?: 'writes' | 'all' } | null;
  race?: number;
  rotateCsrf?: boolean;
}

/** Body of GET /__sandbox/state. */
export interface SandboxState {
  mode: GraphMode;
  failureRatio: number;
  outageKind: OutageKind;
  overrides: Record<string, GraphMode>;
  /** How long after Meta's answer the page shows delivered/failed (0: at once). */
  confirmDelayMs: number;
  sent: SentMessage[];
  attempts: number;
  status: StatusForces;
  delays: UiDelays;
}

/** Body of POST /__sandbox/mode (every field optional; omitted ones keep their value). */
export interface ModeRequest {
  mode?: GraphMode;
  failureRatio?: number;
  outageKind?: OutageKind;
  overrides?: Record<string, GraphMode>;
  confirmDelayMs?: number;
}

/** Body of POST /__sandbox/status. */
export type StatusRequest = Partial<StatusForces>;

/** Body of POST /__sandbox/tickets/<id>/deliver-late. */
export interface DeliverLateRequest {
  messageId: string;
}

/** Meta's Graph error object, as found under "error" in a response. */
export interface GraphError {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id: string;
}
