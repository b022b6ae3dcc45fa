// Zendesk's API as an agent's browser uses it with its own session: the signed-in user with a CSRF
// token, ticket tags, comments (private or public), problem tickets found by external id, and a log
// of every write for the tests. Wired into server.ts by one handler call.
//
// Sources (developer.zendesk.com, read 2026-11):
// - Secured requests: a browser request is authenticated by the Zendesk session cookie; GETs need
//   nothing more, requests that create, update or delete data also need the user's CSRF token in
//   `X-CSRF-Token` (documentation/help_center/help-center-api/secured-requests). The token is the
//   `authenticity_token` of `GET /api/v2/users/me.json` (api-reference/ticketing/users/users,
//   "Show the currently authenticated user"). A missing or stale token is refused with 403 and
//   `{"error":{"title":"Forbidden","message":"Invalid authenticity token"}}` (body as posted on
//   support.zendesk.com community post 4408860904858). Without a session, users/me answers the
//   anonymous user (id null, no token) and other endpoints 401 `{"error":"Couldn't authenticate you"}`.
// - Tags (api-reference/ticketing/ticket-management/tags): `PUT /api/v2/tickets/{id}/tags.json`
//   adds, `DELETE` removes, body `{"tags": [...]}`; not on closed tickets. Add answers the ticket's
//   tags; Remove's answer is not shown there, so the sandbox answers 204 with no body (harder).
// - Comments (api-reference/ticketing/tickets/ticket_comments): created through the Tickets API as
//   `{"ticket": {"comment": {"body", "public"}}}`; `public` defaults to true, so a comment without
//   `public: false` is a public reply that goes out to the customer here, as it would there.
// - Tickets (api-reference/ticketing/tickets/tickets): `POST /api/v2/tickets.json` (type
//   problem|incident|question|task, external_id, tags, comment), `PUT /api/v2/tickets/{id}.json`
//   (status, comment, problem_id …), `GET /api/v2/tickets.json?external_id=…` (not search-indexed:
//   immediate). Validation errors are 422 `{"error":"RecordInvalid","description":…,"details":…}`.
// - Rate limits (api-reference/introduction/rate-limits): 429 Too Many Requests with a
//   `Retry-After` header in seconds; a body seen in the wild is plain text (community post
//   4600766234138), so the sandbox's 429 is not JSON (harder).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { zendeskTicketJson } from './tickets.js';
import type { SandboxMessage, Ticket, TicketApiFields, ZendeskLogEntry, ZendeskSwitches } from './types.js';

export const SESSION_COOKIE = '_zendesk_session';
/** Agents given to new browser sessions in turn: a second browser profile is a second agent. */
export const AGENT_USERS = ['Sam Rivera', 'Alex Kim', 'Priya Nair', 'Jonas Berg'] as const;
/** Tickets created through the API are numbered from here (seed tickets are 101–107). */
export const FIRST_API_TICKET_ID = 4711;
/** A forced race lets this many external-id lookups wait for each other at most this long. */
const RACE_TIMEOUT_MS = 60_000;
const TICKET_TYPES = ['problem', 'incident', 'question', 'task'] as const;
const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
const TAG = /^[^\s,]{1,80}$/;
const MAX_COMMENT_CHARS = 65_000;

interface User {
  id: number;
  name: string;
  email: string;
  token: string;
}

export interface ZendeskApiDeps {
  tickets(): Map<number, Ticket>;
  origin(): string;
  /** Appends a comment to the ticket's log: a public one on a social ticket is sent to the customer. */
  addComment(ticket: Ticket, text: string, internal: boolean, author: string): SandboxMessage;
  readJson(req: IncomingMessage): Promise<unknown>;
  sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function token(): string {
  return randomBytes(24).toString('base64url');
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

const DEFAULT_SWITCHES: ZendeskSwitches = { fail: null, race: 0 };

export function createZendeskApi(deps: ZendeskApiDeps) {
  const sessions = new Map<string, User>();
  let nextUserId = 8_000_001;
  let nextTicketId = FIRST_API_TICKET_ID;
  let log: ZendeskLogEntry[] = [];
  let seq = 0;
  let switches: ZendeskSwitches = { ...DEFAULT_SWITCHES };
  let raceWaiting: (() => void)[] = [];
  let raceTimer: NodeJS.Timeout | null = null;

  function releaseRace(): void {
    if (raceTimer) clearTimeout(raceTimer);
    raceTimer = null;
    const waiting = raceWaiting;
    raceWaiting = [];
    for (const release of waiting) release();
  }

  function userOf(req: IncomingMessage): User | null {
    const id = cookieValue(req, SESSION_COOKIE);
    return id ? (sessions.get(id) ?? null) : null;
  }

  /** A page load without a known session starts one, as signing in to Zendesk would. */
  function ensureSession(req: IncomingMessage, res: ServerResponse): void {
    if (userOf(req)) return;
    const id = token();
    const name = AGENT_USERS[sessions.size % AGENT_USERS.length] ?? 'Agent';
    const userId = nextUserId++;
    sessions.set(id, { id: userId, name, email: `${name.toLowerCase().replace(/\s+/g, '.')}@sandbox-outfitters.example`, token: token() });
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
  }

  function fieldsOf(ticket: Ticket): TicketApiFields {
    ticket.api ??= { type: null, status: 'open', externalId: null, tags: [ticket.channel], problemId: null, updatedAt: ticket.createdAt };
    return ticket.api;
  }

  function touch(ticket: Ticket): void {
    fieldsOf(ticket).updatedAt = new Date().toISOString();
  }

  function record(entry: Omit<ZendeskLogEntry, 'seq' | 'at'>): void {
    log.push({ seq: ++seq, at: new Date().toISOString(), ...entry });
    if (log.length > 5000) log = log.slice(-5000);
  }

  function invalid(res: ServerResponse, description: string, details: Record<string, unknown> = {}): number {
    deps.sendJson(res, 422, { error: 'RecordInvalid', description, details });
    return 422;
  }

  /** Adds one comment; a missing `public` is a public comment, as in Zendesk. */
  function comment(ticket: Ticket, raw: unknown, user: User): string | null {
    if (!isRecord(raw)) return 'comment must be an object with a body';
    const body = typeof raw.body === 'string' ? raw.body : typeof raw.html_body === 'string' ? raw.html_body : null;
    if (body === null || body.trim() === '') return 'comment body cannot be blank';
    if (body.length > MAX_COMMENT_CHARS) return `comment body is longer than ${MAX_COMMENT_CHARS} characters`;
    if (raw.public !== undefined && typeof raw.public !== 'boolean') return 'comment public must be true or false';
    deps.addComment(ticket, body, raw.public === false, user.name);
    return null;
  }

  function findTicket(id: number): Ticket | undefined {
    return deps.tickets().get(id);
  }

  function ticketJson(ticket: Ticket) {
    return zendeskTicketJson(ticket, deps.origin());
  }

  function updateTicket(body: unknown, res: ServerResponse, ticket: Ticket, user: User): number {
    const patch = isRecord(body) ? body.ticket : undefined;
    if (!isRecord(patch)) return invalid(res, 'Body must be {"ticket": {...}}');
    const fields = fieldsOf(ticket);
    if (fields.status === 'closed') return invalid(res, 'Closed tickets cannot be updated', { status: [{ description: 'closed' }] });
    if (patch.status !== undefined && !(TICKET_STATUSES as readonly unknown[]).includes(patch.status))
      return invalid(res, 'Record validation errors', { status: [{ description: `Status: ${String(patch.status)} is not valid` }] });
    if (patch.type !== undefined && patch.type !== null && !(TICKET_TYPES as readonly unknown[]).includes(patch.type))
      return invalid(res, 'Record validation errors', { type: [{ description: `Type: ${String(patch.type)} is not valid` }] });
    if (patch.problem_id !== undefined && patch.problem_id !== null) {
      const problem = typeof patch.problem_id === 'number' ? findTicket(patch.problem_id) : undefined;
      if (!problem || fieldsOf(problem).type !== 'problem')
        return invalid(res, 'Record validation errors', { problem_id: [{ description: 'must be a problem ticket' }] });
    }
    if (patch.comment !== undefined) {
      const problem = comment(ticket, patch.comment, user);
      if (problem) return invalid(res, 'Record validation errors', { comment: [{ description: problem }] });
    }
    if (typeof patch.status === 'string') fields.status = patch.status as TicketApiFields['status'];
    if (patch.type !== undefined) fields.type = (patch.type as TicketApiFields['type']) ?? null;
    if (patch.problem_id !== undefined) fields.problemId = (patch.problem_id as number | null) ?? null;
    touch(ticket);
    deps.sendJson(res, 200, { ticket: ticketJson(ticket).ticket, audit: { ticket_id: ticket.id, author_id: user.id } });
    return 200;
  }

  function changeTags(body: unknown, res: ServerResponse, ticket: Ticket, add: boolean): number {
    const tags = isRecord(body) ? body.tags : undefined;
    if (!Array.isArray(tags) || tags.length === 0 || !tags.every((t) => typeof t === 'string' && TAG.test(t)))
      return invalid(res, 'Body must be {"tags": ["tag", …]} with tags of up to 80 characters and no spaces or commas');
    const fields = fieldsOf(ticket);
    if (fields.status === 'closed') return invalid(res, 'Tags of closed tickets cannot be changed');
    const lower = (tags as string[]).map((t) => t.toLowerCase());
    fields.tags = add ? [...new Set([...fields.tags, ...lower])] : fields.tags.filter((t) => !lower.includes(t));
    touch(ticket);
    if (add) {
      deps.sendJson(res, 200, { tags: fields.tags });
      return 200;
    }
    res.writeHead(204, { 'cache-control': 'no-store' }).end();
    return 204;
  }

  function createTicket(body: unknown, res: ServerResponse, user: User): number {
    const draft = isRecord(body) ? body.ticket : undefined;
    if (!isRecord(draft)) return invalid(res, 'Body must be {"ticket": {...}}');
    if (draft.comment === undefined && typeof draft.description !== 'string')
      return invalid(res, 'Record validation errors', { description: [{ description: 'Description: cannot be blank' }] });
    if (draft.type !== undefined && draft.type !== null && !(TICKET_TYPES as readonly unknown[]).includes(draft.type))
      return invalid(res, 'Record validation errors', { type: [{ description: `Type: ${String(draft.type)} is not valid` }] });
    if (draft.external_id !== undefined && draft.external_id !== null && typeof draft.external_id !== 'string')
      return invalid(res, 'Record validation errors', { external_id: [{ description: 'must be a string' }] });
    const tags = Array.isArray(draft.tags) ? draft.tags : [];
    if (!tags.every((t) => typeof t === 'string' && TAG.test(t))) return invalid(res, 'Tags must be strings without spaces or commas');
    const now = new Date().toISOString();
    const subject = typeof draft.subject === 'string' && draft.subject.trim() ? draft.subject.slice(0, 150) : 'No subject';
    const ticket: Ticket = {
      id: nextTicketId++,
      subject,
      channel: 'api',
      lang: 'en',
      customer: { name: user.name },
      requesterId: user.id,
      createdAt: now,
      messages: [],
      events: [],
      api: {
        type: (draft.type as TicketApiFields['type']) ?? null,
        status: 'open',
        externalId: (draft.external_id as string | undefined) ?? null,
        tags: [...new Set((tags as string[]).map((t) => t.toLowerCase()))],
        problemId: null,
        updatedAt: now,
      },
    };
    const problem = comment(ticket, draft.comment ?? { body: draft.description }, user);
    if (problem) {
      nextTicketId--;
      return invalid(res, 'Record validation errors', { comment: [{ description: problem }] });
    }
    deps.tickets().set(ticket.id, ticket);
    deps.sendJson(
      res,
      201,
      { ticket: ticketJson(ticket).ticket, audit: { ticket_id: ticket.id, author_id: user.id } },
      {
        location: `${deps.origin()}/api/v2/tickets/${ticket.id}.json`,
      },
    );
    return 201;
  }

  /** External-id lookup; during a forced race the first N callers all see the state as they arrived. */
  async function lookup(res: ServerResponse, externalId: string | null): Promise<number> {
    const list = [...deps.tickets().values()]
      .filter((t) => externalId === null || fieldsOf(t).externalId === externalId)
      .sort((a, b) => a.id - b.id)
      .slice(0, 100)
      .map((t) => ticketJson(t).ticket);
    if (externalId !== null && switches.race > 0) {
      switches.race -= 1;
      await new Promise<void>((resolve) => {
        raceWaiting.push(resolve);
        if (switches.race === 0) releaseRace();
        else raceTimer ??= setTimeout(releaseRace, RACE_TIMEOUT_MS);
      });
    }
    deps.sendJson(res, 200, { tickets: list, next_page: null, previous_page: null, count: list.length });
    return 200;
  }

  /** A forced failure for this request, if one is set (tests of 403 / 429 / 500 handling). */
  function forced(res: ServerResponse, write: boolean): number | null {
    const fail = switches.fail;
    if (!fail || fail.count <= 0 || (fail.scope === 'writes' && !write)) return null;
    fail.count -= 1;
    if (fail.count === 0) switches.fail = null;
    if (fail.status === 429) {
      const text = 'Number of allowed API requests per minute exceeded';
      res.writeHead(429, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'retry-after': String(fail.retryAfter ?? 60),
        'cache-control': 'no-store',
      });
      res.end(text);
    } else if (fail.status === 403) {
      deps.sendJson(res, 403, {
        error: 'Forbidden',
        description: 'You do not have access to this page. Please contact the account owner.',
      });
    } else {
      const html = '<!doctype html><title>500</title><h1>Internal Server Error</h1>';
      res.writeHead(fail.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    }
    return fail.status;
  }

  /** Handles Zendesk API paths; false when the path is not one of them (server.ts goes on). */
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/__sandbox/writes' && method === 'GET') {
      deps.sendJson(res, 200, url.searchParams.get('reads') === '1' ? log : log.filter((e) => e.kind === 'write'));
      return true;
    }
    if (path === '/__sandbox/zendesk' && (method === 'GET' || method === 'POST')) {
      const problem = method === 'POST' ? configure(await deps.readJson(req)) : null;
      if (problem) deps.sendJson(res, 400, { error: problem });
      else deps.sendJson(res, 200, state());
      return true;
    }
    const isMe = path === '/api/v2/users/me.json';
    const isList = path === '/api/v2/tickets.json';
    const ticketMatch = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(path);
    const tagsMatch = /^\/api\/v2\/tickets\/(\d+)\/tags\.json$/.exec(path);
    // GET of one ticket stays with server.ts.
    if (!isMe && !isList && !tagsMatch && !(ticketMatch && method !== 'GET' && method !== 'HEAD')) return false;

    const write = method !== 'GET' && method !== 'HEAD';
    const user = userOf(req);
    const sent = req.headers['x-csrf-token'];
    const csrf: ZendeskLogEntry['csrf'] =
      typeof sent !== 'string' || sent === '' ? 'missing' : user && sent === user.token ? 'valid' : 'invalid';
    // Every write is logged with its body, whatever answers it: the log is the tests' judge.
    const UNREADABLE = Symbol('unreadable');
    const read = write ? await deps.readJson(req).catch(() => UNREADABLE) : null;
    const unreadable = read === UNREADABLE;
    const body: unknown = unreadable ? null : read;
    const entry = (status: number) =>
      record({
        kind: write ? 'write' : 'read',
        method,
        path: `${path}${url.search}`,
        status,
        user: user?.name ?? null,
        userId: user?.id ?? null,
        csrf,
        body,
      });
    if (unreadable) {
      deps.sendJson(res, 400, { error: 'InvalidJSON', description: 'The request body is not valid JSON or too large.' });
      entry(400);
      return true;
    }

    if (isMe && method === 'GET') {
      const status = forced(res, false) ?? 200;
      if (status === 200) {
        deps.sendJson(res, 200, {
          user: user
            ? {
                id: user.id,
                url: `${deps.origin()}/api/v2/users/${user.id}.json`,
                name: user.name,
                email: user.email,
                role: 'agent',
                authenticity_token: user.token,
              }
            : { id: null, url: null, name: 'Anonymous user', email: 'invalid@example.com', role: 'end-user' },
        });
      }
      entry(status);
      return true;
    }
    if (!user) {
      deps.sendJson(res, 401, { error: "Couldn't authenticate you" });
      entry(401);
      return true;
    }
    if (write && csrf !== 'valid') {
      deps.sendJson(res, 403, { error: { title: 'Forbidden', message: 'Invalid authenticity token' } });
      entry(403);
      return true;
    }
    const failed = forced(res, write);
    if (failed !== null) {
      entry(failed);
      return true;
    }
    let status: number;
    if (isList && method === 'GET') {
      status = await lookup(res, url.searchParams.get('external_id'));
    } else if (isList && method === 'POST') {
      status = createTicket(body, res, user);
    } else if (ticketMatch || tagsMatch) {
      const ticket = findTicket(Number((ticketMatch ?? tagsMatch)?.[1]));
      if (!ticket) {
        deps.sendJson(res, 404, { error: 'RecordNotFound', description: 'Not found' });
        status = 404;
      } else if (ticketMatch && method === 'PUT') status = updateTicket(body, res, ticket, user);
      else if (tagsMatch && method === 'GET') {
        deps.sendJson(res, 200, { tags: fieldsOf(ticket).tags });
        status = 200;
      } else if (tagsMatch && (method === 'PUT' || method === 'DELETE')) status = changeTags(body, res, ticket, method === 'PUT');
      else {
        deps.sendJson(res, 405, { error: `Use GET, PUT or DELETE for ${path}.` });
        status = 405;
      }
    } else {
      deps.sendJson(res, 405, { error: `Use GET or POST for ${path}.` });
      status = 405;
    }
    entry(status);
    return true;
  }

  /** Test switches: a forced failure for the next N requests, a forced lookup race, stale CSRF tokens. */
  function configure(body: unknown): string | null {
    if (!isRecord(body)) return 'Body must be a JSON object like {"fail":{"status":429,"count":1,"retryAfter":2}}.';
    const known = new Set(['fail', 'race', 'rotateCsrf']);
    const unknown = Object.keys(body).filter((k) => !known.has(k));
    if (unknown.length) return `Unknown field(s): ${unknown.join(', ')}. Known: fail, race, rotateCsrf.`;
    if (body.fail !== undefined) {
      const fail = body.fail;
      if (fail === null) switches.fail = null;
      else {
        if (!isRecord(fail) || ![403, 429, 500, 502, 503].includes(fail.status as number))
          return 'fail must be null or {"status": 403|429|500|502|503, "count": N, "retryAfter"?: seconds, "scope"?: "writes"|"all"}.';
        const count = fail.count ?? 1;
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return 'fail.count must be a whole number of at least 1.';
        if (fail.retryAfter !== undefined && (typeof fail.retryAfter !== 'number' || fail.retryAfter < 0))
          return 'fail.retryAfter must be a number of seconds.';
        if (fail.scope !== undefined && fail.scope !== 'writes' && fail.scope !== 'all') return 'fail.scope must be "writes" or "all".';
        switches.fail = {
          status: fail.status as 403 | 429 | 500 | 502 | 503,
          count,
          ...(fail.retryAfter !== undefined ? { retryAfter: fail.retryAfter as number } : {}),
          scope: (fail.scope as 'writes' | 'all' | undefined) ?? 'writes',
        };
      }
    }
    if (body.race !== undefined) {
      if (typeof body.race !== 'number' || !Number.isInteger(body.race) || body.race < 0 || body.race > 10)
        return 'race must be a whole number from 0 to 10 (lookups that wait for each other).';
      switches.race = body.race;
      if (body.race === 0) releaseRace();
    }
    if (body.rotateCsrf === true) for (const user of sessions.values()) user.token = token();
    return null;
  }

  function state() {
    return { fail: switches.fail, race: switches.race, agents: [...sessions.values()].map(({ id, name }) => ({ id, name })) };
  }

  return {
    handle,
    ensureSession,
    /** Tickets are re-seeded by server.ts; sessions (the browsers' cookies) stay signed in. */
    reset(): void {
      releaseRace();
      log = [];
      switches = { ...DEFAULT_SWITCHES };
      nextTicketId = FIRST_API_TICKET_ID;
    },
    close(): void {
      releaseRace();
    },
  };
}

export type ZendeskApi = ReturnType<typeof createZendeskApi>;
