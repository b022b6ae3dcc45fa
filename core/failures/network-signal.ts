// The network signal's pure core, shared by the main-world script (which must stay tiny: no zod,
// no imports) and the isolated watcher. No browser API here.

/** All the main-world script ever forwards about one failed send: never bodies or texts. */
export interface NetworkFailure {
  code?: number;
  subcode?: number;
  type?: string;
}

/** Marks Send Guard's window messages; anything else on `message` is not ours. */
export const NETWORK_SIGNAL_TAG = 'send-guard:network-failure:v1';

/** Error answers above this are not parsed: no real Graph error is that large, and parsing would stall the page. */
export const MAX_ERROR_BODY_CHARS = 256 * 1024;

/** `type` values look like `OAuthException`: one word, so no sentence (or customer text) can pass as one. */
export const ERROR_TYPE_PATTERN = /^[A-Za-z][\w.]{0,63}$/;

/** A codeless failure event: no Graph code is known, only that the helpdesk says "failed". */
export const DELIVERY_FAILED_TYPE = 'delivery_failed';

// The Zendesk and Chatwoot profiles' ticketPath, duplicated so the main-world script need not load them.
const TICKET_PATH = /\/agent\/tickets\/(\d{1,20})|\/app\/accounts\/\d+\/(?:[^?#]*\/)?conversations\/(\d{1,20})/;
const MAX_DEPTH = 6;
const MAX_NODES = 2000;
const FAILED_STATUS = /^(failed|undelivered|not_delivered|delivery_failed|send_failed)$/i;

export function ticketFromPath(pathname: string): string | null {
  const match = TICKET_PATH.exec(pathname);
  return match?.[1] ?? match?.[2] ?? null;
}

function int(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 31) return value;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Finds a Graph-style error (`{"error": {"code", "error_subcode"?, "type"?}}`) anywhere in parsed
 * JSON, breadth first so the outermost wins, within a bounded depth and node count. A helpdesk's
 * own "failed" delivery event without a Graph code gives `{type: 'delivery_failed'}`.
 */
export function findNetworkFailure(root: unknown): NetworkFailure | null {
  const queue: [unknown, number][] = [[root, 0]];
  let deliveryFailed = false;
  for (let i = 0; i < queue.length; i++) {
    const [value, depth] = queue[i] as [unknown, number];
    if (!isObject(value)) continue;
    const error = Array.isArray(value) ? undefined : value.error;
    if (isObject(error) && !Array.isArray(error)) {
      const code = int(error.code);
      // Graph names it error_subcode; helpdesks that re-shape the error often say subcode.
      const subcode = int(error.error_subcode ?? error.subcode);
      const type = typeof error.type === 'string' && ERROR_TYPE_PATTERN.test(error.type) ? error.type : undefined;
      if (code !== undefined && (type !== undefined || subcode !== undefined)) {
        const failure: NetworkFailure = { code };
        if (subcode !== undefined) failure.subcode = subcode;
        if (type !== undefined) failure.type = type;
        return failure;
      }
    }
    if (!Array.isArray(value) && error != null) {
      const status = value.status ?? value.delivery_status ?? value.deliveryStatus;
      if (typeof status === 'string' && FAILED_STATUS.test(status)) deliveryFailed = true;
    }
    if (depth >= MAX_DEPTH) continue;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (queue.length >= MAX_NODES) break;
      if (isObject(child)) queue.push([child, depth + 1]);
    }
  }
  return deliveryFailed ? { type: DELIVERY_FAILED_TYPE } : null;
}

/** The same from response text; HTML, truncated or oversized text gives null, never a throw. */
export function readNetworkFailure(text: string): NetworkFailure | null {
  // Both shapes carry an "error" key: most responses are skipped without parsing.
  if (typeof text !== 'string' || text.length > MAX_ERROR_BODY_CHARS || !text.includes('"error"')) return null;
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return null;
  try {
    return findNetworkFailure(JSON.parse(text));
  } catch {
    // Not JSON: no failure this reader knows; the page's own handling of the response is untouched.
    return null;
  }
}

/** What the isolated watcher accepts from a window message: any page script can post one. */
export interface NetworkSignal extends NetworkFailure {
  ticket: string;
}

const SIGNAL_KEYS = new Set(['tag', 'ticket', 'code', 'subcode', 'type']);

/** A Graph code or subcode as the signal carries it (the worker's `GraphCode` schema says the same). */
export function isGraphCode(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2 ** 31;
}

/** The signal, if `data` is exactly one: the tag, a numeric ticket id, and well-formed optional fields, nothing else. */
export function readNetworkSignal(data: unknown): NetworkSignal | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  if (record.tag !== NETWORK_SIGNAL_TAG || Object.keys(record).some((key) => !SIGNAL_KEYS.has(key))) return null;
  const { ticket, code, subcode, type } = record;
  if (typeof ticket !== 'string' || !/^\d{1,20}$/.test(ticket)) return null;
  if ((code !== undefined && !isGraphCode(code)) || (subcode !== undefined && !isGraphCode(subcode))) return null;
  if (type !== undefined && (typeof type !== 'string' || !ERROR_TYPE_PATTERN.test(type))) return null;
  return {
    ticket,
    ...(code !== undefined ? { code } : {}),
    ...(subcode !== undefined ? { subcode } : {}),
    ...(type !== undefined ? { type } : {}),
  };
}
