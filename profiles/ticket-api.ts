import type { TicketChannel } from '../core/schemas';

// Zendesk's ticket `via` object (developer.zendesk.com, "Via object reference"): the channel,
// and for social channels the source's `from` (customer) and `to` (Page / account) ids.
// Read by hand, not with a schema: this runs in every helpdesk tab, where zod would triple the script.

interface Party {
  name?: string;
  facebook_id?: string | number;
  instagram_id?: string | number;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

/** A party whose present fields all have the documented types; null when one does not. */
function readParty(value: unknown): Party | null | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return null;
  const { name, facebook_id, instagram_id, profile_url } = value;
  if (name !== undefined && typeof name !== 'string') return null;
  if (profile_url !== undefined && typeof profile_url !== 'string') return null;
  if ((facebook_id !== undefined && !isId(facebook_id)) || (instagram_id !== undefined && !isId(instagram_id))) return null;
  return {
    ...(name !== undefined ? { name } : {}),
    ...(facebook_id !== undefined ? { facebook_id } : {}),
    ...(instagram_id !== undefined ? { instagram_id } : {}),
  };
}

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

/**
 * Reads channel and Meta ids from a ticket API answer; an unexpected shape, or an answer about
 * another ticket than `ticketId` (when given), gives null.
 */
export function readTicketVia(json: unknown, ticketId?: string): TicketViaInfo | null {
  const ticket = isRecord(json) ? json.ticket : undefined;
  if (!isRecord(ticket) || !isId(ticket.id)) return null;
  if (ticketId !== undefined && String(ticket.id) !== ticketId) return null;
  const via = ticket.via;
  if (via === undefined) return { channel: null };
  if (!isRecord(via) || !isId(via.channel)) return null;
  const source = via.source;
  if (source !== undefined && !isRecord(source)) return null;
  const from = readParty(source?.from);
  const to = readParty(source?.to);
  const rel = source?.rel;
  if (from === null || to === null || (rel !== undefined && rel !== null && typeof rel !== 'string')) return null;
  const info: TicketViaInfo = { channel: channelOf(via.channel) };
  const userId = idOf(from?.facebook_id ?? from?.instagram_id);
  const pageId = idOf(to?.facebook_id ?? to?.instagram_id);
  if (userId) info.userId = userId;
  if (pageId) info.pageId = pageId;
  if (from?.name) info.customerName = from.name.slice(0, 300);
  return info;
}
