import type { CommentCopy } from '../core/queue/resend-guard';

// Zendesk's ticket comments, read by hand (no schema library in the helpdesk tab):
// GET /api/v2/tickets/{ticket_id}/comments(.json), "List Comments" in developer.zendesk.com's
// Ticket Comments reference: `{comments: [{id, type, body, html_body, plain_body, public,
// author_id, attachments, via, metadata, created_at}], next_page, previous_page, count}`,
// at most 100 per page, oldest first. Read-only; same origin, the agent's own session.

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One page of comments, or null when the answer is not the documented shape (never a guess). */
export function readCommentsPage(json: unknown): { comments: CommentCopy[]; nextPage: string | null } | null {
  if (!isRecord(json) || !Array.isArray(json.comments)) return null;
  const comments: CommentCopy[] = [];
  for (const item of json.comments) {
    if (!isRecord(item)) return null;
    const text = typeof item.plain_body === 'string' ? item.plain_body : typeof item.body === 'string' ? item.body : null;
    const createdAt = typeof item.created_at === 'string' ? Date.parse(item.created_at) : Number.NaN;
    if (text === null || typeof item.public !== 'boolean' || !Number.isFinite(createdAt)) return null;
    comments.push({ createdAt, text, public: item.public });
  }
  const next = json.next_page;
  if (next !== null && next !== undefined && typeof next !== 'string') return null;
  return { comments, nextPage: next ?? null };
}

/** The comments path beside a Zendesk-style ticket API path (`/api/v2/tickets/<id>.json`); null for any other helpdesk. */
export function commentsPathFor(ticketApiPath: ((ticketId: string) => string) | undefined, ticketId: string): string | null {
  const path = ticketApiPath?.(ticketId);
  return path && /\/api\/v2\/tickets\/[^/]+\.json$/.test(path) ? path.replace(/\.json$/, '/comments.json') : null;
}
