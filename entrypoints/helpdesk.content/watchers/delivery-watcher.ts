import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { isWatchedChannel } from '@/utils/channels';
import { normalizeReplyText } from '@/utils/hash';
import { readMessage, readOutboundStatus } from '@/utils/helpdesk/read';
import { observe } from '@/utils/observe';
import type { HelpdeskPage } from '../page';

/**
 * Reports outbound replies seen turning delivered while the agent works: the detector's
 * evidence that a channel has recovered. Replies already delivered when the page loaded say
 * nothing about now, so they are only noted.
 */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const known = new Set<string>();
  let initialPass = true;
  const selector = page.profile.selectors.outbound.join(',');

  const onMessage = async (element: Element) => {
    if (readOutboundStatus(element, page.profile) !== 'delivered') return;
    const message = readMessage(element, page.profile);
    const key = message.messageId ?? normalizeReplyText(message.text);
    if (known.has(key)) return;
    known.add(key);
    if (initialPass || page.isRetryMessage(message.messageId, normalizeReplyText(message.text))) return;
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
  initialPass = false;
}
