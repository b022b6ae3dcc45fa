import { browser } from 'wxt/browser';
import { z } from 'zod';
import type { BackgroundToContent, TicketRef } from '@/core/protocol';
import type { QueuedReply } from '@/core/queue';
import { defineStoredValue } from '@/utils/stored-value';

// Retries asked for outside a ticket's tab (popup, auto-retry) wait here until that tab takes them.
// Session storage: they survive a worker restart, and are meant for this browser session only.
const pending = defineStoredValue({ key: 'session:retryRequests', schema: z.record(z.string(), z.array(z.string())), fallback: {} });

const ticketKey = (ticket: TicketRef) => `${ticket.helpdeskOrigin}|${ticket.ticketId}`;

/** The retries waiting for one ticket, removed as they are handed over. */
export async function takeRetryRequests(ticket: TicketRef): Promise<string[]> {
  let ids: string[] = [];
  await pending.update((all) => {
    ids = all[ticketKey(ticket)] ?? [];
    if (ids.length === 0) return all;
    const { [ticketKey(ticket)]: _taken, ...rest } = all;
    return rest;
  });
  return ids;
}

/** Where a ticket can be opened again: the URL it failed on, else Zendesk's ticket path. */
export function ticketUrlOf(record: QueuedReply): string {
  return record.ticketUrl ?? `${record.helpdeskOrigin}/agent/tickets/${encodeURIComponent(record.ticketId)}`;
}

async function findTicketTab(url: string): Promise<number | undefined> {
  // Host permissions let us read the URL of helpdesk tabs only; that is all we look at.
  const tabs = await browser.tabs.query({});
  const match = tabs.find(
    (tab) =>
      tab.url !== undefined &&
      tab.id !== undefined &&
      (tab.url === url || tab.url.startsWith(`${url}/`) || tab.url.startsWith(`${url}?`) || tab.url.startsWith(`${url}#`)),
  );
  return match?.id;
}

/**
 * Queues retries per ticket and brings each ticket's tab forward (or opens it), where the
 * content script runs them through the helpdesk one by one. `openMissing: false` (auto-retry)
 * only uses tabs that are already open.
 */
export async function requestRetries(
  records: QueuedReply[],
  options: { openMissing: boolean },
): Promise<{ opened: boolean; tickets: number }> {
  const byTicket = new Map<string, QueuedReply[]>();
  for (const record of records) byTicket.set(ticketKey(record), [...(byTicket.get(ticketKey(record)) ?? []), record]);
  let opened = false;
  let first = true;
  for (const [key, group] of byTicket) {
    const sample = group[0];
    if (!sample) continue;
    const url = ticketUrlOf(sample);
    const tabId = await findTicketTab(url);
    if (tabId === undefined && !options.openMissing) continue;
    await pending.update((all) => ({ ...all, [key]: [...new Set([...(all[key] ?? []), ...group.map((r) => r.id)])] }));
    if (tabId !== undefined) {
      if (options.openMissing && first) await browser.tabs.update(tabId, { active: true });
      // A tab not listening yet finds the stored request when it next asks for its ticket's view.
      await browser.tabs.sendMessage(tabId, { type: 'retry-now' } satisfies BackgroundToContent).catch(() => undefined);
    } else {
      // The new tab's content script asks for its ticket's view on load and finds the request.
      await browser.tabs.create({ url, active: first });
      opened = true;
    }
    first = false;
  }
  return { opened, tickets: byTicket.size };
}
