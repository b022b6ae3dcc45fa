import type { TicketView } from '../protocol';
import type { QueuedReply } from './record';
import { UNSENT_STATES } from './states';

// The banner's view of its ticket, updated in the tab the moment the worker answers a recorded
// failure; the next refresh from the worker replaces it whole. Zod-free: the content script uses it.

/** `view` with `record` in it (replacing its older copy), or without it once it is no longer unsent. */
export function withRecord(view: TicketView | null, record: QueuedReply): TicketView {
  const others = (view?.replies ?? []).filter((reply) => reply.id !== record.id);
  const replies = UNSENT_STATES.includes(record.state) ? [...others, record].sort((a, b) => a.firstFailedAt - b.firstFailedAt) : others;
  return { replies, health: view?.health ?? null, retryNow: [] };
}
