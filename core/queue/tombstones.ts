import { normalizeReplyText } from '../../utils/hash';
import type { QueuedReply, Tombstone } from './record';
import { FINAL_STATES } from './states';

/** Tombstones are kept longer than a failed marker stays in view (a setting; this is its default). */
export const DEFAULT_TOMBSTONE_MS = 90 * 24 * 60 * 60_000;
/** At most this many; past it the oldest go first (a marker older than all of them is rare). */
export const MAX_TOMBSTONES = 20_000;

/** SHA-256 of the reply's comparison form, as hex: lets a later copy be recognised without keeping the text. */
export async function textHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(normalizeReplyText(text)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function isFinal(record: Pick<QueuedReply, 'state'>): boolean {
  return FINAL_STATES.includes(record.state);
}

/** The tombstone of a reply that ended: no text, no customer, only what recognises its markers. */
export function tombstoneOf(record: QueuedReply, hash: string): Tombstone {
  if (record.state !== 'sent' && record.state !== 'handed_off' && record.state !== 'discarded') {
    throw new Error(`a ${record.state} reply has not ended`);
  }
  return {
    id: record.id,
    idempotencyKey: record.idempotencyKey,
    helpdeskOrigin: record.helpdeskOrigin,
    ticketId: record.ticketId,
    messageIds: record.messageIds,
    textHash: hash,
    finalState: record.state,
    endedAt: record.updatedAt,
  };
}
