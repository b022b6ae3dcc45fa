// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox, type ZendeskLogEntry } from '../../sandbox/server';

// The sandbox's Zendesk API (sandbox/zendesk-api.ts) as a browser session sees it: cookie, CSRF, writes.

let sandbox: SandboxHandle;

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterEach(async () => {
  await sandbox.close();
});

/** Signs in like a browser: a page load sets the session cookie. */
async function signIn(): Promise<{ cookie: string; token: string; name: string }> {
  const page = await fetch(`${sandbox.url}/agent/tickets/101`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^_zendesk_session=/);
  const me = (await (await fetch(`${sandbox.url}/api/v2/users/me.json`, { headers: { cookie } })).json()) as {
    user: { name: string; authenticity_token: string };
  };
  return { cookie, token: me.user.authenticity_token, name: me.user.name };
}

async function api(path: string, init: { method?: string; cookie?: string; token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.token) headers['x-csrf-token'] = init.token;
  return fetch(`${sandbox.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

async function writes(): Promise<ZendeskLogEntry[]> {
  return (await (await fetch(`${sandbox.url}/__sandbox/writes`)).json()) as ZendeskLogEntry[];
}

async function messages(ticketId: number): Promise<{ text: string; internal: boolean; senderName: string; status: string | null }[]> {
  return ((await (await fetch(`${sandbox.url}/api/sandbox/tickets/${ticketId}/messages`)).json()) as { messages: never[] }).messages;
}

describe('sandbox Zendesk API', () => {
  it('gives each browser session its own agent and token; without a session users/me is anonymous', async () => {
    const a = await signIn();
    const b = await signIn();
    expect(a.name).not.toBe(b.name);
    expect(a.token).not.toBe(b.token);
    const anonymous = (await (await api('/api/v2/users/me.json')).json()) as { user: Record<string, unknown> };
    expect(anonymous.user.id).toBeNull();
    expect(anonymous.user).not.toHaveProperty('authenticity_token');
    expect((await api('/api/v2/tickets.json?external_id=x')).status).toBe(401);
  });

  it('refuses writes without a valid X-CSRF-Token (403) and logs them', async () => {
    const { cookie, token } = await signIn();
    const body = { tags: ['send_guard_unsent'] };
    expect((await api('/api/v2/tickets/101/tags.json', { method: 'PUT', cookie, body })).status).toBe(403);
    const wrong = await api('/api/v2/tickets/101/tags.json', { method: 'PUT', cookie, token: 'nope', body });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: { title: 'Forbidden', message: 'Invalid authenticity token' } });
    expect((await api('/api/v2/tickets/101/tags.json', { method: 'PUT', cookie, token, body })).status).toBe(200);
    expect((await writes()).map((w) => [w.status, w.csrf])).toEqual([
      [403, 'missing'],
      [403, 'invalid'],
      [200, 'valid'],
    ]);
    // A rotated token is refused until the client reads users/me again.
    await fetch(`${sandbox.url}/__sandbox/zendesk`, { method: 'POST', body: JSON.stringify({ rotateCsrf: true }) });
    expect((await api('/api/v2/tickets/101/tags.json', { method: 'PUT', cookie, token, body })).status).toBe(403);
  });

  it('adds and removes tags; a private comment is an internal note in the log, a comment without public:false goes to the customer', async () => {
    const { cookie, token, name } = await signIn();
    const put = await api('/api/v2/tickets/101/tags.json', { method: 'PUT', cookie, token, body: { tags: ['send_guard_unsent'] } });
    expect(await put.json()).toEqual({ tags: ['facebook', 'send_guard_unsent'] });
    const del = await api('/api/v2/tickets/101/tags.json', { method: 'DELETE', cookie, token, body: { tags: ['send_guard_unsent'] } });
    expect(del.status).toBe(204);
    expect(await (await api('/api/v2/tickets/101/tags.json', { cookie })).json()).toEqual({ tags: ['facebook'] });

    const note = await api('/api/v2/tickets/101.json', {
      method: 'PUT',
      cookie,
      token,
      body: { ticket: { comment: { body: 'Kept: exact text', public: false } } },
    });
    expect(note.status).toBe(200);
    expect((await messages(101)).at(-1)).toMatchObject({ text: 'Kept: exact text', internal: true, senderName: name, status: null });

    await api('/api/v2/tickets/101.json', { method: 'PUT', cookie, token, body: { ticket: { comment: { body: 'Oops, public' } } } });
    expect((await messages(101)).at(-1)).toMatchObject({ text: 'Oops, public', internal: false, status: 'pending' });
  });

  it('creates problem tickets, finds them by external id at once, and solves one', async () => {
    const { cookie, token } = await signIn();
    const create = (subject: string) =>
      api('/api/v2/tickets.json', {
        method: 'POST',
        cookie,
        token,
        body: {
          ticket: {
            subject,
            type: 'problem',
            external_id: 'send-guard-outage:messenger',
            tags: ['send_guard_outage'],
            comment: { body: 'first-hand evidence', public: false },
          },
        },
      });
    const first = await create('Messenger failing');
    expect(first.status).toBe(201);
    const created = ((await first.json()) as { ticket: { id: number; type: string; status: string } }).ticket;
    expect(created).toMatchObject({ id: 4711, type: 'problem', status: 'open' });
    await create('Messenger failing (again)');
    const found = (await (await api('/api/v2/tickets.json?external_id=send-guard-outage%3Amessenger', { cookie })).json()) as {
      tickets: { id: number; status: string }[];
    };
    expect(found.tickets.map((t) => t.id)).toEqual([4711, 4712]);
    await api('/api/v2/tickets/4712.json', {
      method: 'PUT',
      cookie,
      token,
      body: { ticket: { status: 'solved', comment: { body: 'Duplicate of #4711', public: false } } },
    });
    const ticket = (await (await api('/api/v2/tickets/4712.json', { cookie })).json()) as { ticket: { status: string; via: unknown } };
    expect(ticket.ticket.status).toBe('solved');
    expect(ticket.ticket.via).toMatchObject({ channel: 'api' });
    expect((await messages(4711))[0]).toMatchObject({ text: 'first-hand evidence', internal: true });
  });

  it('forces 429 with Retry-After (plain text), 500, and a lookup race that lets two callers both see nothing', async () => {
    const { cookie, token } = await signIn();
    const control = (body: unknown) => fetch(`${sandbox.url}/__sandbox/zendesk`, { method: 'POST', body: JSON.stringify(body) });
    expect((await control({ fail: { status: 418 } })).status).toBe(400);
    await control({ fail: { status: 429, count: 1, retryAfter: 7 } });
    const limited = await api('/api/v2/tickets/101/tags.json', { method: 'PUT', cookie, token, body: { tags: ['x'] } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.text()).toContain('Number of allowed API requests');
    await control({ fail: { status: 500, count: 1 } });
    expect((await api('/api/v2/tickets/101/tags.json', { method: 'PUT', cookie, token, body: { tags: ['x'] } })).status).toBe(500);
    expect((await api('/api/v2/tickets/101/tags.json', { method: 'PUT', cookie, token, body: { tags: ['x'] } })).status).toBe(200);

    await control({ race: 2 });
    const lookup = () =>
      api('/api/v2/tickets.json?external_id=send-guard-outage%3Amessenger', { cookie }).then(
        async (r) => ((await r.json()) as { count: number }).count,
      );
    const firstLookup = lookup();
    // The first lookup waits for the second; a ticket created in between is seen by neither.
    await expect.poll(async () => ((await (await fetch(`${sandbox.url}/__sandbox/zendesk`)).json()) as { race: number }).race).toBe(1);
    await api('/api/v2/tickets.json', {
      method: 'POST',
      cookie,
      token,
      body: {
        ticket: { subject: 's', type: 'problem', external_id: 'send-guard-outage:messenger', comment: { body: 'b', public: false } },
      },
    });
    const counts = await Promise.all([firstLookup, lookup()]);
    expect(counts[0]).toBe(0);
    expect(await lookup()).toBe(1);
  });
});
