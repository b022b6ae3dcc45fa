import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { BoundedSet, SEEN_IDS_CAP } from '@/utils/bounded-set';
import { isWatchedChannel } from '@/utils/channels';
import { normalizeReplyText } from '@/utils/hash';
import { readDisplayText, readFailureText, readMessage } from '@/utils/helpdesk/read';
import { observe } from '@/utils/observe';
import { reportNotKept } from '../not-kept';
import type { HelpdeskPage } from '../page';

/** Spots outbound replies marked as failed and hands each to the background queue once. */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  // Capped: a forgotten old failure seen again is reported again, and the queue keeps it one record.
  const reported = new BoundedSet<string>(SEEN_IDS_CAP);
  const selector = page.profile.selectors.outbound.join(',');

  // How often storing each reply failed: the next try waits longer.
  const failures = new Map<string, number>();
  const onMessage = async (element: Element) => {
    if (page.statusOf(element) !== 'failed') return;
    const message = readMessage(element, page.profile);
    const normalized = normalizeReplyText(message.text);
    if (!normalized) return;
    // One report per helpdesk message; re-renders of the same message carry the same id.
    const key = message.messageId ?? `${normalized}|${message.at ?? ''}`;
    if (reported.has(key) || page.isRetryMessage(message.messageId, normalized)) return;
    reported.add(key);
    const ticket = await page.ticketReady(ctx.signal);
    if (!isWatchedChannel(ticket.channel)) return;
    const uiText = readFailureText(element, page.profile);
    const exact = [...page.submitted].reverse().find((s) => normalizeReplyText(s.text) === normalized)?.text;
    try {
      const { record } = await page.ask({
        type: 'reply-failed',
        reply: {
          helpdeskOrigin: ticket.helpdeskOrigin,
          ticketId: ticket.ticketId,
          channel: ticket.channel,
          ...(ticket.customerName ? { customerName: ticket.customerName } : {}),
          ...(ticket.pageId ? { pageId: ticket.pageId } : {}),
          ...(ticket.userId ? { userId: ticket.userId } : {}),
          ...(message.messageId ? { messageId: message.messageId } : {}),
          text: exact ?? readDisplayText(message),
          // The worker classifies what the page said; the page only reports it.
          error: uiText ? { message: uiText } : {},
          failedAt: message.at ?? Date.now(),
          ticketUrl: `${location.origin}${location.pathname}`,
        },
      });
      failures.delete(key);
      // No record: the reply ended long ago (its tombstone), nothing new to show.
      if (record) page.showRecord(ticket, record);
    } catch {
      // Not stored: the banner says so with the text to copy, and storing is tried again.
      reported.delete(key);
      const attempt = failures.get(key) ?? 0;
      failures.set(key, attempt + 1);
      reportNotKept(page, ctx, { ticket, text: exact ?? readDisplayText(message) }, () => void onMessage(element), attempt);
    }
  };

  observe(selector, (element) => void onMessage(element), { signal: ctx.signal, attributes: page.watchedAttributes });
}
