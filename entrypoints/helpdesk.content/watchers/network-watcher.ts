import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { isWatchedChannel } from '@/core/channels';
import { NETWORK_SIGNAL_TAG, readNetworkSignal } from '@/core/failures/network-signal';
import type { HelpdeskPage } from '../page';

// A send's outcome arrives within seconds of pressing Send; later failures (a reloaded log) are old news.
const SEND_CREDIT_MS = 60_000;

/**
 * Forwards Graph-style errors the main-world script saw in the page's own traffic. Rate limit:
 * each Send the agent pressed on this tab buys at most one network failure, so neither a
 * reloaded log full of old failures nor a page script posting fakes can flood the detector.
 */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const spent = new WeakSet<object>();

  ctx.addEventListener(window, 'message', (event: MessageEvent) => {
    if (event.source !== window || event.origin !== location.origin) return;
    const data: unknown = event.data;
    if (typeof data !== 'object' || data === null || (data as { tag?: unknown }).tag !== NETWORK_SIGNAL_TAG) return;
    const now = Date.now();
    const send = page.submitted.find((s) => now - s.at >= 0 && now - s.at < SEND_CREDIT_MS && !spent.has(s));
    if (!send) return;
    // What the main-world script posts. Any page script can post the same, so it is untrusted input.
    const signal = readNetworkSignal(data);
    const ticket = page.ticket;
    if (!signal || !ticket || signal.ticket !== ticket.ticketId || !isWatchedChannel(ticket.channel)) return;
    const { code, subcode, type } = signal;
    // Without a code (a bare "failed" event) the detector learns nothing the page's marker won't say; keep the credit.
    if (code === undefined) return;
    spent.add(send);
    void page
      .ask({
        type: 'network-failure',
        ticket: { helpdeskOrigin: ticket.helpdeskOrigin, ticketId: ticket.ticketId },
        channel: ticket.channel,
        code,
        ...(subcode !== undefined ? { subcode } : {}),
        ...(type !== undefined ? { errorType: type } : {}),
        at: now,
      })
      .catch(() => undefined); // The DOM marker still reports this send; only speed is lost.
  });
}
