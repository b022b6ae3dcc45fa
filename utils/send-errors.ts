import { ADVICE } from './error-advice';
import type { MessageKey } from './i18n';
import type { SendError } from './queue/record';

/**
 * What kind of trouble a failed send is. Only `provider_transient` (and, widespread,
 * `rate_limited`) says anything about the platform; the rest are about one conversation.
 */
export const ERROR_CLASSES = [
  'provider_transient',
  'rate_limited',
  'policy_window',
  'recipient_unavailable',
  'auth',
  'invalid_request',
  'unknown',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

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
  /** i18n key of the advice shown to the agent. */
  advice: MessageKey;
}

export { ADVICE };

interface Row {
  code: number;
  /** undefined = any subcode not listed in a more specific row. */
  subcode?: number;
  errorClass: ErrorClass;
}

// Rows with a subcode win over the code-only row. Sources are Meta's developer docs, as named.
const TABLE: readonly Row[] = [
  // Graph API "Handling errors": 1 API Unknown, 2 API Service — temporary, wait and retry.
  { code: 1, errorClass: 'provider_transient' },
  { code: 2, errorClass: 'provider_transient' },
  // Messenger Platform error codes: 2/2018344 — a Page admin must accept terms; no outage.
  { code: 2, subcode: 2018344, errorClass: 'auth' },
  // Messenger Platform error codes: 1200 "Temporary send message failure. Please try again later".
  { code: 1200, errorClass: 'provider_transient' },
  // Graph API "Handling errors": 4 app, 17 user, 32 Page, 613 custom rate limits; 341 app limit.
  { code: 4, errorClass: 'rate_limited' },
  { code: 17, errorClass: 'rate_limited' },
  { code: 32, errorClass: 'rate_limited' },
  { code: 341, errorClass: 'rate_limited' },
  { code: 613, errorClass: 'rate_limited' },
  // Graph API "Handling errors": 10 permission denied (code without a Messenger subcode).
  { code: 10, errorClass: 'auth' },
  // Messenger Platform error codes: 10/2018278 and 10/2018065 — outside the allowed messaging window.
  { code: 10, subcode: 2018278, errorClass: 'policy_window' },
  { code: 10, subcode: 2018065, errorClass: 'policy_window' },
  // Instagram Messaging error codes: 10/2534022 — outside the allowed window.
  { code: 10, subcode: 2534022, errorClass: 'policy_window' },
  // Messenger Platform error codes: 10/2018108 — this person isn't receiving messages from you.
  { code: 10, subcode: 2018108, errorClass: 'recipient_unavailable' },
  // Messenger Platform error codes: 551/1545041 — this person isn't available right now.
  { code: 551, errorClass: 'recipient_unavailable' },
  // Messenger Platform error codes: 100/2018001 — no matching user found.
  { code: 100, errorClass: 'invalid_request' },
  { code: 100, subcode: 2018001, errorClass: 'recipient_unavailable' },
  // Instagram Messaging error codes: 100/2534014 — no matching user found.
  { code: 100, subcode: 2534014, errorClass: 'recipient_unavailable' },
  // Messenger Platform error codes: 100/2018109 attachment too large — bad request, not the platform.
  { code: 100, subcode: 2018109, errorClass: 'invalid_request' },
  // Graph API "Handling errors": 190 access token expired or invalid; 102 session; 200–299 permissions.
  { code: 190, errorClass: 'auth' },
  { code: 102, errorClass: 'auth' },
  { code: 200, errorClass: 'auth' },
  // Messenger Platform error codes: 230 "Requires pages_messaging permission".
  { code: 230, errorClass: 'auth' },
  // Graph API "Handling errors": 368 temporarily blocked for policy violations — an admin must act.
  { code: 368, errorClass: 'auth' },
  // WhatsApp Cloud API error codes: 0 AuthException, 3 capability, 131031 account locked.
  { code: 0, errorClass: 'auth' },
  { code: 3, errorClass: 'auth' },
  { code: 131031, errorClass: 'auth' },
  // WhatsApp Cloud API error codes: 130429 throughput, 131048 spam, 131056 pair rate limit, 80007 WABA limit.
  { code: 130429, errorClass: 'rate_limited' },
  { code: 131048, errorClass: 'rate_limited' },
  { code: 131056, errorClass: 'rate_limited' },
  { code: 80007, errorClass: 'rate_limited' },
  // WhatsApp Cloud API error codes: 131047 re-engagement message (more than 24 h since the user wrote).
  { code: 131047, errorClass: 'policy_window' },
  // WhatsApp Cloud API error codes: 131026 message undeliverable, 131049 not delivered for ecosystem health.
  { code: 131026, errorClass: 'recipient_unavailable' },
  { code: 131049, errorClass: 'recipient_unavailable' },
  // WhatsApp Cloud API error codes: 131000 something went wrong, 131016 service unavailable, 133004 server unavailable.
  { code: 131000, errorClass: 'provider_transient' },
  { code: 131016, errorClass: 'provider_transient' },
  { code: 133004, errorClass: 'provider_transient' },
  // WhatsApp Cloud API error codes: 131008/131009 parameters, 131051 unsupported type, 132000/132001 templates.
  { code: 131008, errorClass: 'invalid_request' },
  { code: 131009, errorClass: 'invalid_request' },
  { code: 131051, errorClass: 'invalid_request' },
  { code: 132000, errorClass: 'invalid_request' },
  { code: 132001, errorClass: 'invalid_request' },
];

const BY_KEY = new Map<string, ErrorClass>(TABLE.map((row) => [`${row.code}/${row.subcode ?? '*'}`, row.errorClass]));

function classByCode(code: number, subcode: number | undefined): ErrorClass | undefined {
  if (subcode !== undefined) {
    const exact = BY_KEY.get(`${code}/${subcode}`);
    if (exact) return exact;
  }
  const byCode = BY_KEY.get(`${code}/*`);
  if (byCode) return byCode;
  // Graph API "Handling errors": 200–299 are permission errors.
  if (code >= 200 && code <= 299) return 'auth';
  return undefined;
}

// Bodies above this are not parsed: no real Graph error is that large, and parsing would stall the page.
const MAX_BODY_CHARS = 256 * 1024;

function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** Reads Meta's `{"error": {...}}` shape from parsed JSON or JSON text; anything else gives null. */
export function readGraphError(body: unknown): GraphErrorFields | null {
  let value = body;
  if (typeof value === 'string') {
    if (value.length > MAX_BODY_CHARS) return null;
    const trimmed = value.trim();
    if (!trimmed.startsWith('{')) return null;
    try {
      value = JSON.parse(trimmed);
    } catch {
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
  return { errorClass, code, subcode, advice: ADVICE[errorClass] };
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
    if (code !== undefined) {
      const byCode = classByCode(code, subcode);
      if (byCode) return result(byCode, code, subcode);
    }
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
