// How a helpdesk words a message's delivery status, read by whole words, never by substring:
// "Undelivered" and "Message could not be delivered" contain "delivered", "Sending failed"
// contains "sending". A negation before a word about sending or delivering ("not", "couldn't",
// "unable", "nicht", "kein") makes it a failure, and wins over the bare positive word. Plain
// lists, no zod: the content script reads them in every helpdesk tab.

export type StatusWord = 'failed' | 'delivered' | 'pending';

/**
 * The table, English then German, as Agent Workspace and the sandbox word statuses and toasts
 * ("Not delivered", "Message failed to send", "Nicht zugestellt", "Zustellung fehlgeschlagen" …).
 */
export const STATUS_WORDS = {
  /** Any of these says the send failed ("Sending failed", "Delivery failed", "Senden fehlgeschlagen" …). */
  failed: ['failed', 'undelivered', 'undeliverable', 'unzustellbar', 'fehlgeschlagen', 'gescheitert'],
  /** Said plainly, delivered; negated ("wasn't delivered", "nicht zugestellt"), failed. */
  delivered: ['delivered', 'zugestellt'],
  /** Neutral on their own ("Sent" is only accepted by the helpdesk); negated ("couldn't be sent", "could not send"), failed. */
  sending: ['sent', 'send', 'deliver', 'gesendet', 'senden', 'versendet', 'zustellen'],
  /** Still on its way. */
  pending: ['sending', 'pending', 'queued', 'resending', 'wird gesendet', 'wird zugestellt', 'ausstehend'],
} as const;

/** Words that negate a following word about sending ("not", "never", "unable", "nicht", …; any "…n't"). */
const NEGATIONS = new Set(['not', 'never', 'cannot', 'unable', 'nicht', 'nie', 'kein', 'keine']);
/** "not yet delivered" / "noch nicht zugestellt" is still on its way, not failed. */
const NOT_YET = new Set(['yet', 'noch']);
const REACH = 3;

/** Lower-case words of a text; apostrophes kept inside words ("couldn't"), curly ones made straight. */
export function statusTokens(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[\u2018\u2019\u02bc]/g, "'")
      .match(/[\p{L}\p{N}]+(?:'\p{L}+)*/gu) ?? []
  );
}

/** A word list prepared for matching: each entry's words. */
export interface StatusVocabulary {
  failed: readonly (readonly string[])[];
  delivered: readonly (readonly string[])[];
  pending: readonly (readonly string[])[];
}

/** The shared table plus a profile's own phrases (lower-cased, split into words). */
export function statusVocabulary(
  extra: { failed?: readonly string[]; delivered?: readonly string[]; pending?: readonly string[] } = {},
): StatusVocabulary {
  const prepare = (...lists: (readonly string[])[]) =>
    lists
      .flat()
      .map(statusTokens)
      .filter((words) => words.length > 0);
  return {
    failed: prepare(STATUS_WORDS.failed, extra.failed ?? []),
    delivered: prepare(STATUS_WORDS.delivered, extra.delivered ?? []),
    pending: prepare(STATUS_WORDS.pending, extra.pending ?? []),
  };
}

/** Every place `phrase` occurs in `tokens` as whole consecutive words. */
function* occurrences(tokens: readonly string[], phrase: readonly string[]): Generator<number> {
  for (let i = 0; i + phrase.length <= tokens.length; i++) if (phrase.every((word, k) => tokens[i + k] === word)) yield i;
}

const SENDING: readonly (readonly string[])[] = STATUS_WORDS.sending.map((word) => [word]);

/**
 * What one status text says: a failure word wins; then a word about delivering or sending that is
 * negated (failed, or pending when "not yet"); then a plain positive word (delivered); then a
 * pending word; null when it says none of these.
 */
export function readStatusWords(text: string, vocabulary: StatusVocabulary): StatusWord | null {
  const tokens = statusTokens(text);
  const has = (list: readonly (readonly string[])[]) => list.some((phrase) => !occurrences(tokens, phrase).next().done);
  if (has(vocabulary.failed)) return 'failed';
  let delivered = false;
  for (const phrase of [...vocabulary.delivered, ...SENDING]) {
    for (const at of occurrences(tokens, phrase)) {
      const before = tokens.slice(Math.max(0, at - REACH), at);
      if (before.some((word) => NEGATIONS.has(word) || word.endsWith("n't"))) {
        return before.some((word) => NOT_YET.has(word)) ? 'pending' : 'failed';
      }
      if (vocabulary.delivered.includes(phrase)) delivered = true;
    }
  }
  if (delivered) return 'delivered';
  return has(vocabulary.pending) ? 'pending' : null;
}
