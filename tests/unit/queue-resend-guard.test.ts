import { describe, expect, it } from 'vitest';
import { decideResend, type LogCopy } from '@/core/queue/resend-guard';
import { commentsPathFor, readCommentsPage } from '@/profiles/ticket-comments';
import { INCIDENT_START } from '../fixtures/replies';

const TEXT = 'Hi Jana, your refund of 49.90 EUR was sent today.';
const T = INCIDENT_START;
const record = { text: TEXT, firstFailedAt: T, messageIds: ['m-1'] };
const original: LogCopy = { messageId: 'm-1', at: T, status: 'failed', text: TEXT };
const comment = (at: number, text = TEXT, isPublic = true) => ({ createdAt: at, text, public: isPublic });

describe('decideResend: only when every copy the helpdesk holds is on screen and failed', () => {
  it('sends when the only copy is the failed original, in the log and in the comments', () => {
    expect(decideResend({ record, log: [original], comments: [comment(T)] })).toEqual({ kind: 'send' });
  });

  it('does not send when a later copy shows delivered (it reached the customer)', () => {
    const copy: LogCopy = { messageId: 'm-2', at: T + 60_000, status: 'delivered', text: ` ${TEXT}\n` };
    expect(decideResend({ record, log: [original, copy], comments: [comment(T), comment(T + 60_000)] })).toEqual({
      kind: 'delivered',
      messageId: 'm-2',
    });
  });

  it('waits while another copy is still being sent', () => {
    const copy: LogCopy = { messageId: 'm-2', at: T + 60_000, status: 'pending', text: TEXT };
    expect(decideResend({ record, log: [original, copy], comments: null }).kind).toBe('pending');
  });

  it('is unconfirmed when the helpdesk holds a copy the log does not show (virtualized, not rendered yet)', () => {
    expect(decideResend({ record, log: [original], comments: [comment(T), comment(T + 60_000)] })).toEqual({
      kind: 'unconfirmed',
      helpdeskCopies: 2,
      shownCopies: 1,
    });
  });

  it('counts a copy rendered twice once, and ignores internal notes and other texts', () => {
    const copy: LogCopy = { messageId: 'm-2', at: T + 60_000, status: 'failed', text: TEXT };
    const comments = [
      comment(T),
      comment(T + 60_000),
      comment(T + 70_000, `Sent manually via Messenger:\n${TEXT}`),
      comment(T + 80_000, TEXT, false),
    ];
    expect(decideResend({ record, log: [original, copy, { ...copy }], comments }).kind).toBe('send');
  });

  it("a comment listed to the second (Zendesk's created_at) still matches a copy made within that second", () => {
    expect(
      decideResend({ record: { ...record, firstFailedAt: T + 700 }, log: [{ ...original, at: T + 700 }], comments: [comment(T)] }).kind,
    ).toBe('send');
  });

  it('an identical reply delivered before this one failed is not this one', () => {
    const earlier: LogCopy = { messageId: 'm-0', at: T - 3_600_000, status: 'delivered', text: TEXT };
    expect(decideResend({ record, log: [earlier, original], comments: [comment(T - 3_600_000), comment(T)] }).kind).toBe('send');
  });

  it("does not send when the helpdesk's record could not be read", () => {
    expect(decideResend({ record, log: [original], comments: 'unavailable' })).toEqual({ kind: 'unchecked' });
  });

  it('relies on the log alone for a helpdesk without a comments API', () => {
    expect(decideResend({ record, log: [original], comments: null })).toEqual({ kind: 'send' });
  });
});

describe('readCommentsPage: Zendesk List Comments', () => {
  // Shape of GET /api/v2/tickets/{id}/comments (developer.zendesk.com, Ticket Comments → List Comments).
  const page = {
    comments: [
      {
        id: 1274,
        type: 'Comment',
        author_id: 123123,
        body: 'Thanks for your help!',
        html_body: '<p>Thanks for your help!</p>',
        plain_body: 'Thanks for your help!',
        public: true,
        attachments: [],
        audit_id: 432432,
        via: { channel: 'web', source: { from: {}, to: {}, rel: null } },
        created_at: '2009-07-20T22:55:29Z',
        metadata: { system: {}, custom: {} },
      },
      { id: 1275, type: 'Comment', body: 'note', plain_body: 'note', public: false, created_at: '2009-07-20T22:56:00Z' },
    ],
    next_page: 'https://acme.zendesk.com/api/v2/tickets/4711/comments.json?page=2',
    previous_page: null,
    count: 3,
  };

  it('reads text, visibility and time, and the next page', () => {
    expect(readCommentsPage(page)).toEqual({
      comments: [
        { createdAt: Date.parse('2009-07-20T22:55:29Z'), text: 'Thanks for your help!', public: true },
        { createdAt: Date.parse('2009-07-20T22:56:00Z'), text: 'note', public: false },
      ],
      nextPage: 'https://acme.zendesk.com/api/v2/tickets/4711/comments.json?page=2',
    });
  });

  it('refuses a page that is not the documented shape rather than guess', () => {
    expect(readCommentsPage({ comments: 'none' })).toBeNull();
    expect(readCommentsPage({ comments: [{ plain_body: 'x', public: 'yes', created_at: '2009-07-20T22:55:29Z' }] })).toBeNull();
    expect(readCommentsPage(null)).toBeNull();
  });

  it('finds the comments path next to the ticket API path, and none without one', () => {
    expect(commentsPathFor((id) => `/api/v2/tickets/${id}.json`, '4711')).toBe('/api/v2/tickets/4711/comments.json');
    expect(commentsPathFor(undefined, '4711')).toBeNull();
    expect(commentsPathFor((id) => `/api/v1/conversations/${id}`, '4711')).toBeNull();
  });
});
