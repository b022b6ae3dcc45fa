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

export type Channel = 'facebook' | 'instagram' | 'email';
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
