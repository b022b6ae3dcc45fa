import { z } from 'zod';
import { Channel, HealthLevel, ProviderLevel } from '../schemas';
import { isUnofficial } from '../status';
import type { SourceSnapshot } from '../status/sources';
import type { ChannelHealth } from './detector';

// One answer to "is it us, the customer, or the provider?": the first-party detector merged with
// official status sources, per channel. Pure: clock, formatter and inputs are parameters.

export const HealthReason = z.enum([
  'failing-here',
  'down-here',
  'rate-limited',
  'official-reports',
  'official-unknown',
  'recovered',
  'team-reports',
]);
export type HealthReason = z.infer<typeof HealthReason>;

export const OfficialSummary = z.object({
  state: ProviderLevel,
  statement: z.string().max(500).nullable(),
  link: z.string().max(2000).nullable(),
  /** Who says it ("Meta", "Zendesk", a page's host). */
  source: z.string().max(100),
  /** From a source with no documented API (Meta's orgs.json): say so in the UI. */
  unofficial: z.boolean(),
  since: z.number().int().nonnegative().nullable(),
  checkedAt: z.number().int().nonnegative(),
  /** Older than `staleAfterMs`: the reading may no longer be true. */
  stale: z.boolean(),
  /** When `state` is unknown: the last state that was known, and when. */
  lastKnownState: ProviderLevel.nullable(),
  lastKnownAt: z.number().int().nonnegative().nullable(),
});
export type OfficialSummary = z.infer<typeof OfficialSummary>;

/** The team's open outage ticket (team mode): another agent's browser saw the channel fail. */
export const TeamSummary = z.object({
  ticketId: z.number().int().positive(),
  /** Where the ticket opens in the helpdesk (built from the helpdesk's origin and the ticket number). */
  url: z.string().max(2000),
  since: z.number().int().nonnegative(),
});
export type TeamSummary = z.infer<typeof TeamSummary>;

export const ProviderHealth = z.object({
  channel: Channel,
  level: ProviderLevel,
  /** Since when the current level holds (first-party first, else the official since). */
  since: z.number().int().nonnegative().nullable(),
  recoveredAt: z.number().int().nonnegative().nullable(),
  reasons: z.array(HealthReason).max(10),
  affectedConversations: z.number().int().nonnegative(),
  queuedReplies: z.number().int().nonnegative(),
  /** What the detector alone says (the banner leads with it). */
  firstParty: HealthLevel,
  official: OfficialSummary.nullable(),
  /** Team mode's shared outage ticket, when one is open and not reported recovered. */
  team: TeamSummary.nullable().optional(),
});
export type ProviderHealth = z.infer<typeof ProviderHealth>;

export interface MergeInput {
  channel: Channel;
  detector: ChannelHealth;
  sources: readonly SourceSnapshot[];
  queuedReplies: number;
  now: number;
  staleAfterMs: number;
  /** Team mode's last lookup of the channel's outage ticket (core/team/store.ts TeamReport). */
  team?: { ticketId: number; url: string; since: number; recovered: boolean; checkedAt: number } | null;
}

/** Who runs the Send APIs behind every watched channel. */
const CHANNEL_PROVIDER = 'Meta';

const RANK: Record<ProviderLevel, number> = { unknown: -1, operational: 0, degraded: 1, outage: 2 };

const CHANNEL_WORDS: Record<Channel, RegExp> = {
  messenger: /messenger|facebook|send api|graph|messaging|social/i,
  instagram: /instagram|graph|messaging|social/i,
  whatsapp: /whatsapp|cloud api|graph|messaging|social/i,
};

/** Does a source's reading concern this channel? Readings that name nothing concern every channel. */
export function concernsChannel(snapshot: Pick<SourceSnapshot, 'reading'>, channel: Channel): boolean {
  const { reading } = snapshot;
  const text = [...reading.components, reading.statement ?? ''].join(' ').trim();
  return text === '' || CHANNEL_WORDS[channel].test(text);
}

/**
 * A snapshot as one channel sees it. A source that speaks per channel (Meta's orgs) is read for this
 * channel only; a channel it gives no reading for is unknown, never the source's page-wide all-clear.
 */
export function snapshotForChannel(snapshot: SourceSnapshot, channel: Channel): SourceSnapshot & { perChannel: boolean } {
  if (!snapshot.reading.channels) return { ...snapshot, perChannel: false };
  const reading = snapshot.reading.channels[channel] ?? {
    state: 'unknown' as const,
    statement: null,
    link: null,
    since: null,
    components: [],
    problem: 'no reading for this channel',
  };
  const last = snapshot.lastKnown?.channels?.[channel];
  const lastKnown = last && last.state !== 'unknown' ? last : null;
  return { ...snapshot, reading, lastKnown, lastKnownAt: lastKnown ? snapshot.lastKnownAt : null, perChannel: true };
}

/** The official reading that matters most for a channel: the worst known one; official before unofficial. */
export function pickOfficial(
  snapshots: readonly SourceSnapshot[],
  channel: Channel,
  now: number,
  staleAfterMs: number,
): OfficialSummary | null {
  if (snapshots.length === 0) return null;
  const sources = snapshots.map((s) => snapshotForChannel(s, channel));
  const relevant = sources.filter(
    (s) => s.perChannel || s.reading.state === 'unknown' || s.reading.state === 'operational' || concernsChannel(s, channel),
  );
  const known = relevant.filter((s) => s.reading.state !== 'unknown');
  // Worst state first; at equal state the channel's own provider (Meta), then documented sources.
  const order = (s: SourceSnapshot) =>
    RANK[s.reading.state] * 4 + (s.source.provider === CHANNEL_PROVIDER ? 2 : 0) + (isUnofficial(s.source.format) ? 0 : 1);
  const best = [...known].sort((a, b) => order(b) - order(a) || b.checkedAt - a.checkedAt)[0];
  const chosen = best ?? [...relevant].sort((a, b) => (b.lastKnownAt ?? 0) - (a.lastKnownAt ?? 0))[0];
  if (!chosen) return null;
  const reading = chosen.reading;
  return {
    state: reading.state,
    statement: reading.statement,
    link: reading.link ?? chosen.source.pageUrl ?? null,
    source: chosen.source.provider,
    unofficial: isUnofficial(chosen.source.format),
    since: reading.since,
    checkedAt: chosen.checkedAt,
    stale: now - (reading.state === 'unknown' ? (chosen.lastKnownAt ?? 0) : chosen.checkedAt) > staleAfterMs,
    lastKnownState: reading.state === 'unknown' ? (chosen.lastKnown?.state ?? null) : null,
    lastKnownAt: reading.state === 'unknown' ? chosen.lastKnownAt : null,
  };
}

/** Merges first-party evidence and official sources for one channel. */
export function mergeHealth(input: MergeInput): ProviderHealth {
  const { channel, detector, queuedReplies, now } = input;
  const official = pickOfficial(input.sources, channel, now, input.staleAfterMs);
  const reasons: HealthReason[] = [];
  const localTrouble = detector.level !== 'operational';
  if (localTrouble)
    reasons.push(detector.cause === 'rate_limited' ? 'rate-limited' : detector.level === 'outage' ? 'down-here' : 'failing-here');
  const officialTrouble = official !== null && (official.state === 'degraded' || official.state === 'outage');
  if (officialTrouble) reasons.push('official-reports');
  if (official?.state === 'unknown') reasons.push('official-unknown');
  if (!localTrouble && detector.recoveredAt !== undefined && queuedReplies > 0) reasons.push('recovered');
  // A lookup older than the staleness limit says nothing about now (no helpdesk tab polled since).
  const report = input.team && !input.team.recovered && now - input.team.checkedAt <= input.staleAfterMs ? input.team : null;
  const team: TeamSummary | null = report ? { ticketId: report.ticketId, url: report.url, since: report.since } : null;
  if (team) reasons.push('team-reports');

  let level: ProviderLevel = detector.level;
  // A stale official "outage" still counts: it was the provider's last word (the banner says how old).
  if (officialTrouble && RANK[official.state] > RANK[level]) level = official.state;
  // Another agent's browser saw the outage first-hand: early warning before this one's sends fail.
  if (team && RANK.outage > RANK[level]) level = 'outage';
  // Nothing seen here and no source could be read: say "unknown" rather than a green we cannot back.
  if (level === 'operational' && official?.state === 'unknown') level = 'unknown';

  return {
    channel,
    level,
    since: localTrouble ? (detector.since ?? null) : officialTrouble ? official.since : (team?.since ?? null),
    recoveredAt: !localTrouble ? (detector.recoveredAt ?? null) : null,
    reasons,
    affectedConversations: localTrouble ? detector.conversations : 0,
    queuedReplies,
    firstParty: detector.level,
    official,
    team,
  };
}

/** Worst level across channels, for the toolbar badge. */
export function worstLevel(levels: readonly ProviderLevel[]): ProviderLevel {
  const order: ProviderLevel[] = ['operational', 'unknown', 'degraded', 'outage'];
  return levels.reduce<ProviderLevel>((acc, l) => (order.indexOf(l) > order.indexOf(acc) ? l : acc), 'operational');
}
