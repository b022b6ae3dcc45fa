import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { readChannel, readCustomerName, readTicketId } from '@/profiles/read';
import { readTicketVia, type TicketViaInfo } from '@/profiles/ticket-api';
import type { HelpdeskPage, TicketContext } from '../page';

/**
 * Follows which ticket is on screen and resolves its context (channel, customer, Meta ids): the
 * ticket API's answer for that same ticket id, else the ticket's own workspace. A navigation clears
 * the ticket at once, so nothing is ever read or filed under the ticket the agent just left.
 */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const signal = ctx.signal;
  let generation = 0;
  // The page's workspace observer while a ticket's header has not rendered yet.
  let waiting: MutationObserver | null = null;

  const resolve = async () => {
    const mine = ++generation;
    waiting?.disconnect();
    waiting = null;
    const ticketId = page.ticketId;
    if (!ticketId) return;
    const known = page.contextOf(ticketId);
    // A ticket seen before in this tab: its context is known; the API is not asked twice.
    if (known) {
      page.setTicket(known);
      return;
    }
    const via = await fetchVia(page, ticketId, signal);
    if (mine !== generation || signal.aborted || page.ticketId !== ticketId) return;
    const scope = page.scopeOf(ticketId);
    const channel = via?.channel ?? (scope ? readChannel(scope, page.profile) : null);
    if (!channel) {
      // The ticket's header (or its whole workspace) has not rendered yet: look again when it changes.
      watchUntilRendered(scope ?? page.root, ticketId, mine);
      return;
    }
    const context: TicketContext = { helpdeskOrigin: location.origin, ticketId, channel };
    const customerName = via?.customerName ?? (scope ? readCustomerName(scope, page.profile) : null);
    if (customerName) context.customerName = customerName;
    if (via?.pageId) context.pageId = via.pageId;
    if (via?.userId) context.userId = via.userId;
    page.setTicket(context);
  };

  const watchUntilRendered = (scope: ParentNode, ticketId: string, mine: number) => {
    const observer = new MutationObserver(() => {
      if (mine !== generation) return observer.disconnect();
      const now = page.scopeOf(ticketId);
      if (!now || !readChannel(now, page.profile)) return;
      observer.disconnect();
      void resolve();
    });
    waiting = observer;
    observer.observe(scope instanceof Document ? scope.documentElement : (scope as Node), { childList: true, subtree: true });
    signal.addEventListener('abort', () => observer.disconnect());
  };

  const goTo = (pathname: string) => {
    const ticketId = readTicketId(pathname, page.profile);
    if (ticketId === page.ticketId) return;
    page.navigate(ticketId, Date.now());
    page.logs.rescan();
    void resolve();
  };

  page.ticketId = readTicketId(location.pathname, page.profile);
  void resolve();
  // WXT's event comes from the Navigation API's `navigate`, before the URL commits: its `newUrl` is
  // where the agent is going. The committed address is read again after it settles (a navigation
  // can be intercepted or redirected), and on `popstate` (back and forward).
  ctx.addEventListener(window, 'wxt:locationchange', (event) => {
    const destination = (event as Event & { newUrl?: URL }).newUrl;
    if (destination) goTo(destination.pathname);
    ctx.setTimeout(() => goTo(location.pathname), 0);
  });
  ctx.addEventListener(window, 'popstate', () => goTo(location.pathname));
}

async function fetchVia(page: HelpdeskPage, ticketId: string, signal: AbortSignal): Promise<TicketViaInfo | null> {
  const path = page.profile.ticketApiPath?.(ticketId);
  if (!path) return null;
  try {
    // Same origin, the agent's own session: the helpdesk's API, not a third party.
    const response = await fetch(path, { credentials: 'same-origin', signal, headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    // Only an answer about this very ticket: a late answer for another one is never taken.
    return readTicketVia(await response.json(), ticketId);
  } catch {
    // No API answer: the ticket's own header decides the channel; only the Meta ids are missing.
    return null;
  }
}
