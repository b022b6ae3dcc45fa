import { browser } from 'wxt/browser';
import type { BackgroundToContent, ContentToBackground, ResponseOf } from '../core/protocol';

/**
 * A content script's request to the worker. The worker zod-checks every request and builds its
 * answers from checked data, so the answer is trusted as typed here: parsing it again would put
 * a schema library into every helpdesk tab. A missing answer (no listener, worker gone) throws.
 */
export async function askWorker<M extends ContentToBackground>(message: M): Promise<ResponseOf<M['type']>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A worker stopped at the wrong moment can leave a request unanswered: a retry or a report must
  // not wait on it forever (its caller tries again, or the claim's lease decides).
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${message.type} within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
  });
  try {
    const answer: unknown = await Promise.race([browser.runtime.sendMessage(message), silence]);
    if (answer === undefined) throw new Error(`no answer to ${message.type}`);
    return answer as ResponseOf<M['type']>;
  } finally {
    clearTimeout(timer);
  }
}

const ANSWER_TIMEOUT_MS = 20_000;

const NOTICES: readonly string[] = [
  'queue-changed',
  'retry-now',
  'health-changed',
  'provider-health-changed',
] satisfies BackgroundToContent['type'][];

/** A notice the worker broadcasts to helpdesk tabs. Only this extension can message a content
 * script, and a notice carries nothing the tab reads: its type is all that is checked. */
export function isBackgroundNotice(raw: unknown): boolean {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' && NOTICES.includes(type);
}
