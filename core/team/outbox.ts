import { z } from 'zod';
import { HelpdeskOrigin } from '../queue/record';
import { Channel } from '../schemas';
import { Tag, TicketNumber } from './zendesk';

// Team mode's outbox: what this browser still has to write to the helpdesk, kept durably in
// storage so a stopped worker or a closed browser loses nothing. First in, first out per helpdesk
// (a tag's removal never overtakes its addition); a helpdesk that answers 429 or 5xx pauses as a
// whole. Pure: the worker stores it and runs the requests (entrypoints/background/team.ts).

/** First-hand evidence of an outage, as the detector had it when this browser reported. */
export const OutageEvidence = z.object({
  since: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  conversations: z.number().int().nonnegative(),
  kept: z.number().int().nonnegative(),
  /** What the official status sources said, in words (null: none polled). */
  official: z.string().max(600).nullable(),
});
export type OutageEvidence = z.infer<typeof OutageEvidence>;

const Body = z.string().min(1).max(60_000);

export const TeamJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('add-tags'), ticketId: TicketNumber, tags: z.array(Tag).min(1).max(10) }),
  z.object({ kind: z.literal('remove-tags'), ticketId: TicketNumber, tags: z.array(Tag).min(1).max(10) }),
  z.object({ kind: z.literal('note'), ticketId: TicketNumber, body: Body }),
  z.object({ kind: z.literal('solve-duplicate'), ticketId: TicketNumber, body: Body }),
  z.object({ kind: z.literal('link-incident'), ticketId: TicketNumber, channel: Channel }),
  // Find the channel's open outage ticket: note on it, or create it.
  z.object({ kind: z.literal('outage'), channel: Channel, evidence: OutageEvidence }),
  // After a create: two browsers may have raced; keep the lowest id, solve the others.
  z.object({ kind: z.literal('dedupe'), channel: Channel, createdId: TicketNumber, evidence: OutageEvidence }),
  z.object({ kind: z.literal('recovery'), channel: Channel, at: z.number().int().nonnegative() }),
]);
export type TeamJob = z.infer<typeof TeamJob>;

export const OutboxItem = z.object({
  /** Stable per intent (e.g. `kept:<reply id>:tag`): the same intent is queued once. */
  id: z.string().min(1).max(300),
  origin: HelpdeskOrigin,
  job: TeamJob,
  createdAt: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  notBefore: z.number().int().nonnegative(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

const OriginPause = z.object({ pausedUntil: z.number().int().nonnegative(), failures: z.number().int().nonnegative() });

export const MAX_OUTBOX = 500;

export const TeamState = z.object({
  outbox: z.array(OutboxItem).max(MAX_OUTBOX),
  /** Per helpdesk: paused after 429 (Retry-After) or errors (backoff). */
  origins: z.record(z.string(), OriginPause),
  /** Kept replies this browser announced on their ticket (tag + note), by reply id. */
  announced: z.record(z.string(), z.object({ origin: HelpdeskOrigin, ticketId: TicketNumber })),
  /** This browser's outage report per channel, until it sees recovery. */
  reported: z.record(z.string(), z.object({ origin: HelpdeskOrigin, at: z.number().int().nonnegative() })),
  /** Team lookups run (the early-warning poll), for the options page and the tests. */
  polls: z.number().int().nonnegative(),
  /** Writes the helpdesk accepted. */
  sent: z.number().int().nonnegative(),
  lastError: z.object({ at: z.number().int().nonnegative(), message: z.string().max(500) }).nullable(),
});
export type TeamState = z.infer<typeof TeamState>;

export const EMPTY_TEAM_STATE: TeamState = { outbox: [], origins: {}, announced: {}, reported: {}, polls: 0, sent: 0, lastError: null };

/** Adds jobs at the end of the outbox; one already queued under the same id is not queued twice. */
export function enqueue(state: TeamState, items: readonly Omit<OutboxItem, 'attempts' | 'notBefore'>[]): TeamState {
  const ids = new Set(state.outbox.map((i) => i.id));
  const fresh = items.filter((i) => !ids.has(i.id) && ids.add(i.id)).map((i) => ({ ...i, attempts: 0, notBefore: 0 }));
  if (fresh.length === 0) return state;
  const room = MAX_OUTBOX - state.outbox.length;
  if (fresh.length > room) {
    // Never dropped silently: the options page shows why these were not queued.
    return {
      ...state,
      outbox: [...state.outbox, ...fresh.slice(0, Math.max(0, room))],
      lastError: { at: Math.max(...fresh.map((i) => i.createdAt)), message: `outbox full: ${fresh.length - room} writes not queued` },
    };
  }
  return { ...state, outbox: [...state.outbox, ...fresh] };
}

function pausedUntil(state: TeamState, origin: string): number {
  return state.origins[origin]?.pausedUntil ?? 0;
}

/** The head of each helpdesk's queue, in outbox order. */
export function heads(state: TeamState): OutboxItem[] {
  const seen = new Set<string>();
  return state.outbox.filter((item) => !seen.has(item.origin) && seen.add(item.origin));
}

/** The next job to run: the oldest head that is due and whose helpdesk can be reached now. */
export function nextDue(state: TeamState, now: number, reachable: (origin: string) => boolean): OutboxItem | null {
  return heads(state).find((item) => item.notBefore <= now && pausedUntil(state, item.origin) <= now && reachable(item.origin)) ?? null;
}

/** When a head not yet due becomes due (null: nothing waits on time). */
export function nextWakeAt(state: TeamState, now: number): number | null {
  const times = heads(state)
    .map((item) => Math.max(item.notBefore, pausedUntil(state, item.origin)))
    .filter((at) => at > now);
  return times.length ? Math.min(...times) : null;
}

/** After errors: 10 s, 20 s, 40 s … at most 30 minutes. */
export function backoffMs(failures: number): number {
  return Math.min(30 * 60_000, 10_000 * 2 ** Math.max(0, Math.min(failures - 1, 20)));
}

export type Settlement =
  /** Done; `followUps` take its place in the queue, in order (a lookup's notes, a create's dedupe). */
  | { type: 'done'; followUps?: Omit<OutboxItem, 'attempts' | 'notBefore'>[]; writes?: number }
  /** Try again: after `waitMs` (429's Retry-After) or after the helpdesk's backoff. */
  | { type: 'retry'; reason: string; waitMs?: number }
  /** A retry cannot help (the ticket is gone, the helpdesk refused the record). */
  | { type: 'drop'; reason: string };

/** Applies a job's outcome; the local reply queue is never touched by any of them. */
export function settle(state: TeamState, id: string, outcome: Settlement, now: number): TeamState {
  const index = state.outbox.findIndex((item) => item.id === id);
  const item = state.outbox[index];
  if (!item) return state;
  const origin = item.origin;
  if (outcome.type === 'done') {
    const ids = new Set(state.outbox.map((i) => i.id));
    const followUps = (outcome.followUps ?? [])
      .filter((f) => !ids.has(f.id) && ids.add(f.id))
      .map((f) => ({ ...f, attempts: 0, notBefore: 0 }));
    const outbox = [...state.outbox.slice(0, index), ...followUps, ...state.outbox.slice(index + 1)].slice(0, MAX_OUTBOX);
    return { ...state, outbox, origins: withoutKey(state.origins, origin), sent: state.sent + (outcome.writes ?? 0) };
  }
  if (outcome.type === 'drop') {
    return {
      ...state,
      outbox: state.outbox.filter((i) => i.id !== id),
      lastError: { at: now, message: outcome.reason.slice(0, 500) },
    };
  }
  const failures = (state.origins[origin]?.failures ?? 0) + 1;
  const wait = outcome.waitMs ?? backoffMs(failures);
  return {
    ...state,
    outbox: state.outbox.map((i) => (i.id === id ? { ...i, attempts: i.attempts + 1 } : i)),
    // A 429 is about the account, so the whole helpdesk waits, not only this job.
    origins: { ...state.origins, [origin]: { pausedUntil: now + wait, failures: outcome.waitMs !== undefined ? failures - 1 : failures } },
    lastError: { at: now, message: outcome.reason.slice(0, 500) },
  };
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/** Jobs older than `maxAgeMs` go (they may hold reply text, kept no longer than the queue's retention). */
export function expire(state: TeamState, now: number, maxAgeMs: number): TeamState {
  const outbox = state.outbox.filter((item) => now - item.createdAt <= maxAgeMs);
  if (outbox.length === state.outbox.length) return state;
  return {
    ...state,
    outbox,
    lastError: { at: now, message: `${state.outbox.length - outbox.length} writes older than the retention period were dropped` },
  };
}

/** What a helpdesk's HTTP status means for a job. */
export function statusOutcome(status: number): 'ok' | 'rate-limited' | 'retry' | 'drop' {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429) return 'rate-limited';
  // 0: no answer (network, timeout); 401/403: signed out or token trouble, which a person can fix.
  if (status === 0 || status === 401 || status === 403 || status === 408 || status >= 500) return 'retry';
  return 'drop';
}
