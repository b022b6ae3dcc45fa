import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { readChannel, readCustomerName, readTicketId } from '@/utils/helpdesk/read';
import { readTicketVia } from '@/utils/helpdesk/ticket-api';
import { observe } from '@/utils/observe';
import type { HelpdeskPage, TicketContext } from '../page';

/** Reads which ticket is open, its channel and the customer's Meta ids (page DOM, then ticket API). */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const signal = ctx.signal;
  let generation = 0;
  const resolve = async () => {
    const mine = ++generation;
    const ticketId = readTicketId(location.pathname, page.profile);
    if (!ticketId) {
      page.setTicket(null);
      return;
    }
    const domChannel = readChannel(page.root, page.profile);
    const via = await fetchVia(page, ticketId, signal);
    if (mine !== generation || signal.aborted) return;
    const channel = via?.channel ?? domChannel;
    if (!channel) return; // Header not rendered yet; the via-label observer calls again.
    const context: TicketContext = { helpdeskOrigin: location.origin, ticketId, channel };
    const customerName = via?.customerName ?? readCustomerName(page.root, page.profile);
    if (customerName) context.customerName = customerName;
    if (via?.pageId) context.pageId = via.pageId;
    if (via?.userId) context.userId = via.userId;
    page.setTicket(context);
  };
  void resolve();
  // The helpdesk is a single-page app: ticket changes are history navigations.
  ctx.addEventListener(window, 'wxt:locationchange', () => void resolve());
  for (const selector of page.profile.selectors.viaLabel) {
    observe(
      selector,
      () => {
        if (!page.ticket) void resolve();
      },
      { signal },
    );
  }
}

async function fetchVia(page: HelpdeskPage, ticketId: string, signal: AbortSignal) {
  const path = page.profile.ticketApiPath?.(ticketId);
  if (!path) return null;
  try {
    // Same origin, the agent's own session: the helpdesk's API, not a third party.
    const response = await fetch(path, { credentials: 'same-origin', signal, headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    return readTicketVia(await response.json());
  } catch {
    return null;
  }
}
