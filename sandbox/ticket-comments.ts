// Zendesk's "List Comments" for the sandbox's tickets, read-only, derived from each ticket's messages:
//   GET /api/v2/tickets/{ticket_id}/comments(.json)[?page=N&per_page=M&sort_order=asc|desc]
// Shape from developer.zendesk.com, Ticketing API → Ticket Comments → "List Comments" and the
// comment JSON format there: `{comments: [{id, type, author_id, body, html_body, plain_body,
// public, attachments, audit_id, via, metadata, created_at}], next_page, previous_page, count}`;
// at most 100 comments a page, oldest first unless `sort_order=desc`; `created_at` to the second
// ("2009-07-20T22:55:29Z"); internal notes are `public: false`; unknown ticket → 404 RecordNotFound.
//
// Made harder where real Zendesk is unknown: a comment carries no delivery status (failed, pending
// and delivered replies all look alike), its id is not the log's message id, and the list may lag
// behind the conversation log by a configurable delay (POST /__sandbox/comments {lagMs}) or answer
// with an error (`{answer: "429" | "500"}`, as Zendesk's rate limit and outages would).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxMessage, Ticket } from './types.js';

export const COMMENT_ANSWERS = ['ok', '429', '500'] as const;
export type CommentAnswer = (typeof COMMENT_ANSWERS)[number];

/** Default lag of the comments list behind the log: unknown for real Zendesk, so not zero. */
export const DEFAULT_COMMENTS_LAG_MS = 1000;
const MAX_LAG_MS = 60_000;
const MAX_PER_PAGE = 100;
const AGENT_ID = 8_000_001;

export interface CommentsControl {
  lagMs: number;
  answer: CommentAnswer;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function toSecond(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One comment in Zendesk's shape, for a message of the ticket's log. */
function commentOf(ticket: Ticket, msg: SandboxMessage, index: number): Record<string, unknown> {
  const fromAgent = msg.author === 'agent';
  return {
    // Numeric like Zendesk's, and unrelated to the log's message id.
    id: 30_000_000_000 + ticket.id * 10_000 + index,
    type: 'Comment',
    author_id: fromAgent ? AGENT_ID : ticket.requesterId,
    body: msg.text,
    html_body: `<div class="zd-comment" dir="auto"><p dir="auto">${escapeHtml(msg.text)}</p></div>`,
    plain_body: msg.text,
    public: !msg.internal,
    attachments: [],
    audit_id: 40_000_000_000 + ticket.id * 10_000 + index,
    via: { channel: ticket.channel === 'email' ? 'email' : 'native_messaging', source: { from: {}, to: {}, rel: null } },
    metadata: { system: {}, custom: {} },
    created_at: toSecond(msg.createdAt),
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The comments API of one sandbox; `lookup` finds a ticket in the sandbox's current state. */
export function createTicketComments(lookup: (id: number) => Ticket | undefined, origin: () => string) {
  let control: CommentsControl = { lagMs: DEFAULT_COMMENTS_LAG_MS, answer: 'ok' };

  function list(res: ServerResponse, url: URL, ticketId: number): void {
    const ticket = lookup(ticketId);
    if (!ticket) {
      send(res, 404, { error: 'RecordNotFound', description: 'Not found' });
      return;
    }
    if (control.answer !== 'ok') {
      send(
        res,
        Number(control.answer),
        { error: control.answer === '429' ? 'APIRateLimitExceeded' : 'InternalServerError' },
        control.answer === '429' ? { 'retry-after': '10' } : {},
      );
      return;
    }
    const cutoff = Date.now() - control.lagMs;
    const all = ticket.messages.map((msg, i) => ({ msg, i })).filter(({ msg }) => Date.parse(msg.createdAt) <= cutoff);
    if (url.searchParams.get('sort_order') === 'desc') all.reverse();
    const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Number(url.searchParams.get('per_page')) || MAX_PER_PAGE));
    const page = Math.max(1, Math.floor(Number(url.searchParams.get('page')) || 1));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const link = (n: number) => {
      const next = new URL(`${origin()}/api/v2/tickets/${ticket.id}/comments.json`);
      next.searchParams.set('page', String(n));
      next.searchParams.set('per_page', String(perPage));
      const sort = url.searchParams.get('sort_order');
      if (sort) next.searchParams.set('sort_order', sort);
      return next.toString();
    };
    send(res, 200, {
      comments: slice.map(({ msg, i }) => commentOf(ticket, msg, i)),
      next_page: page * perPage < all.length ? link(page + 1) : null,
      previous_page: page > 1 ? link(page - 1) : null,
      count: all.length,
    });
  }

  async function configure(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return send(res, 400, { error: 'Body must be a JSON object like {"lagMs": 5000}.' });
    }
    const { lagMs, answer, ...rest } = body as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return send(res, 400, { error: `Unknown field(s): ${Object.keys(rest).join(', ')}.` });
    if (lagMs !== undefined && (typeof lagMs !== 'number' || !Number.isInteger(lagMs) || lagMs < 0 || lagMs > MAX_LAG_MS)) {
      return send(res, 400, { error: `lagMs must be a whole number of milliseconds from 0 to ${MAX_LAG_MS}.` });
    }
    if (answer !== undefined && !(COMMENT_ANSWERS as readonly unknown[]).includes(answer)) {
      return send(res, 400, { error: `Unknown answer ${JSON.stringify(answer)}. Known: ${COMMENT_ANSWERS.join(', ')}.` });
    }
    control = { lagMs: (lagMs as number | undefined) ?? control.lagMs, answer: (answer as CommentAnswer | undefined) ?? control.answer };
    send(res, 200, control);
  }

  return {
    /** Answers the comments API and its control call; false for any other path. */
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      const match = /^\/api\/v2\/tickets\/(\d+)\/comments(?:\.json)?$/.exec(url.pathname);
      const method = req.method ?? 'GET';
      if (match) {
        if (method !== 'GET' && method !== 'HEAD') send(res, 405, { error: 'The ticket comments API is read-only here: use GET.' });
        else list(res, url, Number(match[1]));
        return true;
      }
      if (url.pathname === '/__sandbox/comments') {
        if (method === 'POST') await configure(req, res);
        else if (method === 'GET') send(res, 200, control);
        else send(res, 405, { error: 'Use GET or POST for /__sandbox/comments.' });
        return true;
      }
      return false;
    },
    /** Back to the defaults (a sandbox reset). */
    reset(): void {
      control = { lagMs: DEFAULT_COMMENTS_LAG_MS, answer: 'ok' };
    },
  };
}
