import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { BoundedSet, SEEN_IDS_CAP } from '@/utils/bounded-set';
import { isWatchedChannel } from '@/utils/channels';
import { normalizeReplyText } from '@/utils/hash';
import { readMessage } from '@/utils/helpdesk/read';
import { observe } from '@/utils/observe';
import type { HelpdeskPage, TicketContext } from '../page';

/**
 * Reports outbound replies seen turning delivered while the agent works: the detector's
 * evidence that a channel has recovered. A reply counts once it was seen sending or failed
 * first, or was written after this page loaded. Replies already delivered when first seen (a
 * page load, a reload, a virtualized log re-adding old items) say nothing about now: reported
 * again, they would end a real outage with stale successes.
 */
const FLUSH_MS = 400;

export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const startedAt = Date.now();
  // Capped, so a long session's memory stays flat; only ids unseen for thousands of messages are forgotten.
  const unsettled = new BoundedSet<string>(SEEN_IDS_CAP);
  const done = new BoundedSet<string>(SEEN_IDS_CAP);
  const selector = page.profile.selectors.outbound.join(',');

  const onMessage = async (element: Element) => {
    const status = page.statusOf(element);
    if (status === 'unknown') return;
    const message = readMessage(element, page.profile);
    const key = message.messageId ?? normalizeReplyText(message.text);
    if (!key || done.has(key)) return;
    if (status !== 'delivered') {
      unsettled.add(key);
      return;
    }
    done.add(key);
    const seenTurning = unsettled.delete(key) || (message.at !== null && message.at >= startedAt);
    if (!seenTurning || page.isRetryMessage(message.messageId, normalizeReplyText(message.text))) return;
    const ticket = await page.ticketReady(ctx.signal);
    if (!isWatchedChannel(ticket.channel)) return;
    pending.push({ ticket, delivery: { ...(message.messageId ? { messageId: message.messageId } : {}), at: Date.now() } });
    if (pending.length === 1) ctx.setTimeout(() => void flush(), FLUSH_MS);
  };

  // Deliveries go to the worker in small batches: one message per reply made a busy page slower.
  const pending: { ticket: TicketContext; delivery: { messageId?: string; at: number } }[] = [];
  const flush = async () => {
    // Grouped by the ticket each was seen on: the agent may have switched tickets meanwhile.
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

  observe(selector, (element) => void onMessage(element), { signal: ctx.signal, attributes: page.watchedAttributes });
}
