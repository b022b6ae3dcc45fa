// Seed tickets and the Zendesk-shaped REST view of them.
import type { Channel, Lang, SandboxMessage, Ticket } from './types.js';

export const FB_PAGE_ID = '104857600123456';
export const FB_PAGE_NAME = 'Sandbox Outfitters';
export const IG_ACCOUNT_ID = '17841400000000001';
export const IG_ACCOUNT_NAME = 'sandbox.outfitters';
export const AGENT_NAME = 'Sam Rivera';
const SUPPORT_ADDRESS = 'support@sandbox-outfitters.example';
const BRAND_ID = 360000000001;

interface SeedMessage {
  minutesAgo: number;
  text: string;
}

interface SeedTicket {
  id: number;
  subject: string;
  channel: Channel;
  lang: Lang;
  name: string;
  psid?: string;
  email?: string;
  /** A ticket whose via object carries no Page or user id (seen with some integrations). */
  withoutMetaIds?: boolean;
  messages: SeedMessage[];
}

const SEEDS: readonly SeedTicket[] = [
  {
    id: 101,
    subject: 'Order #48213 has not arrived',
    channel: 'facebook',
    lang: 'en',
    name: 'Anna Schmidt',
    psid: '6723451234567890',
    messages: [
      { minutesAgo: 42, text: 'Hi, I ordered a rain jacket last week (order #48213) and it still has not arrived.' },
      { minutesAgo: 39, text: 'The tracking page has said "in transit" for five days. Can you check?' },
    ],
  },
  {
    id: 102,
    subject: 'Exchange hiking boots for a larger size',
    channel: 'facebook',
    lang: 'en',
    name: 'Ben Carter',
    psid: '6723459876543210',
    messages: [{ minutesAgo: 25, text: 'Can I swap my hiking boots for size 44? They are unworn.' }],
  },
  {
    id: 103,
    subject: 'Discount code not working',
    channel: 'instagram',
    lang: 'en',
    name: 'Chloé Martin',
    psid: '17849999000000003',
    messages: [
      { minutesAgo: 18, text: 'Hello! The code SPRING15 from your story is rejected at checkout.' },
      { minutesAgo: 17, text: 'It says "code expired" but the story was posted today.' },
    ],
  },
  {
    id: 104,
    subject: 'Invoice for order #47702',
    channel: 'email',
    lang: 'en',
    name: 'Dana Lee',
    email: 'dana.lee@example.com',
    messages: [{ minutesAgo: 65, text: 'Could you send me a VAT invoice for order #47702? Thanks, Dana' }],
  },
  {
    id: 105,
    subject: 'Rücksendung: falsche Farbe geliefert',
    channel: 'facebook',
    lang: 'de',
    name: 'Jonas Weber',
    psid: '6723450000000005',
    messages: [
      { minutesAgo: 31, text: 'Hallo, ich habe die Jacke in Blau bestellt, aber eine grüne bekommen.' },
      { minutesAgo: 30, text: 'Wie kann ich sie zurückschicken?' },
      { minutesAgo: 12, text: 'Ist jemand da?' },
    ],
  },
  {
    id: 106,
    subject: 'Warranty claim for a torn backpack',
    channel: 'facebook',
    lang: 'en',
    name: 'Lea Novak',
    psid: '6723450000000106',
    withoutMetaIds: true,
    // Three days ago: outside the 24-hour window, inside the 7-day human-agent window.
    messages: [{ minutesAgo: 3 * 24 * 60 + 20, text: 'My backpack tore after two weeks. Is that covered by the warranty?' }],
  },
  {
    id: 107,
    subject: 'Hostile names and texts (security test)',
    channel: 'facebook',
    lang: 'en',
    // Markup in a customer's display name must only ever be shown as text.
    name: '<img src=x onerror="window.__sgPwned=1">Eve</script>',
    psid: '6723450000000107',
    messages: [{ minutesAgo: 5, text: '<b>hi</b> <script>window.__sgPwned=2</script>' }],
  },
];

export const TICKET_IDS: readonly number[] = SEEDS.map((s) => s.id);
/** Tickets whose REST via object leaves out the Page and user ids (the page still sends normally). */
const WITHOUT_META_IDS = new Set(SEEDS.filter((s) => s.withoutMetaIds).map((s) => s.id));

/** Builds fresh ticket state; timestamps are relative to `now` so the seed always looks recent. */
export function seedTickets(now: number): Map<number, Ticket> {
  const tickets = new Map<number, Ticket>();
  for (const seed of SEEDS) {
    const oldest = Math.max(...seed.messages.map((m) => m.minutesAgo));
    const messages: SandboxMessage[] = seed.messages.map((m, i) => {
      const at = new Date(now - m.minutesAgo * 60_000).toISOString();
      return {
        id: `m-${seed.id}-${i + 1}`,
        ticketId: seed.id,
        author: 'end-user',
        senderName: seed.name,
        text: m.text,
        createdAt: at,
        updatedAt: at,
        version: 1,
        internal: false,
        status: null,
        error: null,
        graphMessageId: null,
      };
    });
    const social = seed.channel !== 'email';
    tickets.set(seed.id, {
      id: seed.id,
      subject: seed.subject,
      channel: seed.channel,
      lang: seed.lang,
      customer: { name: seed.name, ...(seed.psid ? { psid: seed.psid } : {}), ...(seed.email ? { email: seed.email } : {}) },
      requesterId: 9_000_000 + seed.id,
      ...(social
        ? {
            pageId: seed.channel === 'instagram' ? IG_ACCOUNT_ID : FB_PAGE_ID,
            pageName: seed.channel === 'instagram' ? IG_ACCOUNT_NAME : FB_PAGE_NAME,
          }
        : {}),
      createdAt: new Date(now - oldest * 60_000).toISOString(),
      messages,
      events: [],
    });
  }
  return tickets;
}

/** What the app shell knows of a ticket before its workspace loads (tab titles, the views list). */
export interface TicketSummary {
  id: number;
  subject: string;
  name: string;
  channel: Channel;
  lang: Lang;
}

export function ticketSummary(ticket: Ticket): TicketSummary {
  return { id: ticket.id, subject: ticket.subject, name: ticket.customer.name, channel: ticket.channel, lang: ticket.lang };
}

/** The header's "via" label, in the ticket page's language. */
export function viaLabel(channel: Channel, lang: Lang): string {
  if (channel === 'facebook') return 'Facebook Messenger';
  if (channel === 'instagram') return 'Instagram Direct';
  if (channel === 'api') return 'API';
  return lang === 'de' ? 'E-Mail' : 'Email';
}

/**
 * Zendesk's via object for a ticket.
 * Shape follows https://developer.zendesk.com/documentation/ticketing/reference-guides/via-object-reference/
 * (source = {from, to, rel}; for Facebook messages from/to carry name, profile_url, facebook_id and rel is
 * "message"; for e-mail from has address/name and to has address/name). The Instagram DM source is not
 * documented there: its from/to with instagram_id and rel "direct_message" are invented to match.
 */
export function viaObject(ticket: Ticket): Record<string, unknown> {
  const { customer } = ticket;
  if (ticket.channel === 'facebook' && WITHOUT_META_IDS.has(ticket.id)) {
    return { channel: 'facebook', source: { rel: 'message', from: { name: customer.name }, to: { name: ticket.pageName } } };
  }
  if (ticket.channel === 'facebook') {
    return {
      channel: 'facebook',
      source: {
        rel: 'message',
        from: { name: customer.name, profile_url: `https://www.facebook.com/${customer.psid ?? ''}`, facebook_id: customer.psid },
        to: { name: ticket.pageName, profile_url: `https://www.facebook.com/${ticket.pageId ?? ''}`, facebook_id: ticket.pageId },
      },
    };
  }
  if (ticket.channel === 'instagram') {
    return {
      channel: 'instagram_dm',
      source: {
        rel: 'direct_message',
        from: { name: customer.name, instagram_id: customer.psid },
        to: { name: ticket.pageName, instagram_id: ticket.pageId },
      },
    };
  }
  // Tickets created through the API: via.channel "api" (same reference page).
  if (ticket.channel === 'api') return { channel: 'api', source: { rel: null, from: {}, to: {} } };
  return {
    channel: 'email',
    source: {
      rel: null,
      from: { address: customer.email, name: customer.name, original_recipients: [SUPPORT_ADDRESS] },
      to: { address: SUPPORT_ADDRESS, name: FB_PAGE_NAME, email_ccs: [] },
    },
  };
}

/** Body of GET /api/v2/tickets/<id>.json, trimmed to the fields a client is likely to read. */
export function zendeskTicketJson(ticket: Ticket, origin: string): { ticket: Record<string, unknown> } {
  const first = ticket.messages[0];
  const last = ticket.messages[ticket.messages.length - 1];
  const api = ticket.api;
  const updated = [last?.updatedAt ?? ticket.createdAt, api?.updatedAt ?? ''].sort().at(-1) ?? ticket.createdAt;
  return {
    ticket: {
      url: `${origin}/api/v2/tickets/${ticket.id}.json`,
      id: ticket.id,
      external_id: api?.externalId ?? null,
      created_at: ticket.createdAt,
      updated_at: updated,
      type: api?.type ?? null,
      subject: ticket.subject,
      raw_subject: ticket.subject,
      description: first?.text ?? '',
      priority: null,
      status: api?.status ?? 'open',
      problem_id: api?.problemId ?? null,
      requester_id: ticket.requesterId,
      submitter_id: ticket.requesterId,
      assignee_id: 8_000_001,
      group_id: 7_000_001,
      brand_id: BRAND_ID,
      tags: api?.tags ?? [ticket.channel],
      via: viaObject(ticket),
    },
  };
}
