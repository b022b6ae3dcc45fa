import { z } from 'zod';
import type { TicketChannel } from '../channels';

// Zendesk's ticket `via` object (developer.zendesk.com, "Via object reference"): the channel,
// and for social channels the source's `from` (customer) and `to` (Page / account) ids.
const Party = z
  .object({
    name: z.string().optional(),
    facebook_id: z.union([z.string(), z.number()]).optional(),
    instagram_id: z.union([z.string(), z.number()]).optional(),
    profile_url: z.string().optional(),
  })
  .passthrough();

const TicketResponse = z.object({
  ticket: z.object({
    id: z.union([z.string(), z.number()]),
    via: z
      .object({
        channel: z.union([z.string(), z.number()]),
        source: z.object({ from: Party.optional(), to: Party.optional(), rel: z.string().nullable().optional() }).partial().optional(),
      })
      .optional(),
  }),
});

export interface TicketViaInfo {
  channel: TicketChannel | null;
  pageId?: string;
  userId?: string;
  customerName?: string;
}

function channelOf(channel: string | number): TicketChannel | null {
  const value = String(channel).toLowerCase();
  if (value.includes('instagram')) return 'instagram';
  if (value.includes('whatsapp')) return 'whatsapp';
  if (value.includes('facebook') || value.includes('messenger')) return 'messenger';
  // Agent Workspace messaging tickets (Messenger, Instagram …) say only "native_messaging": unknown, let the page's via label decide.
  if (value === 'native_messaging') return null;
  return value ? 'other' : null;
}

function idOf(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const id = String(value);
  return /^\d{1,25}$/.test(id) ? id : undefined;
}

/** Reads channel and Meta ids from a ticket API answer; an unexpected shape gives null. */
export function readTicketVia(json: unknown): TicketViaInfo | null {
  const parsed = TicketResponse.safeParse(json);
  if (!parsed.success) return null;
  const via = parsed.data.ticket.via;
  if (!via) return { channel: null };
  const from = via.source?.from;
  const to = via.source?.to;
  const info: TicketViaInfo = { channel: channelOf(via.channel) };
  const userId = idOf(from?.facebook_id ?? from?.instagram_id);
  const pageId = idOf(to?.facebook_id ?? to?.instagram_id);
  if (userId) info.userId = userId;
  if (pageId) info.pageId = pageId;
  if (from?.name) info.customerName = from.name.slice(0, 300);
  return info;
}
