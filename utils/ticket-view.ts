import type { TicketView } from './messages';
import type { QueuedReply, ReplyState } from './queue/record';

// The banner's view of its ticket, updated in the tab the moment the worker answers a recorded
// failure; the next refresh from the worker replaces it whole. Zod-free: the content script uses it.

/** States whose replies the banner lists (queue/record.ts UNSENT_STATES, which carries zod). */
const LISTED: readonly ReplyState[] = ['queued', 'sending', 'needs_attention'];

/** `view` with `record` in it (replacing its older copy), or without it once it is no longer unsent. */
export function withRecord(view: TicketView | null, record: QueuedReply): TicketView {
  const others = (view?.replies ?? []).filter((reply) => reply.id !== record.id);
  const replies = LISTED.includes(record.state) ? [...others, record].sort((a, b) => a.firstFailedAt - b.firstFailedAt) : others;
  return { replies, health: view?.health ?? null, retryNow: [] };
}
