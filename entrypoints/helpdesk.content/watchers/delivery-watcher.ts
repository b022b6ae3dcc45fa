import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { isWatchedChannel } from '@/core/channels';
import { readMessage } from '@/profiles/read';
import { BoundedSet, SEEN_IDS_CAP } from '@/utils/bounded-set';
import { normalizeReplyText } from '@/utils/hash';
import type { HelpdeskPage, TicketContext } from '../page';

/**
 * Reports outbound replies seen turning delivered while the agent works: the detector's
 * evidence that a channel has recovered. A reply counts once it was seen sending or failed
 * first, or was written after this page loaded. Replies already delivered when first seen (a
 * page load, a reload, a virtualized log re-adding old items) say nothing about now: reported
 * again, they would end a real outage with stale successes. Each is told under its own ticket.
 */
const FLUSH_MS = 400;

export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const startedAt = Date.now();
  // Capped, so a long session's memory stays flat; only ids unseen for thousands of messages are forgotten.
  const unsettled = new BoundedSet<string>(SEEN_IDS_CAP);
  const done = new BoundedSet<string>(SEEN_IDS_CAP);

  const onMessage = async (element: Element) => {
    const status = page.statusOf(element);
    if (status === 'unknown') return;
    const message = readMessage(element, page.profile);
    const ticketId = page.ticketIdOf(element, Date.now());
    const key = `${ticketId ?? ''}|${message.messageId ?? normalizeReplyText(message.text)}`;
    if (!message.messageId && !normalizeReplyText(message.text)) return;
    if (done.has(key)) return;
    if (status !== 'delivered') {
      unsettled.add(key);
      return;
    }
    done.add(key);
    const seenTurning = unsettled.delete(key) || (message.at !== null && message.at >= startedAt);
    if (!seenTurning || !ticketId || page.isRetryMessage(message.messageId, normalizeReplyText(message.text), ticketId)) return;
    const ticket = await page.contextFor(ticketId, ctx.signal);
    if (!ticket || !isWatchedChannel(ticket.channel)) return;
    pending.push({ ticket, delivery: { ...(message.messageId ? { messageId: message.messageId } : {}), at: Date.now() } });
    if (pending.length === 1) ctx.setTimeout(() => void flush(), FLUSH_MS);
  };

  // Deliveries go to the worker in small batches: one message per reply made a busy page slower.
  const pending: { ticket: TicketContext; delivery: { messageId?: string; at: number } }[] = [];
  const flush = async () => {
    const byTicket = new Map<string, { ticket: TicketContext; deliveries: { messageId?: string; at: number }[] }>();
    for (const { ticket, delivery } of pending.splice(0, pending.length)) {
      const key = `${ticket.helpdeskOrigin}|${ticket.ticketId}`;
      const group = byTicket.get(key) ?? { ticket, deliveries: [] };
      group.deliveries.push(delivery);
      byTicket.set(key, group);
    }
    for (const { ticket, deliveries } of byTicket.values()) {
      if (!isWatchedChannel(ticket.channel)) continue;
      await page
        .ask({
          type: 'reply-delivered',
          ticket: { helpdeskOrigin: ticket.helpdeskOrigin, ticketId: ticket.ticketId },
          channel: ticket.channel,
          deliveries: deliveries.slice(-200),
        })
        .catch(() => undefined); // A lost success only delays recovery; it never loses a reply.
    }
  };

  page.logs.subscribe((element) => void onMessage(element), ctx.signal);
}
