// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommentsPage } from '@/profiles/ticket-comments';
import { startSandbox } from '../../sandbox/server';

// The sandbox's read-only Zendesk "List Comments", as the retrying tab reads it before a re-send.
let sandbox: Awaited<ReturnType<typeof startSandbox>>;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});

const json = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${sandbox.url}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const post = (path: string, body: unknown) =>
  json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /api/v2/tickets/{id}/comments.json', () => {
  it('lists the conversation as Zendesk comments (internal notes not public), readable by the product', async () => {
    await post('/__sandbox/comments', { lagMs: 0 });
    await post('/api/sandbox/tickets/102/replies', { text: 'Ben, a note for the team.', internal: true });
    const { status, body } = await json('/api/v2/tickets/102/comments.json');
    expect(status).toBe(200);
    const page = readCommentsPage(body);
    expect(page?.comments.map((c) => [c.text, c.public])).toEqual([
      ['Can I swap my hiking boots for size 44? They are unworn.', true],
      ['Ben, a note for the team.', false],
    ]);
    expect(body).toMatchObject({ next_page: null, previous_page: null, count: 2 });
    // To the second, as Zendesk writes created_at.
    expect((body.comments as { created_at: string }[])[1]?.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('lags behind the log by the configured delay', async () => {
    await post('/__sandbox/comments', { lagMs: 60_000 });
    await post('/api/sandbox/tickets/103/replies', { text: 'Chloé, the code works again.' });
    expect((await json('/api/v2/tickets/103/comments.json')).body.count).toBe(2);
    await post('/__sandbox/comments', { lagMs: 0 });
    expect((await json('/api/v2/tickets/103/comments.json')).body.count).toBe(3);
  });

  it('pages at most 100, with absolute next/previous links', async () => {
    const { body } = await json('/api/v2/tickets/101/comments.json?per_page=1');
    expect(body.next_page).toBe(`${sandbox.url}/api/v2/tickets/101/comments.json?page=2&per_page=1`);
    const second = await json('/api/v2/tickets/101/comments.json?per_page=1&page=2');
    expect(second.body).toMatchObject({
      next_page: null,
      previous_page: `${sandbox.url}/api/v2/tickets/101/comments.json?page=1&per_page=1`,
    });
  });

  it('answers 404 for an unknown ticket, 405 for a write, 429 or 500 when told to, and 400 for a bad control call', async () => {
    expect((await json('/api/v2/tickets/999/comments.json')).status).toBe(404);
    expect((await json('/api/v2/tickets/101/comments.json', { method: 'POST' })).status).toBe(405);
    await post('/__sandbox/comments', { answer: '429' });
    expect((await json('/api/v2/tickets/101/comments.json')).status).toBe(429);
    expect((await post('/__sandbox/comments', { lagMs: 'soon' })).status).toBe(400);
    await post('/__sandbox/reset', {});
    expect((await json('/__sandbox/comments')).body).toEqual({ lagMs: 1000, answer: 'ok' });
  });
});
