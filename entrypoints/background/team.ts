import { browser } from 'wxt/browser';
import { z } from 'zod';
import type { ChannelHealth } from '@/core/health/detector';
import { HelpdeskOrigin, isUnsent, type QueuedReply, readReplies } from '@/core/queue';
import type { Channel, FinalState } from '@/core/schemas';
import { loadEffectiveSettings, watchEffectiveSettings } from '@/core/settings/effective-settings';
import {
  alsoFailingNote,
  duplicateNote,
  endedNote,
  keptNote,
  outageDescription,
  outageSubject,
  recoveredNote,
  type Words,
} from '@/core/team/notes';
import {
  enqueue,
  expire,
  nextDue,
  nextWakeAt,
  type OutageEvidence,
  type OutboxItem,
  type Settlement,
  settle,
  statusOutcome,
  type TeamState,
} from '@/core/team/outbox';
import { TEAM_REQUEST, type TeamRequest } from '@/core/team/protocol';
import { DEFAULT_TEAM_SETTINGS, type TeamSettings } from '@/core/team/settings';
import { loadTeamReports, loadTeamState, type TeamReport, teamReportsItem, teamStateItem } from '@/core/team/store';
import {
  type Agent,
  type ApiRequest,
  addTags,
  createOutageTicket,
  linkIncident,
  lookupOutage,
  ME_PATH,
  type OutageTicket,
  privateNote,
  RECOVERED_TAG,
  readAgent,
  readCreatedId,
  readOutageTickets,
  removeTags,
  retryAfterMs,
  STALE_REPORT_MS,
  solveDuplicate,
  ticketNumber,
  ticketUrl,
  UNSENT_TAG,
  writeProblem,
} from '@/core/team/zendesk';
import { CHANNELS } from '@/core/vocabulary';
import { formatTime, loadFallbackMessages, t } from '@/utils/i18n';
import { createCoalescer, createSerialQueue } from '@/utils/serial';
import { db } from './db';
import { providerHealthFor, reconcileProviderHealth } from './provider-health';
import { knownHelpdeskTabs, storedTabs } from './tabs';

// Team mode (opt-in): the helpdesk is the team's shared store. Kept replies tag their ticket and
// leave a private note; an outage is one problem ticket found by external id, which every agent's
// browser looks up on the status-poll cadence for early warning. The worker keeps a durable outbox
// (core/team/outbox.ts); the requests themselves run in an open helpdesk tab of the same origin
// (entrypoints/helpdesk.content/team-requests.ts), so each is the agent's own same-origin request
// with the helpdesk session, like the helpdesk's own, and Send Guard holds no credential of its own.
// Nothing here ever changes the local queue: it only reads it.

export const TEAM_POLL_ALARM = 'team-poll';
const TEAM_OUTBOX_ALARM = 'team-outbox';
/** The signed-in agent and CSRF token per helpdesk origin: session storage, gone with the browser session. */
const AGENTS_KEY = 'team:agents';
const serial = createSerialQueue();

const Answer = z.union([
  z.object({ status: z.number().int().min(0).max(999), retryAfter: z.string().max(200).nullable(), text: z.string().max(500_000) }),
  z.object({ refused: z.enum(['origin', 'not-zendesk']) }),
]);
const StoredAgents = z.record(z.string(), z.object({ id: z.number().int(), name: z.string().max(200), token: z.string().max(1000) }));

interface ApiAnswer {
  status: number;
  retryAfter: string | null;
  json: unknown;
}

const words: Words = { translate: (key, subs) => t(key, subs), utc: (ms) => formatTime(ms, { utc: true }) };

async function teamSettings(): Promise<TeamSettings> {
  return (await loadEffectiveSettings()).team ?? DEFAULT_TEAM_SETTINGS;
}

/** Read-modify-write of the team state, one at a time. */
function mutate(change: (state: TeamState) => TeamState | Promise<TeamState>): Promise<TeamState> {
  return serial(async () => {
    const before = await loadTeamState();
    const after = await change(before);
    if (after !== before) await teamStateItem.setValue(after);
    return after;
  });
}

// ---- reaching the helpdesk through its tabs ----

function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    // A tab address that cannot be read is on no helpdesk: the tab is not used.
    return null;
  }
}

/** Helpdesk tabs by origin. Their URLs are readable without the `tabs` permission: Send Guard has host access there. */
async function tabsByOrigin(): Promise<Map<string, number[]>> {
  const byOrigin = new Map<string, number[]>();
  for (const id of await knownHelpdeskTabs()) {
    // A tab closed since it announced itself has no origin: it is skipped.
    const origin = originOf((await browser.tabs.get(id).catch(() => null))?.url);
    if (origin && HelpdeskOrigin.safeParse(origin).success) byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), id]);
  }
  return byOrigin;
}

/** One request through a tab of `origin`; null when no tab there can run it. */
async function call(origin: string, request: ApiRequest, csrf?: string): Promise<ApiAnswer | null> {
  for (const tabId of (await tabsByOrigin()).get(origin) ?? []) {
    const message: TeamRequest = {
      type: TEAM_REQUEST,
      origin,
      method: request.method,
      path: request.path,
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(csrf ? { csrf } : {}),
    };
    // A tab that closed or navigated away answers nothing: the next one is tried.
    const parsed = Answer.safeParse(await browser.tabs.sendMessage(tabId, message).catch(() => undefined));
    if (!parsed.success || 'refused' in parsed.data) continue;
    let json: unknown = null;
    try {
      json = parsed.data.text ? JSON.parse(parsed.data.text) : null;
    } catch {
      // Not JSON (a 429's plain text, a 5xx page): the status decides.
    }
    return { status: parsed.data.status, retryAfter: parsed.data.retryAfter, json };
  }
  return null;
}

async function storedAgents(): Promise<z.infer<typeof StoredAgents>> {
  const parsed = StoredAgents.safeParse((await browser.storage.session.get(AGENTS_KEY))[AGENTS_KEY] ?? {});
  return parsed.success ? parsed.data : {};
}

/** The agent signed in at `origin` with a CSRF token (cached; `fresh` reads users/me again). */
async function agentAt(origin: string, fresh: boolean): Promise<Agent | ApiAnswer | null> {
  if (!fresh) {
    const cached = (await storedAgents())[origin];
    if (cached) return cached;
  }
  const answer = await call(origin, { method: 'GET', path: ME_PATH });
  if (!answer) return null;
  const agent = answer.status === 200 ? readAgent(answer.json) : null;
  // Signed out: Zendesk answers an anonymous user without a token; retried with backoff like a 401.
  if (!agent) return { ...answer, status: answer.status === 200 ? 401 : answer.status };
  await browser.storage.session.set({ [AGENTS_KEY]: { ...(await storedAgents()), [origin]: agent } });
  return agent;
}

const isAgent = (value: Agent | ApiAnswer): value is Agent => 'token' in value;

/** Signed out (401): the cached agent and token are no longer good; the next try reads users/me again. */
async function forgetAgent(origin: string): Promise<void> {
  const { [origin]: _gone, ...rest } = await storedAgents();
  await browser.storage.session.set({ [AGENTS_KEY]: rest });
}

/**
 * One write: checked never to carry a public comment, sent with the agent's CSRF token; a 403 gets
 * one fresh token and one more try (tokens rotate with the session).
 */
async function write(origin: string, request: ApiRequest): Promise<ApiAnswer | { refused: string } | null> {
  const problem = writeProblem(request);
  if (problem) {
    console.error('[send-guard] team write refused before sending:', problem, request.method, request.path);
    return { refused: problem };
  }
  let agent = await agentAt(origin, false);
  if (!agent || !isAgent(agent)) return agent;
  let answer = await call(origin, request, agent.token);
  if (answer?.status === 403) {
    agent = await agentAt(origin, true);
    if (!agent || !isAgent(agent)) return agent;
    answer = await call(origin, request, agent.token);
  }
  if (answer?.status === 401) await forgetAgent(origin);
  return answer;
}

/** What a failed answer means for the job. */
function failure(answer: ApiAnswer, what: string, now: number): Settlement {
  const outcome = statusOutcome(answer.status);
  const reason = `${what}: HTTP ${answer.status || 'no answer'}`;
  if (outcome === 'rate-limited') return { type: 'retry', reason, waitMs: retryAfterMs(answer.retryAfter, now) ?? 60_000 };
  if (outcome === 'drop') return { type: 'drop', reason };
  return { type: 'retry', reason };
}

// ---- running one outbox job ----

async function lookup(origin: string, channel: Channel): Promise<OutageTicket[] | ApiAnswer | null> {
  const answer = await call(origin, lookupOutage(channel));
  if (!answer) return null;
  if (answer.status !== 200) return answer;
  return readOutageTickets(answer.json, channel) ?? { ...answer, status: 502 };
}

async function agentName(origin: string): Promise<string | Settlement | null> {
  const agent = await agentAt(origin, false);
  if (!agent) return null;
  return isAgent(agent) ? agent.name : failure(agent, 'users/me', Date.now());
}

function followUp(item: OutboxItem, suffix: string, job: OutboxItem['job']): Omit<OutboxItem, 'attempts' | 'notBefore'> {
  return { id: `${item.id}/${suffix}`, origin: item.origin, job, createdAt: item.createdAt };
}

/** Remembers the team's outage ticket at once, so this browser's banner links it before the next poll. */
async function noteReport(origin: string, channel: Channel, ticket: { id: number; createdAt: number; recovered: boolean }): Promise<void> {
  const report: TeamReport = {
    origin,
    ticketId: ticket.id,
    url: ticketUrl(origin, ticket.id),
    since: ticket.createdAt,
    recovered: ticket.recovered,
    checkedAt: Date.now(),
  };
  await saveReports({ ...(await loadTeamReports()), [channel]: report });
}

/** The notes and solves a lookup calls for: keep the lowest id, solve the others, then `notes` on the kept one. */
function onKept(item: OutboxItem, open: OutageTicket[], notes: { suffix: string; job: OutboxItem['job'] }[]): Settlement {
  const [keep, ...others] = open;
  if (!keep) return { type: 'done' };
  return {
    type: 'done',
    followUps: [
      ...others.map((o) => followUp(item, `dup-${o.id}`, { kind: 'solve-duplicate', ticketId: o.id, body: duplicateNote(keep.id, words) })),
      ...notes.map((n) => followUp(item, n.suffix, n.job)),
    ],
  };
}

async function runJob(item: OutboxItem, now: number): Promise<Settlement | null> {
  const { origin, job } = item;
  await loadFallbackMessages();
  const single = async (request: ApiRequest, what: string): Promise<Settlement | null> => {
    const answer = await write(origin, request);
    if (!answer) return null;
    if ('refused' in answer) return { type: 'drop', reason: `refused: ${answer.refused}` };
    return statusOutcome(answer.status) === 'ok' ? { type: 'done', writes: 1 } : failure(answer, what, now);
  };
  switch (job.kind) {
    case 'add-tags':
      return single(addTags(job.ticketId, job.tags), 'add tags');
    case 'remove-tags':
      return single(removeTags(job.ticketId, job.tags), 'remove tags');
    case 'note':
      return single(privateNote(job.ticketId, job.body), 'private note');
    case 'solve-duplicate':
      return single(solveDuplicate(job.ticketId, job.body), 'solve duplicate');
    case 'link-incident': {
      const open = await lookup(origin, job.channel);
      if (!open) return null;
      if (!Array.isArray(open)) return failure(open, 'outage lookup', now);
      const keep = open[0];
      return keep ? single(linkIncident(job.ticketId, keep.id), 'link incident') : { type: 'done' };
    }
    case 'outage':
    case 'dedupe':
    case 'recovery': {
      const open = await lookup(origin, job.channel);
      if (!open) return null;
      if (!Array.isArray(open)) return failure(open, 'outage lookup', now);
      const name = await agentName(origin);
      if (name === null || typeof name !== 'string') return name;
      const keep = open[0];
      if (job.kind === 'recovery') {
        if (!keep) return { type: 'done' };
        await noteReport(origin, job.channel, { ...keep, recovered: true });
        return onKept(item, open, [
          { suffix: 'note', job: { kind: 'note', ticketId: keep.id, body: recoveredNote(job.channel, name, job.at, words) } },
          { suffix: 'tag', job: { kind: 'add-tags', ticketId: keep.id, tags: [RECOVERED_TAG] } },
        ]);
      }
      if (keep) {
        await noteReport(origin, job.channel, { ...keep, recovered: false });
        // After this browser's own create, its evidence is in the description already, unless another ticket was kept.
        const ownKept = job.kind === 'dedupe' && keep.id === job.createdId;
        const notes: { suffix: string; job: OutboxItem['job'] }[] = [];
        if (!ownKept)
          notes.push({ suffix: 'note', job: { kind: 'note', ticketId: keep.id, body: alsoFailingNote(name, job.evidence, words) } });
        if (keep.recovered) notes.push({ suffix: 'unrecovered', job: { kind: 'remove-tags', ticketId: keep.id, tags: [RECOVERED_TAG] } });
        return onKept(item, open, notes);
      }
      if (job.kind === 'dedupe') return { type: 'done' }; // Solved by a person meanwhile: nothing to keep.
      const answer = await write(
        origin,
        createOutageTicket(job.channel, outageSubject(job.channel, words), outageDescription(job.channel, name, job.evidence, words)),
      );
      if (!answer) return null;
      if ('refused' in answer) return { type: 'drop', reason: `refused: ${answer.refused}` };
      if (statusOutcome(answer.status) !== 'ok') return failure(answer, 'create outage ticket', now);
      const createdId = readCreatedId(answer.json);
      if (createdId === null) return { type: 'done', writes: 1 };
      await noteReport(origin, job.channel, { id: createdId, createdAt: Date.now(), recovered: false });
      // Another browser may have created one at the same moment: look again, keep the lowest.
      return {
        type: 'done',
        writes: 1,
        followUps: [followUp(item, 'dedupe', { kind: 'dedupe', channel: job.channel, createdId, evidence: job.evidence })],
      };
    }
  }
}

/** Works through the outbox while the helpdesk answers; waits (alarm) on backoff, 429 or a missing tab. */
const runOutbox = createCoalescer(async () => {
  try {
    await workThroughOutbox();
  } catch (error) {
    // Storage or messaging failed: the outbox stays as stored and the next kick or alarm tries again.
    console.error('[send-guard] team outbox:', error);
  }
});

async function workThroughOutbox(): Promise<void> {
  for (let step = 0; step < 500; step += 1) {
    const settings = await loadEffectiveSettings();
    if (!settings.team?.enabled) {
      // Turned off: nothing more is written, and writes holding reply text are not kept either.
      await mutate((s) => (s.outbox.length ? { ...s, outbox: [], origins: {}, announced: {}, reported: {} } : s));
      await browser.alarms.clear(TEAM_OUTBOX_ALARM);
      return;
    }
    const now = Date.now();
    const state = await mutate((s) => expire(s, now, settings.retention.maxAgeMs));
    const reachable = await tabsByOrigin();
    const item = nextDue(state, now, (origin) => reachable.has(origin));
    if (!item) {
      const wake = nextWakeAt(state, now);
      if (wake === null) await browser.alarms.clear(TEAM_OUTBOX_ALARM);
      else await browser.alarms.create(TEAM_OUTBOX_ALARM, { when: Math.max(wake, now + 500) });
      return;
    }
    let outcome: Settlement | null;
    try {
      outcome = await runJob(item, now);
    } catch (error) {
      outcome = { type: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
    // No tab could run it (closed meanwhile): it waits for the next helpdesk tab.
    if (!outcome) return;
    await mutate((s) => settle(s, item.id, outcome, Date.now()));
  }
}

function kick(): void {
  void runOutbox();
}

// ---- hooks called where the queue and the detector change ----

/** Called after a kept reply is stored or changes state (entrypoints/background/queue.ts). */
export async function syncReplyToTeam(record: QueuedReply, now = Date.now()): Promise<void> {
  const team = await teamSettings();
  const ticketId = ticketNumber(record.ticketId);
  if (!team.enabled || ticketId === null) return;
  const origin = record.helpdeskOrigin;
  // Notes are written in the UI language, never as bare keys (i18n.ts).
  await loadFallbackMessages();
  await mutate(async (state) => {
    const announced = state.announced[record.id];
    if (isUnsent(record)) {
      if (announced) return state; // A retry that failed again: the ticket already says so.
      const key = `kept:${record.id}:${record.updatedAt}`;
      const items: Omit<OutboxItem, 'attempts' | 'notBefore'>[] = [
        { id: `${key}:tag`, origin, createdAt: now, job: { kind: 'add-tags', ticketId, tags: [UNSENT_TAG] } },
        { id: `${key}:note`, origin, createdAt: now, job: { kind: 'note', ticketId, body: keptNote(record, words) } },
        ...(team.linkIncidents
          ? [{ id: `${key}:incident`, origin, createdAt: now, job: { kind: 'link-incident', ticketId, channel: record.channel } as const }]
          : []),
      ];
      return { ...enqueue(state, items), announced: { ...state.announced, [record.id]: { origin, ticketId } } };
    }
    if (!announced) return state;
    const { [record.id]: _done, ...rest } = state.announced;
    const { replies } = await readReplies(await db(), { helpdeskOrigin: origin, ticketId: record.ticketId });
    const next = { ...state, announced: rest };
    // Only the last unsent reply of the ticket takes the tag away.
    if (replies.some((r) => r.id !== record.id && isUnsent(r))) return next;
    const key = `ended:${record.id}:${record.updatedAt}`;
    return enqueue(next, [
      { id: `${key}:tag`, origin, createdAt: now, job: { kind: 'remove-tags', ticketId, tags: [UNSENT_TAG] } },
      {
        id: `${key}:note`,
        origin,
        createdAt: now,
        job: { kind: 'note', ticketId, body: endedNote(record.state as FinalState, now, record.channel, words) },
      },
    ]);
  });
  kick();
}

/** Which helpdesks the failures came from (detector conversations are `<origin>/<ticket>`). */
function originsOf(health: ChannelHealth): string[] {
  const origins = new Set<string>();
  for (const event of health.events) {
    if (event.outcome !== 'failed') continue;
    const origin = event.conversation.slice(0, event.conversation.lastIndexOf('/'));
    if (HelpdeskOrigin.safeParse(origin).success) origins.add(origin);
  }
  return [...origins];
}

async function evidenceFor(channel: Channel, health: ChannelHealth, now: number): Promise<OutageEvidence> {
  const settings = await loadEffectiveSettings();
  const recent = health.events.filter((e) => e.at >= now - settings.detector.windowMs);
  const failures = recent.filter((e) => e.outcome === 'failed' && e.errorClass === 'provider_transient');
  const { replies } = await readReplies(await db());
  const official = (await providerHealthFor(channel, now))?.health.official ?? null;
  return {
    since: health.since ?? now,
    failures: failures.length,
    attempts: failures.length + recent.filter((e) => e.outcome === 'delivered').length,
    conversations: new Set(failures.map((e) => e.conversation)).size,
    kept: replies.filter((r) => r.channel === channel && isUnsent(r)).length,
    official: official ? `${official.source}: ${official.statement ?? official.state}`.slice(0, 600) : null,
  };
}

/** Called when the detector's level changes (entrypoints/background/queue.ts onHealthChanged). */
export async function syncHealthToTeam(channel: Channel, before: ChannelHealth, after: ChannelHealth, now = Date.now()): Promise<void> {
  if (before.level === after.level || !(await teamSettings()).enabled) return;
  await loadFallbackMessages();
  if (after.level === 'outage') {
    const origins = originsOf(after);
    if (origins.length === 0) return;
    const evidence = await evidenceFor(channel, after, now);
    await mutate((state) => {
      const items = origins.map((origin) => ({
        id: `outage:${channel}:${after.since ?? now}:${origin}`,
        origin,
        createdAt: now,
        job: { kind: 'outage', channel, evidence } as const,
      }));
      const reported = { ...state.reported };
      for (const origin of origins) reported[`${channel}|${origin}`] = { origin, at: now };
      return { ...enqueue(state, items), reported };
    });
  } else if (after.level === 'operational') {
    await mutate((state) => {
      const mine = Object.entries(state.reported).filter(([key]) => key.startsWith(`${channel}|`));
      if (mine.length === 0) return state;
      const reported = Object.fromEntries(Object.entries(state.reported).filter(([key]) => !key.startsWith(`${channel}|`)));
      const at = after.recoveredAt ?? now;
      const items = mine.map(([, { origin }]) => ({
        id: `recovery:${channel}:${at}:${origin}`,
        origin,
        createdAt: now,
        job: { kind: 'recovery', channel, at } as const,
      }));
      return { ...enqueue(state, items), reported };
    });
  } else return;
  kick();
}

// ---- early warning: the lookup every browser runs on the status-poll cadence ----

async function saveReports(reports: Partial<Record<Channel, TeamReport>>): Promise<void> {
  const before = JSON.stringify(await loadTeamReports());
  await teamReportsItem.setValue(reports);
  // The banner asks for the merged health again when it changed (provider-health.ts broadcasts).
  if (JSON.stringify(reports) !== before) await reconcileProviderHealth(Date.now());
}

/** Looks up each channel's open outage ticket on every helpdesk with an open tab. */
export async function pollTeam(now = Date.now()): Promise<void> {
  if (!(await teamSettings()).enabled) return;
  const origins = [...(await tabsByOrigin()).keys()];
  if (origins.length === 0) return;
  const reports: Partial<Record<Channel, TeamReport>> = { ...(await loadTeamReports()) };
  for (const origin of origins) {
    for (const channel of CHANNELS) {
      const open = await lookup(origin, channel);
      // Unreadable or unreachable: the last answer stands until it goes stale (health-model.ts).
      if (!Array.isArray(open)) continue;
      const current = open.find((ticket) => now - ticket.updatedAt <= STALE_REPORT_MS);
      if (current) {
        reports[channel] = {
          origin,
          ticketId: current.id,
          url: ticketUrl(origin, current.id),
          since: current.createdAt,
          recovered: current.recovered,
          checkedAt: now,
        };
      } else if (reports[channel]?.origin === origin) delete reports[channel];
    }
  }
  await mutate((state) => ({ ...state, polls: state.polls + 1 }));
  await saveReports(reports);
}

async function ensurePollAlarm(): Promise<void> {
  const settings = await loadEffectiveSettings();
  if (!settings.team?.enabled) {
    await browser.alarms.clear(TEAM_POLL_ALARM);
    await teamReportsItem.setValue({});
    return;
  }
  const period = settings.status.activeIntervalMin;
  const existing = await browser.alarms.get(TEAM_POLL_ALARM);
  if (!existing || existing.periodInMinutes !== period)
    await browser.alarms.create(TEAM_POLL_ALARM, { periodInMinutes: period, delayInMinutes: period });
}

/** True when the alarm was team mode's. */
export async function onTeamAlarm(name: string): Promise<boolean> {
  if (name === TEAM_OUTBOX_ALARM) {
    await runOutbox();
    return true;
  }
  if (name !== TEAM_POLL_ALARM) return false;
  // A poll fired out of turn (the tests fire it by hand) puts the period back.
  await ensurePollAlarm();
  await pollTeam();
  return true;
}

/** Registered synchronously at worker start. */
export function startTeam(): void {
  watchEffectiveSettings(() => void ensurePollAlarm().then(kick));
  // A helpdesk tab appeared: writes waiting for one can go out now.
  storedTabs.watch(kick);
  void ensurePollAlarm();
  kick();
}
