import { rmSync } from 'node:fs';
import { type BrowserContext, expect, type Page, test, type Worker } from '@playwright/test';
import { DEFAULT_STATUS_SETTINGS } from '../../core/status/settings';
import type { ZendeskLogEntry, ZendeskSwitchRequest } from '../../sandbox/server';
import { type LaunchedExtension, launchWithExtension } from '../../scripts/launch';
import { banner, type Harness, openTicket, outboundMessage, readQueue, type Sandbox, sendReply, setMode, startHarness } from './harness';
import { readHealth } from './probes';

// Team mode end to end: two browser profiles are two agents signed in to one sandbox helpdesk
// (each profile gets its own session cookie, so its own Zendesk user and CSRF token). The
// sandbox's write log (GET /__sandbox/writes) is the judge of what reached the helpdesk.
// Sandbox tickets (sandbox/tickets.ts): 101, 102, 105, 106 are Messenger; agent 1 works 101 and
// 105, agent 2 works 102 and 106 (a shared log would make each see the other's failed replies).

const PSID_101 = '6723451234567890';
const PSID_102 = '6723459876543210';
const OUTAGE_ID = 'send-guard-outage:messenger';
const SAVED = 'Saved.';

let agent1: Harness | undefined;
let agent2: LaunchedExtension | undefined;

test.afterEach(async () => {
  // Whatever a test did, no public comment ever reached the helpdesk.
  if (agent1) expectNoPublicComment(await writes(agent1.sandbox));
  await agent2?.context.close().catch(() => undefined);
  await agent1?.close();
  agent1 = undefined;
  agent2 = undefined;
});

// ---- the sandbox helpdesk, seen from the test ----

async function writes(sandbox: Sandbox, reads = false): Promise<ZendeskLogEntry[]> {
  return (await (await fetch(`${sandbox.url}/__sandbox/writes${reads ? '?reads=1' : ''}`)).json()) as ZendeskLogEntry[];
}

async function zendesk(sandbox: Sandbox, body: ZendeskSwitchRequest): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/zendesk`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.ok, await response.clone().text()).toBe(true);
}

interface LogMessage {
  text: string;
  internal: boolean;
  senderName: string;
  author: string;
}
async function ticketLog(sandbox: Sandbox, ticketId: number): Promise<LogMessage[]> {
  return ((await (await fetch(`${sandbox.url}/api/sandbox/tickets/${ticketId}/messages`)).json()) as { messages: LogMessage[] }).messages;
}

interface TicketJson {
  tags: string[];
  type: string | null;
  status: string;
  problem_id: number | null;
}
async function ticketJson(sandbox: Sandbox, ticketId: number): Promise<TicketJson> {
  return ((await (await fetch(`${sandbox.url}/api/v2/tickets/${ticketId}.json`)).json()) as { ticket: TicketJson }).ticket;
}

async function ticketTags(sandbox: Sandbox, ticketId: number): Promise<string[]> {
  return (await ticketJson(sandbox, ticketId)).tags;
}

interface ListedTicket {
  id: number;
  status: string;
  type: string;
  created_at: string;
}
/** The outage tickets by external id, read with a session of the test's own (a third signed-in browser). */
async function outageTickets(sandbox: Sandbox): Promise<ListedTicket[]> {
  const cookie = ((await fetch(`${sandbox.url}/`)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const response = await fetch(`${sandbox.url}/api/v2/tickets.json?external_id=${encodeURIComponent(OUTAGE_ID)}`, { headers: { cookie } });
  return ((await response.json()) as { tickets: ListedTicket[] }).tickets;
}

function commentOf(entry: ZendeskLogEntry): { body?: unknown; public?: unknown } | null {
  const ticket = (entry.body as { ticket?: { comment?: { body?: unknown; public?: unknown } } } | null)?.ticket;
  return ticket?.comment ?? null;
}

function expectNoPublicComment(log: ZendeskLogEntry[]): void {
  const comments = log.map(commentOf).filter((c) => c !== null);
  for (const comment of comments) expect(comment.public, JSON.stringify(comment)).toBe(false);
}

const onTicket = (ticketId: number) => (e: ZendeskLogEntry) =>
  e.path === `/api/v2/tickets/${ticketId}.json` || e.path === `/api/v2/tickets/${ticketId}/tags.json`;

// ---- the extension, seen from the test ----

declare const chrome: {
  storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
  alarms: { create(name: string, info: { when: number }): Promise<void> };
};

/** Turns team mode on the way an agent does: the options page's checkbox and its one Save. */
async function enableTeam(agent: { context: BrowserContext; extensionId: string }): Promise<void> {
  const options = await openOptions(agent.context, agent.extensionId);
  await options.getByLabel('Share kept replies and outages with the team through the helpdesk').check();
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText(SAVED);
  await options.close();
}

interface TeamStateView {
  outbox: unknown[];
  polls: number;
}
async function teamState(worker: Worker): Promise<TeamStateView | undefined> {
  return worker.evaluate(async () => (await chrome.storage.local.get('team:v1'))['team:v1'] as never);
}

/** One early-warning poll now: the poll alarm, fired out of turn (the worker puts its period back). */
async function firePoll(worker: Worker): Promise<void> {
  await worker.evaluate(() => chrome.alarms.create('team-poll', { when: Date.now() }));
}

async function incidentEvents(worker: Worker): Promise<{ kind: string; at: number; detail?: string }[]> {
  return worker.evaluate(async () => {
    const log = (await chrome.storage.local.get('incidents:v1'))['incidents:v1'] as
      | { episodes: { channel: string; events: { kind: string; at: number; detail?: string }[] }[] }
      | undefined;
    return (log?.episodes ?? []).filter((e) => e.channel === 'messenger').flatMap((e) => e.events);
  });
}

async function openOptions(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(page.getByRole('heading', { name: 'Team mode' })).toBeVisible();
  return page;
}

/** A reply that fails and is kept: the failure marker, then the record in the queue. */
async function keep(page: Page, worker: Worker, text: string): Promise<void> {
  await sendReply(page, text);
  await expect(outboundMessage(page, text)).toHaveAttribute('data-delivery-status', 'failed');
  await expect.poll(async () => (await readQueue(worker)).some((r) => r.text === text)).toBe(true);
}

/** Several kept replies in turn, each on its page. */
async function keepAll(worker: Worker, replies: [Page, string][]): Promise<void> {
  for (const [page, text] of replies) {
    await page.bringToFront();
    await keep(page, worker, text);
  }
}

const secondsBetween = (a: ZendeskLogEntry, b: ZendeskLogEntry) => (Date.parse(b.at) - Date.parse(a.at)) / 1000;

/** Two browser profiles on one sandbox helpdesk; agent 1 with team mode on. */
async function twoAgents(): Promise<{ a1: Harness; a2: LaunchedExtension; sandbox: Sandbox }> {
  const a1 = await startHarness();
  agent1 = a1;
  const a2 = await launchWithExtension({ headless: true });
  agent2 = a2;
  await enableTeam(a1);
  return { a1, a2, sandbox: a1.sandbox };
}

// ---- the tests ----

test('a kept reply tags its ticket and leaves a private note with the exact text; delivered, the tag goes and a note says so; the note outlives the profile', async () => {
  agent1 = await startHarness();
  const { context, worker, sandbox, extensionId, userDataDir } = agent1;
  // Turned on the way an agent does it: the options page.
  const options = await openOptions(context, extensionId);
  await expect(options.getByTestId('team-sync')).toHaveText('Team sync: 0 waiting');
  await options.getByLabel('Share kept replies and outages with the team through the helpdesk').check();
  await options.getByRole('button', { name: 'Apply these settings' }).click();
  await expect(options.getByTestId('settings-notice')).toHaveText(SAVED);

  // Only these two customers fail: two conversations, two failures, so no outage.
  await setMode(sandbox, { overrides: { [PSID_101]: 'outage', [PSID_102]: 'outage' } });
  const t101 = await openTicket(context, sandbox, '101');
  const textA = 'Anna, your refund of 49.90 EUR was sent today — it shows in 3–5 days.';
  await keep(t101, worker, textA);

  await expect.poll(async () => ticketTags(sandbox, 101)).toContain('send_guard_unsent');
  await expect
    .poll(async () => (await ticketLog(sandbox, 101)).find((m) => m.internal && m.text.includes(textA)))
    .toMatchObject({ author: 'agent', internal: true });
  const note = (await ticketLog(sandbox, 101)).find((m) => m.internal && m.text.includes(textA));
  expect(note?.text).toMatch(/^Send Guard kept this reply: Meta's Send API failed at \d\d:\d\d UTC \(error code 2\)\.\n\n/);
  expect(note?.text.endsWith(`\n\n${textA}`)).toBe(true);
  const agentName = note?.senderName;
  expect(agentName).toBeTruthy();
  const keptWrites = (await writes(sandbox)).filter(onTicket(101));
  expect(keptWrites.map((w) => [w.method, w.path, w.status, w.csrf])).toEqual([
    ['PUT', '/api/v2/tickets/101/tags.json', 200, 'valid'],
    ['PUT', '/api/v2/tickets/101.json', 200, 'valid'],
  ]);
  await expect(options.getByTestId('team-sync')).toHaveText('Team sync: 0 waiting');

  // A second kept reply on another ticket stays unsent to the end.
  const t102 = await openTicket(context, sandbox, '102');
  const textB = 'Ben, size 44 is reserved for you until Friday.';
  await keep(t102, worker, textB);
  await expect.poll(async () => ticketTags(sandbox, 102)).toContain('send_guard_unsent');

  // Meta recovers; the agent retries on 101: delivered once, the tag goes, a one-line note says how it ended.
  await setMode(sandbox, { overrides: { [PSID_102]: 'outage' } });
  await t101.bringToFront();
  await banner(t101).getByRole('button', { name: 'Retry', exact: true }).click();
  await expect.poll(async () => (await readQueue(worker)).find((r) => r.text === textA)?.state).toBe('sent');
  await expect.poll(async () => ticketTags(sandbox, 101)).not.toContain('send_guard_unsent');
  await expect
    .poll(async () => (await ticketLog(sandbox, 101)).filter((m) => m.internal).map((m) => m.text))
    .toContainEqual(
      expect.stringMatching(
        /^Send Guard: the last kept reply on this ticket was delivered at \d\d:\d\d UTC; no reply is waiting any more\.$/,
      ),
    );
  const on101 = (await writes(sandbox)).filter(onTicket(101));
  expect(on101.map((w) => [w.method, w.path, w.status])).toEqual([
    ['PUT', '/api/v2/tickets/101/tags.json', 200],
    ['PUT', '/api/v2/tickets/101.json', 200],
    ['DELETE', '/api/v2/tickets/101/tags.json', 204],
    ['PUT', '/api/v2/tickets/101.json', 200],
  ]);
  // The customer got the reply once; nothing the team wrote went to the customer.
  const sent = (await (await fetch(`${sandbox.url}/__sandbox/sent`)).json()) as { text: string }[];
  expect(sent.filter((s) => s.text === textA)).toHaveLength(1);
  expect(sent.filter((s) => s.text.includes('Send Guard'))).toHaveLength(0);

  // The agent's browser profile is wiped: the reply kept on 102 is still in the ticket, for the team.
  await agent1.context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  const kept = (await ticketLog(sandbox, 102)).find((m) => m.internal && m.text.endsWith(`\n\n${textB}`));
  expect(kept?.senderName).toBe(agentName);
  expect(await ticketTags(sandbox, 102)).toContain('send_guard_unsent');
  // A colleague's browser opens the ticket and reads the note in the conversation log.
  agent2 = await launchWithExtension({ headless: true });
  const colleague = await openTicket(agent2.context, sandbox, '102');
  await expect(colleague.locator('[data-internal="true"]', { hasText: textB })).toBeVisible();

  const writesPerReply = on101.length;
  console.log(
    `[team] writes per kept reply: ${writesPerReply} (${keptWrites.length} when kept: tag + private note; ` +
      `${writesPerReply - keptWrites.length} when it ends: tag removal + one-line note); users/me reads: ` +
      `${(await writes(sandbox, true)).filter((e) => e.path === '/api/v2/users/me.json').length}`,
  );
});

test('agent 1 reaches outage: one problem ticket; agent 2 (no failures) sees the team banner within one poll; agent 2’s outage adds a note to the same ticket; recovery adds a note, the ticket stays open', async () => {
  const { a1, a2, sandbox } = await twoAgents();
  // Agent 2 gets team mode from the admin's policy (the sandbox build's stand-in for storage.managed),
  // with the opt-in linking of affected tickets to the outage ticket as incidents.
  await a2.worker.evaluate(() => chrome.storage.local.set({ 'sandbox:managed': { teamMode: true, teamLinkIncidents: true } }));

  const a2t102 = await openTicket(a2.context, sandbox, '102');
  const a1t101 = await openTicket(a1.context, sandbox, '101');
  const a1t105 = await openTicket(a1.context, sandbox, '105');
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  const replies: [Page, string][] = [
    [a1t101, 'Anna, the courier comes tomorrow.'],
    [a1t105, 'Hallo Jonas, das Rücksendeetikett kommt per E-Mail.'],
    [a1t101, 'Tracking link follows by e-mail.'],
    [a1t105, 'Die Gutschrift folgt nach Eingang.'],
    [a1t101, 'Anything else I can do for you?'],
  ];
  await keepAll(a1.worker, replies);
  await expect.poll(async () => (await readHealth(a1.worker)).messenger?.level).toBe('outage');

  // One problem ticket, created from agent 1's browser, private description with first-hand evidence.
  await expect.poll(async () => (await outageTickets(sandbox)).length).toBe(1);
  const [problem] = await outageTickets(sandbox);
  expect(problem).toMatchObject({ type: 'problem', status: 'open' });
  const problemId = problem?.id ?? 0;
  const description = (await ticketLog(sandbox, problemId))[0];
  expect(description?.internal).toBe(true);
  expect(description?.text).toMatch(
    /^Send Guard in .+'s browser sees Messenger replies failing since \d\d:\d\d UTC: 5 of the last 5 sends failed, in 2 conversations; \d replies kept\. Official status: not checked\./,
  );
  const created = (await writes(sandbox)).find((w) => w.method === 'POST' && w.path === '/api/v2/tickets.json' && w.status === 201);
  expect(created?.body).toMatchObject({
    ticket: { type: 'problem', external_id: OUTAGE_ID, comment: { public: false }, tags: ['send_guard_outage', 'send_guard_messenger'] },
  });
  const outageAt = (await incidentEvents(a1.worker)).find((e) => e.kind === 'level' && e.detail === 'outage')?.at;
  expect(outageAt).toBeDefined();
  const outageToTicketMs = Date.parse(created?.at ?? '') - (outageAt ?? 0);

  // Agent 2's sends have not failed: nothing kept, detector calm, no banner yet.
  expect(await readQueue(a2.worker)).toHaveLength(0);
  expect((await readHealth(a2.worker)).messenger?.level ?? 'operational').toBe('operational');
  await expect(banner(a2t102)).toHaveCount(0);
  const pollsBefore = (await teamState(a2.worker))?.polls ?? 0;
  await firePoll(a2.worker);
  const teamLine = new RegExp(`Your team reports Messenger failing since \\d\\d:\\d\\d UTC \\(ticket #${problemId}\\)\\.`);
  await expect(banner(a2t102)).toContainText(teamLine);
  const cycles = ((await teamState(a2.worker))?.polls ?? 0) - pollsBefore;
  expect(cycles).toBe(1);
  await expect(banner(a2t102)).toContainText('Messenger replies are not failing here so far.');
  await expect(banner(a2t102)).toContainText(
    'Meta is failing to deliver replies. Wait and retry, or hand urgent replies off to Messenger now.',
  );
  await expect(banner(a2t102)).toHaveAttribute('role', 'alert');
  await expect(banner(a2t102).getByRole('link', { name: `Open the team's outage ticket #${problemId}` })).toHaveAttribute(
    'href',
    `${sandbox.url}/agent/tickets/${problemId}`,
  );
  // The incident timeline carries the ticket's link.
  await expect
    .poll(async () => (await incidentEvents(a2.worker)).find((e) => e.kind === 'team-ticket')?.detail)
    .toBe(`#${problemId} ${sandbox.url}/agent/tickets/${problemId}`);

  // Now agent 2's own sends fail: its outage adds a note to the same ticket, no second ticket.
  const a2t106 = await openTicket(a2.context, sandbox, '106');
  const a2replies: [Page, string][] = [
    [a2t102, 'Ben, the swap label is attached.'],
    [a2t106, 'Lea, the warranty covers the strap.'],
    [a2t102, 'The new boots ship on Monday.'],
    [a2t106, 'Please send a photo of the tear.'],
    [a2t102, 'Anything else I can help with?'],
  ];
  await keepAll(a2.worker, a2replies);
  await expect.poll(async () => (await readHealth(a2.worker)).messenger?.level).toBe('outage');
  await expect
    .poll(async () => (await ticketLog(sandbox, problemId)).filter((m) => m.internal).map((m) => m.text))
    .toContainEqual(expect.stringMatching(/^Also failing for .+ since \d\d:\d\d UTC, \d replies kept\.$/));
  const alsoFailing = (await ticketLog(sandbox, problemId)).find((m) => m.text.startsWith('Also failing'));
  // Written by agent 2's own user, not agent 1's.
  expect(alsoFailing?.senderName).not.toBe(description?.senderName);
  expect(alsoFailing?.text).toContain(`Also failing for ${alsoFailing?.senderName} since`);
  expect(await outageTickets(sandbox)).toHaveLength(1);
  // Linking is agent 2's opt-in only: its tickets became incidents of the outage ticket, agent 1's did not.
  await expect.poll(async () => (await ticketJson(sandbox, 102)).problem_id).toBe(problemId);
  expect(await ticketJson(sandbox, 102)).toMatchObject({ type: 'incident' });
  expect(await ticketJson(sandbox, 101)).toMatchObject({ type: null, problem_id: null });

  // Meta recovers for agent 1: a recovery note and tag on the ticket, which stays open for a person to close.
  await setMode(sandbox, { mode: 'healthy' });
  await a1t101.bringToFront();
  for (const text of ['Quick update one.', 'Quick update two.', 'Quick update three.']) {
    await sendReply(a1t101, text);
    await expect(outboundMessage(a1t101, text)).toHaveAttribute('data-delivery-status', 'delivered');
  }
  await expect.poll(async () => (await readHealth(a1.worker)).messenger?.level).toBe('operational');
  await expect
    .poll(async () => (await ticketLog(sandbox, problemId)).filter((m) => m.internal).map((m) => m.text))
    .toContainEqual(
      expect.stringMatching(new RegExp(`^Messenger replies work again for ${description?.senderName} since \\d\\d:\\d\\d UTC\\.`)),
    );
  await expect.poll(async () => (await ticketJson(sandbox, problemId)).tags).toContain('send_guard_recovered');
  expect(await ticketJson(sandbox, problemId)).toMatchObject({ status: 'open' });

  console.log(
    `[team] agent 1 outage -> problem ticket #${problemId}: ${outageToTicketMs} ms; agent 2 banner after ${cycles} poll cycle(s) ` +
      `(poll period = status active interval, ${DEFAULT_STATUS_SETTINGS.activeIntervalMin} min by default)`,
  );
});

test('a forced race: both browsers see no outage ticket and both create one; the lowest id is kept, the other solved with a note pointing to it', async () => {
  const { a1, a2, sandbox } = await twoAgents();
  await enableTeam(a2);
  const pages = {
    a1: [await openTicket(a1.context, sandbox, '101'), await openTicket(a1.context, sandbox, '105')],
    a2: [await openTicket(a2.context, sandbox, '102'), await openTicket(a2.context, sandbox, '106')],
  };
  // The next two external-id lookups wait for each other: both browsers are told "no ticket yet".
  await zendesk(sandbox, { race: 2 });
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  for (let i = 0; i < 5; i += 1) {
    const a1Page = pages.a1[i % 2] as Page;
    const a2Page = pages.a2[i % 2] as Page;
    await Promise.all([
      a1Page.bringToFront().then(() => keep(a1Page, a1.worker, `Agent one, reply ${i + 1}.`)),
      a2Page.bringToFront().then(() => keep(a2Page, a2.worker, `Agent two, reply ${i + 1}.`)),
    ]);
  }
  // Both created one; then each looked again and the one with the higher id was solved.
  await expect
    .poll(
      async () =>
        (await writes(sandbox)).filter((w) => w.method === 'POST' && w.path === '/api/v2/tickets.json' && w.status === 201).length,
    )
    .toBe(2);
  await expect.poll(async () => (await outageTickets(sandbox)).filter((t) => t.status === 'open').length).toBe(1);
  const tickets = await outageTickets(sandbox);
  expect(tickets).toHaveLength(2);
  const [kept, solved] = tickets;
  expect(kept).toMatchObject({ status: 'open' });
  expect(solved).toMatchObject({ status: 'solved' });
  expect(kept?.id).toBeLessThan(solved?.id ?? 0);
  const solvedNotes = (await ticketLog(sandbox, solved?.id ?? 0)).filter((m) => m.internal).map((m) => m.text);
  expect(solvedNotes).toContain(`Send Guard: this outage is tracked in #${kept?.id}; this duplicate was solved.`);
  // The browser whose ticket was solved leaves its evidence on the kept one.
  await expect
    .poll(async () => (await ticketLog(sandbox, kept?.id ?? 0)).filter((m) => m.text.startsWith('Also failing')).length)
    .toBeGreaterThanOrEqual(1);
});

test('with team mode off (the default) nothing is written or even read at the helpdesk; turned on, the next kept reply is', async () => {
  agent1 = await startHarness();
  const { context, worker, sandbox } = agent1;
  const t101 = await openTicket(context, sandbox, '101');
  const t105 = await openTicket(context, sandbox, '105');
  await setMode(sandbox, { mode: 'outage', outageKind: 'code2' });
  for (const [i, page] of [t101, t105, t101, t105, t101].entries()) {
    await page.bringToFront();
    await keep(page, worker, `Reply ${i + 1} while team mode is off.`);
  }
  await expect.poll(async () => (await readHealth(worker)).messenger?.level).toBe('outage');
  expect((await readQueue(worker)).length).toBe(5);
  expect(await teamState(worker)).toBeUndefined();
  expect(await writes(sandbox, true)).toEqual([]);

  // The same browser with team mode on: the next kept reply is written (the setup was able to all along),
  // and only that one: nothing from the time it was off was queued to go out later.
  await enableTeam(agent1);
  await t101.bringToFront();
  const text = 'Reply 6, team mode on.';
  await keep(t101, worker, text);
  await expect.poll(async () => (await writes(sandbox)).filter(onTicket(101)).map((w) => w.status)).toEqual([200, 200]);
  expect((await ticketLog(sandbox, 101)).filter((m) => m.internal).map((m) => m.text.split('\n\n')[1])).toEqual([text]);
  expect((await writes(sandbox)).map((w) => w.path)).toEqual(['/api/v2/tickets/101/tags.json', '/api/v2/tickets/101.json']);
});

test('403 (stale token), 429 (Retry-After) and 500 (backoff) never touch the queue; waiting writes survive a browser restart and show in the options page', async () => {
  // Two real backoff waits (10 s, then 20 s) and a browser restart.
  test.setTimeout(240_000);
  agent1 = await startHarness();
  const { sandbox, userDataDir } = agent1;
  await enableTeam(agent1);
  await setMode(sandbox, { overrides: { [PSID_101]: 'outage' } });
  let t101 = await openTicket(agent1.context, sandbox, '101');
  const writesFor = async (text: string) => {
    const log = await writes(sandbox);
    const note = log.findIndex((w) => String(commentOf(w)?.body ?? '').endsWith(text));
    return { log, note };
  };

  // A first kept reply: users/me once for the token, then tag and note.
  await keep(t101, agent1.worker, 'Reply one.');
  await expect.poll(async () => (await writesFor('Reply one.')).note).toBeGreaterThanOrEqual(0);
  const queueBefore = (await readQueue(agent1.worker)).map((r) => [r.text, r.state, r.attempts.length]);

  // 403: the session's CSRF token rotated. One fresh users/me, one more try, accepted.
  await zendesk(sandbox, { rotateCsrf: true });
  const readsBefore = (await writes(sandbox, true)).filter((e) => e.path === '/api/v2/users/me.json').length;
  const before403 = (await writes(sandbox)).length;
  await keep(t101, agent1.worker, 'Reply two.');
  await expect.poll(async () => (await writesFor('Reply two.')).note).toBeGreaterThanOrEqual(0);
  const after403 = (await writes(sandbox)).slice(before403);
  expect(after403.map((w) => [w.status, w.csrf])).toEqual([
    [403, 'invalid'],
    [200, 'valid'],
    [200, 'valid'],
  ]);
  const tokenReads = (await writes(sandbox, true)).filter((e) => e.path === '/api/v2/users/me.json').length - readsBefore;
  expect(tokenReads).toBe(1);

  // 429 with Retry-After: 2 — the helpdesk is left alone for two seconds, then the write goes out.
  await zendesk(sandbox, { fail: { status: 429, count: 1, retryAfter: 2 } });
  const before429 = (await writes(sandbox)).length;
  await keep(t101, agent1.worker, 'Reply three.');
  await expect.poll(async () => (await writesFor('Reply three.')).note).toBeGreaterThanOrEqual(0);
  const after429 = (await writes(sandbox)).slice(before429);
  expect(after429.map((w) => w.status)).toEqual([429, 200, 200]);
  const retryAfterGap = secondsBetween(after429[0] as ZendeskLogEntry, after429[1] as ZendeskLogEntry);
  expect(retryAfterGap).toBeGreaterThanOrEqual(2);

  // 500 twice: backoff, then accepted.
  await zendesk(sandbox, { fail: { status: 500, count: 2 } });
  const before500 = (await writes(sandbox)).length;
  await keep(t101, agent1.worker, 'Reply four.');
  await expect.poll(async () => (await writesFor('Reply four.')).note, { timeout: 90_000 }).toBeGreaterThanOrEqual(0);
  const after500 = (await writes(sandbox)).slice(before500);
  expect(after500.map((w) => w.status)).toEqual([500, 500, 200, 200]);
  const backoffGaps = [
    secondsBetween(after500[0] as ZendeskLogEntry, after500[1] as ZendeskLogEntry),
    secondsBetween(after500[1] as ZendeskLogEntry, after500[2] as ZendeskLogEntry),
  ];
  expect(backoffGaps[1]).toBeGreaterThan(backoffGaps[0] ?? 0);

  // None of it changed the local queue: the same replies, states and attempts as the helpdesk answered them.
  const queueAfter = (await readQueue(agent1.worker)).map((r) => [r.text, r.state, r.attempts.length]);
  expect(queueAfter.filter(([text]) => text === 'Reply one.')).toEqual(queueBefore);
  expect(queueAfter.map(([, state]) => state)).toEqual(['queued', 'queued', 'queued', 'queued']);

  // Waiting writes: the helpdesk fails once and the agent closes the ticket tab before the backoff ends.
  await zendesk(sandbox, { fail: { status: 500, count: 1 } });
  const before = (await writes(sandbox)).length;
  await keep(t101, agent1.worker, 'Reply five.');
  await expect.poll(async () => (await writes(sandbox)).length).toBe(before + 1);
  await t101.close();
  const options = await openOptions(agent1.context, agent1.extensionId);
  await expect(options.getByTestId('team-sync')).toContainText('Team sync: 2 waiting');
  await expect(options.getByTestId('team-last-problem')).toContainText('HTTP 500');

  // The browser closes (the worker with it) and opens again on the same profile: still waiting.
  await agent1.context.close();
  const reopened = await launchWithExtension({ headless: true, userDataDir });
  agent1 = {
    ...agent1,
    ...reopened,
    close: async () => {
      await reopened.context.close();
      await sandbox.close();
    },
  };
  const reopenedOptions = await openOptions(reopened.context, reopened.extensionId);
  await expect(reopenedOptions.getByTestId('team-sync')).toContainText('Team sync: 2 waiting');
  // A helpdesk tab again: the writes go out, in order.
  t101 = await openTicket(reopened.context, sandbox, '101');
  await expect(reopenedOptions.getByTestId('team-sync')).toHaveText('Team sync: 0 waiting', { timeout: 60_000 });
  const last = (await writes(sandbox)).slice(before);
  expect(last.map((w) => [w.method, w.status])).toEqual([
    ['PUT', 500],
    ['PUT', 200],
    ['PUT', 200],
  ]);
  expect(String(commentOf(last[2] as ZendeskLogEntry)?.body ?? '')).toMatch(/\n\nReply five\.$/);

  console.log(
    `[team] 403 (stale CSRF token): ${tokenReads} users/me read for a fresh token, ${after403.length} write attempts for 2 writes (the 403 one retried once); ` +
      `429 Retry-After 2 s: next try after ${retryAfterGap.toFixed(1)} s; ` +
      `500 ×2: retries after ${backoffGaps.map((g) => `${g.toFixed(1)} s`).join(' and ')}; ` +
      'local queue unchanged by any of them; 2 waiting writes survived a browser restart',
  );
});
