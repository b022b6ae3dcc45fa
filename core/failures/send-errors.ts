import type { SendError } from '../queue/record';
import type { ErrorClass } from '../schemas';
import { MAX_ERROR_BODY_CHARS } from './network-signal';

/** Everything that may be known about one failed send; every field is optional. */
export interface SendFailureEvidence {
  code?: number | undefined;
  subcode?: number | undefined;
  type?: string | undefined;
  isTransient?: boolean | undefined;
  httpStatus?: number | undefined;
  /** A response body of unknown shape (JSON text, HTML, anything). */
  body?: unknown;
  /** Failure label and detail text as the helpdesk shows them, any language. */
  uiText?: string | undefined;
  timedOut?: boolean | undefined;
  networkError?: boolean | undefined;
}

export interface GraphErrorFields {
  code?: number | undefined;
  subcode?: number | undefined;
  type?: string | undefined;
  message?: string | undefined;
  isTransient?: boolean | undefined;
}

export interface Classification {
  errorClass: ErrorClass;
  code?: number | undefined;
  subcode?: number | undefined;
  /** Meta says a resend cannot succeed (or would duplicate): never auto-retried, never an outage signal. */
  doNotRetry: boolean;
}

/** Which Meta product documents a code (a pair may be listed by several). */
export type ErrorPlatform = 'graph' | 'messenger' | 'instagram' | 'whatsapp';

/**
 * Where each row was read, by strength of evidence. Meta's pages are not fetched at run time; these
 * are the pages (and the public reproductions of them that could be read) behind the rows. Kept as
 * data so tests can count the pairs per platform; unused in the page script, so bundlers drop it there.
 */
export const ERROR_SOURCES = {
  // Read in a copy of Meta's own documentation.
  messenger:
    'Meta, Messenger Platform "Common Error Codes", updated 2026-03-18 (developers.facebook.com/docs/messenger-platform/error-codes): its first rows, read in stored copies of the page, 9/2018352 in help.sleekflow.io\'s reproduction of it',
  sendApi:
    'Meta, Messenger Send API reference, "Errors" section (developers.facebook.com/docs/messenger-platform/send-api-reference#errors), as copied in github Vlix/facebookmessenger src/Web/Facebook/Messenger/Types/Responses.hs (current and old tables) and in a stored snapshot of the page',
  whatsapp:
    'Meta, WhatsApp Cloud API "Error codes" (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes), as reproduced by niswey.com/knowledge-base/error-codes-meta, docs.whatstool.business, github AlexSzefezuk/meta-whatsapp-error-codes-pt-br errors.json and MarcosNicolau/whatsapp-business-sdk src/types/error.ts',
  whatsappHelp:
    'Vendor help pages quoting Meta on WhatsApp delivery refusals: help.chatdaddy.tech (131050 "Do not retry"), help.hello-charles.com (131049, 131050, 130472), braze-inc/braze-docs whatsapp/meta_resources.md (131049)',
  // Meta's documentation whose table could not be read here; the pair and meaning corroborated elsewhere.
  graph:
    'Meta, Graph API "Handling errors" (developers.facebook.com/docs/graph-api/guides/error-handling; the stored copy shows its introduction only), corroborated by the Graph codes in the WhatsApp table reproductions (0–4, 10, 100, 190, 200–299, 368) and github AsmaaGamal30/laravel-meta-messaging src/Exceptions/ErrorCatalog.php (17, 32, 102, 190/458/460/463/467/492, 341, 613)',
  windowMessage:
    'Meta, older Send API "error codes" page (developers.facebook.com/docs/messenger-platform/reference/send-api/error-codes): its first permission error "This message is sent outside of allowed window", whose code column the stored copy lost; the pair 10/2018278 from github AsmaaGamal30/laravel-meta-messaging ErrorCatalog.php and public send code',
  // Public client code only, not Meta documentation.
  instagramCode:
    "Public client code handling Instagram Send API refusals (two independent projects): 10/2534022 outside the allowed window, 100/2534014 the user cannot be found; not found in a stored copy of Meta's pages",
  publicCode:
    'Public client code, not Meta documentation: github AsmaaGamal30/laravel-meta-messaging src/Exceptions/ErrorCatalog.php; octalasai.com/integration-hub/troubleshoot-messenger; instantreply.co whatsapp-meta-error-code-lookup; send code mapping 551/1545041 to an unreachable recipient',
} as const;
export type ErrorSource = keyof typeof ERROR_SOURCES;

export interface ErrorRow {
  platform: ErrorPlatform;
  /** null: the subcode decides, whatever code it arrives with. */
  code: number | null;
  subcode?: number;
  errorClass: ErrorClass;
  /** Meta says (or the evidence shows) a resend cannot succeed: never auto-retried, never counted toward an outage. */
  doNotRetry: boolean;
  source: ErrorSource;
}

function row(
  platform: ErrorPlatform,
  code: number | null,
  subcode: number | undefined,
  errorClass: ErrorClass,
  source: ErrorSource,
  doNotRetry = false,
): ErrorRow {
  return { platform, code, ...(subcode !== undefined ? { subcode } : {}), errorClass, doNotRetry, source };
}

const NEVER = true;

// Order of precedence: code + subcode, then a subcode on its own (it decides over its code), then the
// code. A pair listed by several platforms must mean the same everywhere (a unit test checks it).
export const ERROR_ROWS: readonly ErrorRow[] = [
  // Graph API "Handling errors": 1 API Unknown and 2 API Service are temporary; 4/17/32/613/341 throttling;
  // 3, 10 and 200–299 permissions; 102 session; 190 token (with its subcodes); 368 policy block on the account.
  row('graph', 1, undefined, 'provider_transient', 'graph'),
  row('graph', 2, undefined, 'provider_transient', 'graph'),
  row('graph', 3, undefined, 'auth', 'graph'),
  row('graph', 4, undefined, 'rate_limited', 'graph'),
  row('graph', 17, undefined, 'rate_limited', 'graph'),
  row('graph', 32, undefined, 'rate_limited', 'graph'),
  row('graph', 341, undefined, 'rate_limited', 'graph'),
  row('graph', 613, undefined, 'rate_limited', 'graph'),
  row('graph', 10, undefined, 'auth', 'graph'),
  row('graph', 102, undefined, 'auth', 'graph'),
  row('graph', 190, undefined, 'auth', 'graph'),
  row('graph', 190, 458, 'auth', 'graph'),
  row('graph', 190, 460, 'auth', 'graph'),
  row('graph', 190, 463, 'auth', 'graph'),
  row('graph', 190, 467, 'auth', 'graph'),
  row('graph', 190, 492, 'auth', 'graph'),
  row('graph', 200, undefined, 'auth', 'graph'),
  row('graph', 368, undefined, 'auth', 'graph'),

  // Messenger "Common Error Codes" (current page).
  // 1/99: "Missing permissions can cause this issue" (Advanced Access, Business Verification).
  row('messenger', 1, 99, 'auth', 'messenger'),
  // 1/1357046: "The messages are all sent successfully, but the endpoint returns an error": a resend would duplicate.
  row('messenger', 1, 1357046, 'unknown', 'messenger', NEVER),
  row('messenger', 2, undefined, 'provider_transient', 'messenger'),
  // 2/2018344: the Page admin must accept the Privacy Terms of Service: an account matter, not an outage.
  row('messenger', 2, 2018344, 'auth', 'messenger'),
  row('messenger', 4, undefined, 'rate_limited', 'messenger'),
  // 4/2018354: a marketing message's minimum delay per person; "It is okay to ignore this error".
  row('messenger', 4, 2018354, 'recipient_unavailable', 'messenger', NEVER),
  // 9/2018352: "User is performing too many actions" (the person's marketing-message limit).
  row('messenger', 9, 2018352, 'recipient_unavailable', 'messenger'),

  // Messenger Send API reference, "Errors" (older page, current and old tables).
  // 2 (old table): "Send message failure. Internal server error"; 1200: "Temporary send message failure".
  row('messenger', 2, undefined, 'provider_transient', 'sendApi'),
  row('messenger', 1200, undefined, 'provider_transient', 'sendApi'),
  row('messenger', 4, 2018022, 'rate_limited', 'sendApi'),
  row('messenger', 100, 2018109, 'invalid_request', 'sendApi'),
  row('messenger', 613, undefined, 'rate_limited', 'sendApi'),
  // 100 "Invalid fbid."; 100/2018001 "No matching user found".
  row('messenger', 100, undefined, 'invalid_request', 'sendApi'),
  row('messenger', 100, 2018001, 'recipient_unavailable', 'sendApi'),
  row('messenger', 190, undefined, 'auth', 'sendApi'),
  // 10/2018065: "This message is sent outside of allowed window. You need page_messaging_subscriptions permission".
  row('messenger', 10, 2018065, 'policy_window', 'sendApi'),
  // 10/2018108 and 200/1545041: "This person isn't receiving messages from you right now".
  row('messenger', 10, 2018108, 'recipient_unavailable', 'sendApi'),
  // The subcode decides over its code: 200/1545041 is a person who can't be reached, not a permission.
  row('messenger', 200, 1545041, 'recipient_unavailable', 'sendApi', NEVER),
  row('messenger', null, 1545041, 'recipient_unavailable', 'sendApi', NEVER),
  row('messenger', null, 2018001, 'recipient_unavailable', 'sendApi'),
  // 200 (or 10)/2018028, 200/2018027: the app is not live for pages_messaging(_phone_number); 200/2018021 a fee unpaid.
  row('messenger', 200, 2018028, 'auth', 'sendApi'),
  row('messenger', 10, 2018028, 'auth', 'sendApi'),
  row('messenger', 200, 2018027, 'auth', 'sendApi'),
  row('messenger', 200, 2018021, 'auth', 'sendApi'),
  // 551 "This person isn't receiving messages from you right now" (User Block Errors): a resend cannot reach them.
  row('messenger', 551, undefined, 'recipient_unavailable', 'sendApi', NEVER),
  row('messenger', 10303, undefined, 'invalid_request', 'sendApi'),
  // 10/2018278 "This message is sent outside of allowed window".
  row('messenger', 10, 2018278, 'policy_window', 'windowMessage'),
  row('messenger', null, 2018278, 'policy_window', 'windowMessage'),

  // Public code only (not Meta's table): 551/1545041 the person is unavailable; 230 the token lacks
  // pages_messaging; 100/2534029 the business is blocked by Meta for a policy violation (an account
  // problem, not a bad request); 200/2534041 app access removed; 190/490 security checkpoint;
  // 190/2069032 Page permissions missing.
  row('messenger', 551, 1545041, 'recipient_unavailable', 'publicCode', NEVER),
  row('messenger', 230, undefined, 'auth', 'publicCode'),
  row('messenger', 100, 2534029, 'auth', 'publicCode'),
  row('messenger', 200, 2534041, 'auth', 'publicCode'),
  row('messenger', 190, 490, 'auth', 'publicCode'),
  row('messenger', 190, 2069032, 'auth', 'publicCode'),

  // Instagram: the Messenger Platform sends to Instagram too ("To send messages to a person on Messenger
  // or Instagram", developers.facebook.com/docs/messenger-platform/send-messages), so the rows above
  // apply. Its own subcodes, from public code: 10/2534022 outside the window, 100/2534014 no matching user.
  row('instagram', 10, 2534022, 'policy_window', 'instagramCode'),
  row('instagram', 100, 2534014, 'recipient_unavailable', 'instagramCode'),
  row('instagram', null, 2534022, 'policy_window', 'instagramCode'),
  row('instagram', null, 2534014, 'recipient_unavailable', 'instagramCode'),

  // WhatsApp Cloud API "Error codes".
  row('whatsapp', 0, undefined, 'auth', 'whatsapp'),
  row('whatsapp', 1, undefined, 'provider_transient', 'whatsapp'),
  row('whatsapp', 2, undefined, 'provider_transient', 'whatsapp'),
  row('whatsapp', 3, undefined, 'auth', 'whatsapp'),
  row('whatsapp', 4, undefined, 'rate_limited', 'whatsapp'),
  row('whatsapp', 10, undefined, 'auth', 'whatsapp'),
  // 33: "The business phone number has been deleted": the account, not the request.
  row('whatsapp', 33, undefined, 'auth', 'whatsapp'),
  row('whatsapp', 100, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 190, undefined, 'auth', 'whatsapp'),
  row('whatsapp', 200, undefined, 'auth', 'whatsapp'),
  // 368: the WhatsApp Business Account is restricted or disabled for a policy violation.
  row('whatsapp', 368, undefined, 'auth', 'whatsapp'),
  // 506 Duplicate Post: the same message was already accepted; resending would send it twice.
  row('whatsapp', 506, undefined, 'invalid_request', 'whatsapp', NEVER),
  row('whatsapp', 80007, undefined, 'rate_limited', 'whatsapp'),
  row('whatsapp', 130429, undefined, 'rate_limited', 'whatsapp'),
  // 130472: the user's number is part of an experiment; "do not retry immediately".
  row('whatsapp', 130472, undefined, 'recipient_unavailable', 'whatsapp', NEVER),
  row('whatsapp', 131000, undefined, 'provider_transient', 'whatsapp'),
  row('whatsapp', 131001, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 131002, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 131005, undefined, 'auth', 'whatsapp'),
  row('whatsapp', 131006, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 131008, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 131009, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 131016, undefined, 'provider_transient', 'whatsapp'),
  row('whatsapp', 131021, undefined, 'invalid_request', 'whatsapp'),
  // 131026 message undeliverable (not on WhatsApp, blocked the business, old app, terms not accepted).
  row('whatsapp', 131026, undefined, 'recipient_unavailable', 'whatsapp', NEVER),
  row('whatsapp', 131031, undefined, 'auth', 'whatsapp'),
  // 131042 business eligibility (payment): the account, not the request.
  row('whatsapp', 131042, undefined, 'auth', 'whatsapp'),
  // 131043 message expired before it could be delivered.
  row('whatsapp', 131043, undefined, 'recipient_unavailable', 'whatsapp'),
  row('whatsapp', 131045, undefined, 'auth', 'whatsapp'),
  // 131047 re-engagement message: more than 24 hours since the customer last wrote.
  row('whatsapp', 131047, undefined, 'policy_window', 'whatsapp'),
  row('whatsapp', 131048, undefined, 'rate_limited', 'whatsapp'),
  // 131049 Meta chose not to deliver (per-user marketing limit, ecosystem health).
  row('whatsapp', 131049, undefined, 'recipient_unavailable', 'whatsapp', NEVER),
  // 131050 the user stopped marketing messages from this business: must be respected, never retried.
  row('whatsapp', 131050, undefined, 'recipient_unavailable', 'whatsappHelp', NEVER),
  row('whatsapp', 131051, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 131052, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 131053, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 131055, undefined, 'invalid_request', 'whatsapp'),
  // 131056 pair rate limit: too many messages to the same number; "wait and retry".
  row('whatsapp', 131056, undefined, 'rate_limited', 'whatsapp'),
  // 131063 the business may not message users in this country.
  row('whatsapp', 131063, undefined, 'recipient_unavailable', 'whatsapp'),
  row('whatsapp', 132000, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 132001, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 132005, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 132007, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 132012, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 132015, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 133004, undefined, 'provider_transient', 'whatsapp'),
  row('whatsapp', 133016, undefined, 'rate_limited', 'whatsapp'),
  row('whatsapp', 134101, undefined, 'invalid_request', 'whatsapp'),
  row('whatsapp', 134102, undefined, 'invalid_request', 'whatsapp'),
];

const key = (code: number | null, subcode: number | undefined) => `${code ?? '*'}/${subcode ?? '*'}`;
// First row per pair wins; the unit test proves every repeat of a pair agrees with it.
const BY_KEY = new Map<string, ErrorRow>();
for (const r of ERROR_ROWS) if (!BY_KEY.has(key(r.code, r.subcode))) BY_KEY.set(key(r.code, r.subcode), r);

/** The documented row for a code and subcode: exact pair, else the subcode alone, else the code. */
export function findErrorRow(code: number | undefined, subcode: number | undefined): ErrorRow | undefined {
  if (code === undefined && subcode === undefined) return undefined;
  if (subcode !== undefined) {
    const exact = code !== undefined ? BY_KEY.get(key(code, subcode)) : undefined;
    const bySubcode = BY_KEY.get(key(null, subcode));
    if (exact ?? bySubcode) return exact ?? bySubcode;
  }
  return code !== undefined ? BY_KEY.get(key(code, undefined)) : undefined;
}

/** True when Meta's documentation says resending this error cannot succeed. */
export function isDoNotRetry(error: { code?: number | undefined; subcode?: number | undefined }): boolean {
  return findErrorRow(error.code, error.subcode)?.doNotRetry === true;
}

function classByCode(code: number, subcode: number | undefined): ErrorClass | undefined {
  const found = findErrorRow(code, subcode);
  if (found) return found.errorClass;
  // Graph API "Handling errors": 200–299 are permission errors.
  if (code >= 200 && code <= 299) return 'auth';
  return undefined;
}

function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** Reads Meta's `{"error": {...}}` shape from parsed JSON or JSON text; anything else gives null. */
export function readGraphError(body: unknown): GraphErrorFields | null {
  let value = body;
  if (typeof value === 'string') {
    if (value.length > MAX_ERROR_BODY_CHARS) return null;
    const trimmed = value.trim();
    if (!trimmed.startsWith('{')) return null;
    try {
      value = JSON.parse(trimmed);
    } catch {
      // Not JSON, so not Meta's error shape: null, as for any other body.
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const e = error as Record<string, unknown>;
  const fields: GraphErrorFields = {
    code: toInt(e.code),
    subcode: toInt(e.error_subcode),
    type: typeof e.type === 'string' ? e.type.slice(0, 100) : undefined,
    message: typeof e.message === 'string' ? e.message.slice(0, 500) : undefined,
    isTransient: typeof e.is_transient === 'boolean' ? e.is_transient : undefined,
  };
  return fields.code === undefined && fields.message === undefined ? null : fields;
}

// UI wording is matched in English and German; checked in this order, most specific first.
// "vorübergehend nicht verfügbar" is a service being down (HTTP 503 wording), not a person.
const TEXT_RULES: ReadonlyArray<[RegExp, ErrorClass]> = [
  [/allowed window|24[- ]?hour|24[- ]?stunden|zeitfenster|messaging window|re-?engagement/i, 'policy_window'],
  [
    /isn.t available right now|isn.t receiving messages|no matching user|cannot receive messages|(?<!vorübergehend )nicht verfügbar|empfängt keine nachrichten|kein passender nutzer|blocked you|hat dich blockiert/i,
    'recipient_unavailable',
  ],
  [/rate limit|too many|zu viele|ratenlimit|anfragelimit/i, 'rate_limited'],
  [/access token|reconnect|permission|zugriffstoken|erneut verbinden|berechtigung|session has expired|sitzung ist abgelaufen/i, 'auth'],
  [
    /temporar|try again later|unexpected error|service unavailable|timed out|timeout|vorübergehend|später erneut|unerwarteter fehler|zeitüberschreitung|nicht erreichbar/i,
    'provider_transient',
  ],
];

const MAX_TEXT_CHARS = 4000;

/** Reads "(#10)", "code 10", "Fehlercode 10", "subcode 2018278" from a helpdesk's error detail. */
export function readCodesFromText(text: string): { code?: number; subcode?: number } {
  const sample = text.slice(0, MAX_TEXT_CHARS);
  const subcode = /sub-?code\s*:?\s*(\d{1,9})/i.exec(sample)?.[1];
  const code =
    /\(#(\d{1,9})\)/.exec(sample)?.[1] ??
    /(?:error[ _-]?code|fehlercode|code)\s*:?\s*(\d{1,9})/i.exec(sample.replace(/sub-?code\s*:?\s*\d+/gi, ''))?.[1];
  return {
    ...(code !== undefined ? { code: Number(code) } : {}),
    ...(subcode !== undefined ? { subcode: Number(subcode) } : {}),
  };
}

function classifyText(text: string): ErrorClass | undefined {
  const sample = text.slice(0, MAX_TEXT_CHARS);
  for (const [pattern, errorClass] of TEXT_RULES) if (pattern.test(sample)) return errorClass;
  return undefined;
}

function classifyHttpStatus(status: number | undefined): ErrorClass | undefined {
  if (status === undefined || !Number.isInteger(status)) return undefined;
  if (status >= 500 && status <= 599) return 'provider_transient';
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 400 && status <= 499) return 'invalid_request';
  return undefined;
}

function result(errorClass: ErrorClass, code?: number, subcode?: number): Classification {
  return { errorClass, code, subcode, doNotRetry: isDoNotRetry({ code, subcode }) };
}

/**
 * Maps what is known about a failed send to an error class. Total: any input, however
 * malformed, yields a class (at worst `unknown`) and never throws.
 */
export function classifySendError(evidence: SendFailureEvidence): Classification {
  try {
    const fromBody = evidence.body === undefined ? null : readGraphError(evidence.body);
    const fromText = evidence.uiText ? readCodesFromText(evidence.uiText) : {};
    const code = toInt(evidence.code) ?? fromBody?.code ?? fromText.code;
    const subcode = toInt(evidence.subcode) ?? fromBody?.subcode ?? fromText.subcode;
    const byCode = code !== undefined ? classByCode(code, subcode) : findErrorRow(undefined, subcode)?.errorClass;
    if (byCode) return result(byCode, code, subcode);
    if (evidence.isTransient === true || fromBody?.isTransient === true) {
      return result('provider_transient', code, subcode);
    }
    if (evidence.timedOut || evidence.networkError) return result('provider_transient', code, subcode);
    const text = [evidence.uiText, fromBody?.message].filter(Boolean).join(' ');
    const byText = text ? classifyText(text) : undefined;
    if (byText) return result(byText, code, subcode);
    const byStatus = classifyHttpStatus(evidence.httpStatus);
    if (byStatus) return result(byStatus, code, subcode);
    return result('unknown', code, subcode);
  } catch {
    // Total by contract: the caller keeps the reply either way, only the advice is the generic one.
    return result('unknown');
  }
}

/** The stored error of a send the helpdesk showed as failed, from the failure text it showed (if any). */
export function sendErrorFromText(uiText: string | undefined): SendError {
  const { errorClass, code, subcode } = classifySendError({ uiText });
  return {
    errorClass,
    ...(code !== undefined ? { code } : {}),
    ...(subcode !== undefined ? { subcode } : {}),
    ...(uiText ? { message: uiText } : {}),
  };
}
