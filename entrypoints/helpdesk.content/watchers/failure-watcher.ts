import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { isWatchedChannel } from '@/core/channels';
import { readDisplayText, readFailureText, readMessage } from '@/profiles/read';
import { BoundedSet, SEEN_IDS_CAP } from '@/utils/bounded-set';
import { normalizeReplyText } from '@/utils/hash';
import { reportNotKept } from '../not-kept';
import { type HelpdeskPage, SETTLE_MS } from '../page';

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;
/** How the worker words a report over the helpdesk's allowance (entrypoints/background/queue.ts). */
const OVER_ALLOWANCE = 'too many new failures';

/**
 * Spots outbound replies marked as failed and hands each to the background queue once, filed
 * under the ticket whose workspace shows it (hidden or not) with that ticket's own customer.
 * A failure whose ticket cannot be known is not filed; it is looked at again when its ticket is
 * on screen.
 */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  // Capped: a forgotten old failure seen again is reported again, and the queue keeps it one record.
  const reported = new BoundedSet<string>(SEEN_IDS_CAP);
  /** Reports the worker did not take yet, and how often they were tried: the next try waits longer. */
  const retries = new Map<string, number>();
  const onMessage = async (element: Element) => {
    if (page.statusOf(element) !== 'failed') return;
    const message = readMessage(element, page.profile);
    const normalized = normalizeReplyText(message.text);
    if (!normalized) return;
    const ticketId = page.ticketIdOf(element, Date.now());
    if (!ticketId) return;
    // One report per helpdesk message; re-renders of the same message carry the same id.
    const key = `${ticketId}|${message.messageId ?? `${normalized}|${message.at ?? ''}`}`;
    if (reported.has(key) || page.isRetryMessage(message.messageId, normalized, ticketId)) return;
    reported.add(key);
    const ticket = await page.contextFor(ticketId, ctx.signal);
    if (!ticket || !isWatchedChannel(ticket.channel)) {
      if (!ticket) reported.delete(key);
      return;
    }
    const cue = page.cueFailures.get(element);
    const uiText = readFailureText(element, page.profile) || cue || '';
    const exact = [...page.submitted]
      .reverse()
      .find((s) => (s.ticketId === null || s.ticketId === ticketId) && normalizeReplyText(s.text) === normalized)?.text;
    const ticketUrl = page.ticketUrlOf(ticketId);
    try {
      const { record } = await page.ask({
        type: 'reply-failed',
        reply: {
          helpdeskOrigin: ticket.helpdeskOrigin,
          ticketId,
          channel: ticket.channel,
          ...(ticket.customerName ? { customerName: ticket.customerName } : {}),
          ...(ticket.pageId ? { pageId: ticket.pageId } : {}),
          ...(ticket.userId ? { userId: ticket.userId } : {}),
          ...(message.messageId ? { messageId: message.messageId } : {}),
          text: exact ?? readDisplayText(message),
          // The worker classifies what the page said; the page only reports it.
          error: uiText ? { message: uiText.slice(0, 2000) } : {},
          failedAt: message.at ?? Date.now(),
          ...(ticketUrl ? { ticketUrl } : {}),
        },
      });
      retries.delete(key);
      // No record: the reply ended long ago (its tombstone), nothing new to show.
      if (record) page.showRecord(ticket, record);
    } catch (error) {
      // Not stored: until it is, the page holds the only copy, and storing is tried again.
      reported.delete(key);
      const attempt = retries.get(key) ?? 0;
      retries.set(key, attempt + 1);
      const again = () => {
        if (element.isConnected) void onMessage(element);
      };
      // Over the helpdesk's allowance of new records (a burst of them): asked again, quietly, as it refills.
      if (error instanceof Error && error.message.includes(OVER_ALLOWANCE))
        ctx.setTimeout(again, Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt));
      // Anything else: the banner says so with the text to copy.
      else reportNotKept(page, ctx, { ticket, text: exact ?? readDisplayText(message) }, again, attempt);
    }
  };

  page.logs.subscribe((element) => void onMessage(element), ctx.signal);
  // A toast named a failure the message itself does not show.
  page.addEventListener('cue-failure', (event) => void onMessage(event.detail.element), {
    signal: ctx.signal,
  });
  // The ticket on screen is known now: failures of its workspace that could not be filed before
  // are; once more after the navigation settled (a workspace that names no ticket waits for that).
  const rescan = () => {
    const scope = page.ticket ? page.shownScopeOf(page.ticket.ticketId) : null;
    if (scope) for (const element of scope.querySelectorAll(page.profile.selectors.outbound.join(','))) void onMessage(element);
  };
  page.addEventListener(
    'ticket',
    () => {
      rescan();
      if (page.ticket) ctx.setTimeout(rescan, SETTLE_MS + 100);
    },
    { signal: ctx.signal },
  );
}
