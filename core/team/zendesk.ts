import { z } from 'zod';
import type { Channel } from '../schemas';

// Team mode's Zendesk API calls, as plain requests, and the readers of their answers. Pure.
// Shapes: developer.zendesk.com, api-reference/ticketing (Tickets, Tags, Ticket comments, Users
// "Show the currently authenticated user"); secured requests need `X-CSRF-Token` on every write.

/** The tag a kept reply puts on its ticket: a Zendesk view on it lists every ticket with one. */
export const UNSENT_TAG = 'send_guard_unsent';
/** On every shared outage ticket. */
export const OUTAGE_TAG = 'send_guard_outage';
/** Set on the outage ticket when a browser sees recovery; removed when one sees failures again. */
export const RECOVERED_TAG = 'send_guard_recovered';
/** An open outage ticket not updated for this long is an old one a person forgot to close. */
export const STALE_REPORT_MS = 12 * 60 * 60_000;

export function outageExternalId(channel: Channel): string {
  return `send-guard-outage:${channel}`;
}

/** One request to the helpdesk's own API, on its origin, with the agent's session. */
export interface ApiRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Absolute path with query, e.g. `/api/v2/tickets/101.json`. */
  path: string;
  /** JSON text. */
  body?: string;
}

export const TicketNumber = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const Tag = z.string().regex(/^[a-z0-9_:-]{1,80}$/);

/** The helpdesk ticket id of a kept reply as a Zendesk ticket number, or null when it is not one. */
export function ticketNumber(ticketId: string): number | null {
  return /^\d{1,15}$/.test(ticketId) ? Number(ticketId) : null;
}

export const ME_PATH = '/api/v2/users/me.json';

const json = (value: unknown) => JSON.stringify(value);

export function addTags(ticketId: number, tags: readonly string[]): ApiRequest {
  return { method: 'PUT', path: `/api/v2/tickets/${ticketId}/tags.json`, body: json({ tags }) };
}

export function removeTags(ticketId: number, tags: readonly string[]): ApiRequest {
  return { method: 'DELETE', path: `/api/v2/tickets/${ticketId}/tags.json`, body: json({ tags }) };
}

export function privateNote(ticketId: number, body: string): ApiRequest {
  return { method: 'PUT', path: `/api/v2/tickets/${ticketId}.json`, body: json({ ticket: { comment: { body, public: false } } }) };
}

/** Solves a second outage ticket of the same outage, with a private note naming the one kept. */
export function solveDuplicate(ticketId: number, body: string): ApiRequest {
  return {
    method: 'PUT',
    path: `/api/v2/tickets/${ticketId}.json`,
    body: json({ ticket: { status: 'solved', comment: { body, public: false } } }),
  };
}

/** Links an affected ticket to the outage ticket as one of its incidents (opt-in). */
export function linkIncident(ticketId: number, problemId: number): ApiRequest {
  return { method: 'PUT', path: `/api/v2/tickets/${ticketId}.json`, body: json({ ticket: { type: 'incident', problem_id: problemId } }) };
}

export function createOutageTicket(channel: Channel, subject: string, description: string): ApiRequest {
  return {
    method: 'POST',
    path: '/api/v2/tickets.json',
    body: json({
      ticket: {
        subject,
        type: 'problem',
        external_id: outageExternalId(channel),
        tags: [OUTAGE_TAG, `send_guard_${channel}`],
        comment: { body: description, public: false },
      },
    }),
  };
}

export function lookupOutage(channel: Channel): ApiRequest {
  return { method: 'GET', path: `/api/v2/tickets.json?external_id=${encodeURIComponent(outageExternalId(channel))}` };
}

const WRITE_PATH = /^\/api\/v2\/tickets(?:\/\d{1,15}(?:\/tags)?)?\.json$/;
const TICKET_KEYS = new Set(['comment', 'status', 'subject', 'type', 'external_id', 'tags', 'problem_id']);

/**
 * The check every write passes before it leaves: Zendesk's ticket paths only, and any comment in
 * it private (`public: false` spelled out, since Zendesk makes a comment public by default).
 * Returns what is wrong, or null.
 */
export function writeProblem(request: ApiRequest): string | null {
  if (request.method === 'GET') return null;
  if (!WRITE_PATH.test(request.path)) return `not a ticket write: ${request.path}`;
  let body: unknown;
  try {
    body = JSON.parse(request.body ?? '');
  } catch {
    // The answer says why: the write is refused with it.
    return 'the body is not JSON';
  }
  if (typeof body !== 'object' || body === null) return 'the body is not an object';
  const record = body as Record<string, unknown>;
  if (request.path.endsWith('/tags.json')) {
    const keys = Object.keys(record);
    return keys.length === 1 && keys[0] === 'tags' && Array.isArray(record.tags) ? null : 'a tag write carries tags only';
  }
  const ticket = record.ticket;
  if (typeof ticket !== 'object' || ticket === null || Object.keys(record).length !== 1) return 'a ticket write carries {ticket} only';
  const fields = ticket as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !TICKET_KEYS.has(key));
  if (unknown.length > 0) return `unexpected ticket fields: ${unknown.join(', ')}`;
  if (fields.comment === undefined) return null;
  const comment = fields.comment as Record<string, unknown> | null;
  if (typeof comment !== 'object' || comment === null) return 'the comment is not an object';
  if (comment.public !== false) return 'a comment must be private (public: false)';
  const commentKeys = Object.keys(comment).filter((key) => key !== 'body' && key !== 'public');
  return commentKeys.length > 0 ? `unexpected comment fields: ${commentKeys.join(', ')}` : null;
}

/** The signed-in agent as `users/me.json` tells it, with the CSRF token writes need. */
export interface Agent {
  id: number;
  name: string;
  token: string;
}

const MeAnswer = z.object({
  user: z.object({
    id: z.number().int().nullable(),
    name: z.string().max(500).nullable().optional(),
    authenticity_token: z.string().min(1).max(1000).optional(),
  }),
});

/** The agent behind this session, or null when nobody is signed in (Zendesk answers an anonymous user). */
export function readAgent(json: unknown): Agent | null {
  const parsed = MeAnswer.safeParse(json);
  if (!parsed.success) return null;
  const { id, name, authenticity_token: token } = parsed.data.user;
  if (id === null || !token) return null;
  return { id, name: (name ?? '').trim().slice(0, 200) || `#${id}`, token };
}

const ListedTicket = z.object({
  id: TicketNumber,
  external_id: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
  status: z.string(),
  tags: z.array(z.string()).optional(),
  created_at: z.string(),
  updated_at: z.string().optional(),
});
const ListAnswer = z.object({ tickets: z.array(z.unknown()) });

export interface OutageTicket {
  id: number;
  createdAt: number;
  updatedAt: number;
  recovered: boolean;
}

const OPEN = new Set(['new', 'open', 'pending', 'hold']);

/**
 * The open problem tickets of one outage from an external-id lookup, lowest id first (the one a
 * team keeps). Unreadable entries are skipped; an unreadable answer is null.
 */
export function readOutageTickets(json: unknown, channel: Channel): OutageTicket[] | null {
  const list = ListAnswer.safeParse(json);
  if (!list.success) return null;
  const wanted = outageExternalId(channel);
  const open: OutageTicket[] = [];
  for (const raw of list.data.tickets) {
    const parsed = ListedTicket.safeParse(raw);
    if (!parsed.success) continue;
    const t = parsed.data;
    if (t.external_id !== wanted || t.type !== 'problem' || !OPEN.has(t.status)) continue;
    const createdAt = Date.parse(t.created_at);
    if (!Number.isFinite(createdAt)) continue;
    const updatedAt = Date.parse(t.updated_at ?? t.created_at);
    open.push({
      id: t.id,
      createdAt,
      updatedAt: Number.isFinite(updatedAt) ? updatedAt : createdAt,
      recovered: (t.tags ?? []).includes(RECOVERED_TAG),
    });
  }
  return open.sort((a, b) => a.id - b.id);
}

/** The id of a ticket a create answered with, or null. */
export function readCreatedId(json: unknown): number | null {
  const parsed = z.object({ ticket: z.object({ id: TicketNumber }) }).safeParse(json);
  return parsed.success ? parsed.data.ticket.id : null;
}

/** Where an agent opens a ticket in Agent Workspace. */
export function ticketUrl(origin: string, ticketId: number): string {
  return `${origin}/agent/tickets/${ticketId}`;
}

/** `Retry-After` in seconds or as an HTTP date, as milliseconds from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d{1,7}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}
