// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChannelHealth } from '@/core/health/detector';
import { mergeHealth } from '@/core/health/health-model';
import { type IncidentLog, stepEpisode, timelineMarkdown } from '@/core/health/incident-log';
import { DEFAULT_SETTINGS } from '@/core/settings/settings';
import { mergeManaged, parseManaged } from '@/core/settings/settings-io';
import { endedNote, keptNote, outageDescription, type Words } from '@/core/team/notes';
import {
  backoffMs,
  EMPTY_TEAM_STATE,
  enqueue,
  expire,
  nextDue,
  nextWakeAt,
  type OutboxItem,
  settle,
  statusOutcome,
  type TeamState,
} from '@/core/team/outbox';
import { TEAM_PATH } from '@/core/team/protocol';
import {
  addTags,
  createOutageTicket,
  linkIncident,
  lookupOutage,
  privateNote,
  readAgent,
  readOutageTickets,
  removeTags,
  retryAfterMs,
  solveDuplicate,
  ticketNumber,
  writeProblem,
} from '@/core/team/zendesk';
import { describeHealth } from '@/entrypoints/helpdesk.content/banner/wording';
import type { MessageKey } from '@/utils/i18n';

// Team mode's pure parts: the never-public check, Zendesk answers, the outbox, the merged health and wording.

const T = (hm: string) => Date.parse(`2023-11-16T${hm}:00Z`);
const A = 'https://acme.zendesk.com';
const B = 'https://other.zendesk.com';

describe('every write is checked before it leaves', () => {
  it('accepts the writes team mode makes', () => {
    for (const request of [
      addTags(101, ['send_guard_unsent']),
      removeTags(101, ['send_guard_unsent']),
      privateNote(101, 'Send Guard kept this reply'),
      solveDuplicate(4712, 'tracked in #4711'),
      linkIncident(101, 4711),
      createOutageTicket('messenger', 'Send Guard: Messenger replies failing', 'evidence'),
      lookupOutage('messenger'),
    ]) {
      expect(writeProblem(request), request.path).toBeNull();
      expect(request.path).toMatch(TEAM_PATH);
    }
  });

  it('refuses a public comment, a comment without public:false (Zendesk makes it public), and anything unexpected', () => {
    const put = (body: unknown) => ({ method: 'PUT' as const, path: '/api/v2/tickets/101.json', body: JSON.stringify(body) });
    expect(writeProblem(put({ ticket: { comment: { body: 'x', public: true } } }))).toMatch(/private/);
    expect(writeProblem(put({ ticket: { comment: { body: 'x' } } }))).toMatch(/private/);
    expect(writeProblem(put({ ticket: { comment: { body: 'x', public: 'false' } } }))).toMatch(/private/);
    expect(writeProblem(put({ ticket: { comment: { body: 'x', public: false, html_body: '<b>' } } }))).toMatch(/comment fields/);
    expect(writeProblem(put({ ticket: { requester_id: 1 } }))).toMatch(/unexpected ticket fields/);
    expect(writeProblem(put({ ticket: {}, extra: 1 }))).toMatch(/\{ticket\} only/);
    expect(writeProblem({ method: 'PUT', path: '/api/v2/tickets/101/tags.json', body: '{"tags":["a"],"comment":{}}' })).toMatch(
      /tags only/,
    );
    expect(writeProblem({ method: 'POST', path: '/api/v2/users.json', body: '{}' })).toMatch(/not a ticket write/);
    expect(writeProblem({ method: 'PUT', path: '/api/v2/tickets/101.json', body: 'not json' })).toMatch(/not JSON/);
  });

  it('holds the tab to team mode’s few paths', () => {
    expect(TEAM_PATH.test('/api/v2/users/me.json')).toBe(true);
    expect(TEAM_PATH.test('/api/v2/tickets.json?external_id=send-guard-outage%3Amessenger')).toBe(true);
    expect(TEAM_PATH.test('/api/v2/users/5.json')).toBe(false);
    expect(TEAM_PATH.test('/api/v2/tickets/1/comments.json')).toBe(false);
    expect(TEAM_PATH.test('https://evil.example/api/v2/users/me.json')).toBe(false);
  });
});

describe("Zendesk's answers", () => {
  it('reads the agent and CSRF token; the anonymous user (signed out) is nobody', () => {
    expect(readAgent({ user: { id: 8000001, name: 'Sam Rivera', authenticity_token: 'tok' } })).toEqual({
      id: 8000001,
      name: 'Sam Rivera',
      token: 'tok',
    });
    expect(readAgent({ user: { id: null, name: 'Anonymous user' } })).toBeNull();
    expect(readAgent({ user: { id: 5, name: 'No token' } })).toBeNull();
    expect(readAgent('<html>')).toBeNull();
  });

  it('finds the open problem tickets of one outage, lowest id first, and whether a browser saw recovery', () => {
    const ticket = (id: number, over: Record<string, unknown> = {}) => ({
      id,
      external_id: 'send-guard-outage:messenger',
      type: 'problem',
      status: 'open',
      tags: ['send_guard_outage'],
      created_at: '2023-11-16T20:14:00Z',
      updated_at: '2023-11-16T20:20:00Z',
      ...over,
    });
    const open = readOutageTickets(
      {
        tickets: [
          ticket(4712),
          ticket(4711, { tags: ['send_guard_outage', 'send_guard_recovered'] }),
          ticket(4700, { status: 'solved' }),
          ticket(4701, { type: 'incident' }),
          ticket(4702, { external_id: 'send-guard-outage:instagram' }),
          { id: 'not a ticket' },
        ],
      },
      'messenger',
    );
    expect(open?.map((t) => [t.id, t.recovered])).toEqual([
      [4711, true],
      [4712, false],
    ]);
    expect(open?.[0]?.createdAt).toBe(T('20:14'));
    expect(readOutageTickets({ error: 'RecordNotFound' }, 'messenger')).toBeNull();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('Thu, 16 Nov 2023 20:14:00 GMT');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Thu, 16 Nov 2023 20:14:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });

  it('only numeric helpdesk ticket ids are Zendesk tickets', () => {
    expect(ticketNumber('101')).toBe(101);
    expect(ticketNumber('abc')).toBeNull();
    expect(ticketNumber('1e3')).toBeNull();
  });
});

const item = (id: string, origin = A, createdAt = T('20:14')): Omit<OutboxItem, 'attempts' | 'notBefore'> => ({
  id,
  origin,
  createdAt,
  job: { kind: 'note', ticketId: 101, body: id },
});

describe('the outbox', () => {
  const three = enqueue(EMPTY_TEAM_STATE, [item('a1'), item('b1', B), item('a2')]);
  const all = () => true;

  it('queues an intent once', () => {
    expect(enqueue(three, [item('a1')])).toBe(three);
    expect(three.outbox.map((i) => i.id)).toEqual(['a1', 'b1', 'a2']);
  });

  it('runs first in, first out per helpdesk; an unreachable helpdesk (no tab) waits without holding up the other', () => {
    expect(nextDue(three, T('20:15'), all)?.id).toBe('a1');
    expect(nextDue(three, T('20:15'), (o) => o === B)?.id).toBe('b1');
    expect(nextDue(three, T('20:15'), () => false)).toBeNull();
  });

  it('a finished job gives way to its follow-ups, in its place', () => {
    const done = settle(three, 'a1', { type: 'done', writes: 1, followUps: [item('a1/x'), item('a1/y')] }, T('20:15'));
    expect(done.outbox.map((i) => i.id)).toEqual(['a1/x', 'a1/y', 'b1', 'a2']);
    expect(done.sent).toBe(1);
  });

  it('429 pauses the whole helpdesk for Retry-After; 5xx backs off 10 s, 20 s, 40 s … 30 min; the other helpdesk goes on', () => {
    const now = T('20:15');
    const limited = settle(three, 'a1', { type: 'retry', reason: 'HTTP 429', waitMs: 2000 }, now);
    expect(nextDue(limited, now + 1999, all)?.id).toBe('b1');
    expect(nextDue(limited, now + 2000, all)?.id).toBe('a1');
    expect(limited.outbox[0]?.attempts).toBe(1);
    expect(nextWakeAt(limited, now)).toBe(now + 2000);

    let state: TeamState = three;
    const waits: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      state = settle(state, 'a1', { type: 'retry', reason: 'HTTP 500' }, now);
      waits.push((state.origins[A]?.pausedUntil ?? 0) - now);
    }
    expect(waits).toEqual([10_000, 20_000, 40_000]);
    expect(backoffMs(50)).toBe(30 * 60_000);
    // Success clears the helpdesk's backoff.
    expect(settle(state, 'a1', { type: 'done' }, now).origins[A]).toBeUndefined();
  });

  it('drops what a retry cannot fix, and says so', () => {
    const dropped = settle(three, 'a2', { type: 'drop', reason: 'private note: HTTP 422' }, T('20:15'));
    expect(dropped.outbox.map((i) => i.id)).toEqual(['a1', 'b1']);
    expect(dropped.lastError?.message).toBe('private note: HTTP 422');
  });

  it('keeps reply text no longer than the queue keeps replies', () => {
    const state = enqueue(EMPTY_TEAM_STATE, [item('old', A, T('10:00')), item('new', A, T('20:00'))]);
    expect(expire(state, T('20:30'), 8 * 3600_000).outbox.map((i) => i.id)).toEqual(['new']);
  });

  it('maps HTTP answers to what happens next', () => {
    expect([200, 201, 204, 429, 0, 401, 403, 500, 503, 400, 404, 422].map(statusOutcome)).toEqual([
      'ok',
      'ok',
      'ok',
      'rate-limited',
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
      'drop',
      'drop',
      'drop',
    ]);
  });
});

// Wording through the real locale files, the way chrome.i18n substitutes.
type Locale = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const load = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../../public/_locales/${lang}/messages.json`, import.meta.url), 'utf8')) as Locale;
const translator =
  (locale: Locale) =>
  (key: MessageKey, subs: string[] = []) => {
    const entry = locale[key];
    if (!entry) throw new Error(`missing ${key}`);
    return entry.message.replace(/\$([a-z0-9_]+)\$/gi, (_m, name: string) =>
      (entry.placeholders?.[name.toLowerCase()]?.content ?? '').replace(/\$(\d)/g, (_x, d: string) => subs[Number(d) - 1] ?? ''),
    );
  };
const utc = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const words = (lang: 'en' | 'de'): Words => ({ translate: translator(load(lang)), utc });

describe('notes written to the helpdesk', () => {
  const reply = {
    text: 'Anna, your refund\nis on its way. $1 stays $1.',
    firstFailedAt: T('20:14'),
    error: { errorClass: 'provider_transient' as const, code: 2 },
  };

  it('a kept reply: reason, time in UTC, the exact text as typed (en/de)', () => {
    expect(keptNote(reply, words('en'))).toBe(
      "Send Guard kept this reply: Meta's Send API failed at 20:14 UTC (error code 2).\n\nAnna, your refund\nis on its way. $1 stays $1.",
    );
    expect(keptNote({ ...reply, error: { errorClass: 'policy_window' } }, words('de'))).toBe(
      'Send Guard hat diese Antwort aufbewahrt: das 24-Stunden-Fenster für Nachrichten war geschlossen um 20:14 UTC.\n\nAnna, your refund\nis on its way. $1 stays $1.',
    );
  });

  it('how the last kept reply ended, in one line', () => {
    for (const ending of ['sent', 'handed_off', 'discarded'] as const) {
      expect(endedNote(ending, T('20:31'), 'messenger', words('en'))).not.toContain('\n');
    }
    expect(endedNote('handed_off', T('20:31'), 'messenger', words('en'))).toBe(
      'Send Guard: the last kept reply on this ticket was handed off to Messenger at 20:31 UTC; no reply is waiting any more.',
    );
  });

  it('the outage ticket’s description carries the first-hand evidence and the official status', () => {
    const text = outageDescription(
      'messenger',
      'Sam Rivera',
      { since: T('20:14'), failures: 5, attempts: 6, conversations: 3, kept: 4, official: null },
      words('en'),
    );
    expect(text).toMatch(
      /^Send Guard in Sam Rivera's browser sees Messenger replies failing since 20:14 UTC: 5 of the last 6 sends failed, in 3 conversations; 4 replies kept\. Official status: not checked\./,
    );
  });
});

describe('the team’s outage ticket in the merged health, the banner and the timeline', () => {
  const NOW = T('20:30');
  const calm: ChannelHealth = { channel: 'messenger', level: 'operational', conversations: 0, successStreak: 0, events: [] };
  const report = { ticketId: 4711, url: `${A}/agent/tickets/4711`, since: T('20:14'), recovered: false, checkedAt: NOW - 60_000 };
  const merge = (team: typeof report | null) =>
    mergeHealth({ channel: 'messenger', detector: calm, sources: [], queuedReplies: 0, now: NOW, staleAfterMs: 30 * 60_000, team });

  it('an open ticket is an outage here too, before this browser’s own sends fail; recovered or stale ones are not', () => {
    const h = merge(report);
    expect(h).toMatchObject({ level: 'outage', since: T('20:14'), firstParty: 'operational', team: { ticketId: 4711 } });
    expect(h.reasons).toEqual(['team-reports']);
    expect(merge({ ...report, recovered: true })).toMatchObject({ level: 'operational', team: null });
    expect(merge({ ...report, checkedAt: NOW - 31 * 60_000 })).toMatchObject({ level: 'operational', team: null });
    expect(merge(null).level).toBe('operational');
  });

  it('the banner says who reports it, since when, which ticket, and the usual advice (en/de)', () => {
    const h = merge(report);
    const render = (lang: 'en' | 'de') => {
      const tr = translator(load(lang));
      const time = (ms: number, o: { utc?: boolean } = {}) => (o.utc ? utc(ms) : 'local');
      return describeHealth(h, { time, age: () => '', translate: (k) => tr(k) }, NOW)
        .map((l) => tr(l.key, l.subs))
        .join(' ');
    };
    expect(render('en')).toBe(
      'Your team reports Messenger failing since 20:14 UTC (ticket #4711). Messenger replies are not failing here so far. ' +
        'Meta is failing to deliver replies. Wait and retry, or hand urgent replies off to Messenger now.',
    );
    expect(render('de')).toMatch(/^Ihr Team meldet Messenger gestört seit 20:14 UTC \(Ticket #4711\)\. /);
  });

  it('the incident timeline gets the ticket’s link once', () => {
    let log: IncidentLog = { episodes: [] };
    for (const now of [NOW, NOW + 60_000]) log = stepEpisode(log, { ...merge(report) }, now).log;
    const events = log.episodes[0]?.events.filter((e) => e.kind === 'team-ticket');
    expect(events?.map((e) => e.detail)).toEqual([`#4711 ${A}/agent/tickets/4711`]);
    expect(timelineMarkdown(log, [], translator(load('en')), NOW)).toContain(
      'Team outage ticket: \\#4711 https://acme.zendesk.com/agent/tickets/4711',
    );
  });
});

describe('team mode in the settings', () => {
  it('is off by default; an admin turns it on by policy, field by field', () => {
    expect(DEFAULT_SETTINGS.team).toBeUndefined();
    const { managed, rejected } = parseManaged({ teamMode: true, teamLinkIncidents: 'yes' });
    expect(rejected).toEqual(['teamLinkIncidents']);
    expect(mergeManaged(DEFAULT_SETTINGS, managed).team).toEqual({ enabled: true, linkIncidents: false });
    expect(mergeManaged({ ...DEFAULT_SETTINGS, team: { enabled: true, linkIncidents: true } }, { teamMode: false }).team).toEqual({
      enabled: false,
      linkIncidents: true,
    });
  });
});
