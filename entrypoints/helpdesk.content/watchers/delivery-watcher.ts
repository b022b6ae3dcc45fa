import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { isWatchedChannel } from '@/utils/channels';
import { normalizeReplyText } from '@/utils/hash';
import { readMessage, readOutboundStatus } from '@/utils/helpdesk/read';
import { observe } from '@/utils/observe';
import type { HelpdeskPage } from '../page';

/**
 * Reports outbound replies seen turning delivered while the agent works: the detector's
 * evidence that a channel has recovered. A reply counts once it was seen sending or failed
 * first, or was written after this page loaded. Replies already delivered when first seen (a
 * page load, a reload, a virtualized log re-adding old items) say nothing about now: reported
 * again, they would end a real outage with stale successes.
 */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const startedAt = Date.now();
  const unsettled = new Set<string>();
  const done = new Set<string>();
  const selector = page.profile.selectors.outbound.join(',');

  const onMessage = async (element: Element) => {
    const status = readOutboundStatus(element, page.profile);
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
    await page
      .ask({
        type: 'reply-delivered',
        ticket: { helpdeskOrigin: ticket.helpdeskOrigin, ticketId: ticket.ticketId },
        channel: ticket.channel,
        ...(message.messageId ? { messageId: message.messageId } : {}),
        at: Date.now(),
      })
      .catch(() => undefined); // A lost success only delays recovery; it never loses a reply.
  };

  observe(selector, (element) => void onMessage(element), { signal: ctx.signal });
}
