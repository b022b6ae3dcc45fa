import { z } from 'zod';
import type { MessageKey } from '../../utils/i18n';
import { channelLabel } from '../channels';
import type { QueuedReply } from '../queue/record';
import { Channel } from '../schemas';
import type { ProviderHealth } from './health-model';

// The incident log: one episode per channel from first trouble to recovery, with what happened when.
// Pure: the background stores it (storage.local) and feeds it the merged health and the clock.

export const IncidentEventKind = z.enum([
  'first-failure',
  'level',
  'banner-shown',
  'official-ack',
  'notified',
  'webhook',
  'recovered',
  'kept',
  'retried',
  'handed-off',
  'team-ticket',
]);
export type IncidentEventKind = z.infer<typeof IncidentEventKind>;

export const IncidentEvent = z.object({
  at: z.number().int().nonnegative(),
  kind: IncidentEventKind,
  /** Level name, provider + statement, ticket id or the team's outage ticket link; never reply text (it holds customer data). */
  detail: z.string().max(600).optional(),
});
export type IncidentEvent = z.infer<typeof IncidentEvent>;

export const Episode = z.object({
  id: z.string().min(1).max(100),
  channel: Channel,
  startedAt: z.number().int().nonnegative(),
  endedAt: z.number().int().nonnegative().nullable(),
  level: z.enum(['degraded', 'outage']),
  events: z.array(IncidentEvent).max(500),
  officialAcked: z.boolean(),
  bannerShown: z.boolean(),
  snoozed: z.boolean(),
});
export type Episode = z.infer<typeof Episode>;

export const IncidentLog = z.object({ episodes: z.array(Episode).max(200) });
export type IncidentLog = z.infer<typeof IncidentLog>;

export interface EpisodeStep {
  log: IncidentLog;
  started: Episode | null;
  ended: Episode | null;
}

export function openEpisode(log: IncidentLog, channel: Channel): Episode | null {
  return log.episodes.find((e) => e.channel === channel && e.endedAt === null) ?? null;
}

function push(episode: Episode, event: IncidentEvent): Episode {
  return { ...episode, events: [...episode.events, event].slice(-500) };
}

/**
 * Advances a channel's episode with the merged health. An episode starts when the level becomes
 * degraded or outage (first-party or official) and ends when it is operational again; `unknown`
 * (sources unreadable, nothing failing here) neither starts nor ends one.
 */
export function stepEpisode(log: IncidentLog, health: ProviderHealth, now: number): EpisodeStep {
  const current = openEpisode(log, health.channel);
  const troubled = health.level === 'degraded' || health.level === 'outage';
  const officialTrouble = health.official?.state === 'degraded' || health.official?.state === 'outage';
  const replace = (next: Episode) => ({ episodes: log.episodes.map((e) => (e.id === next.id ? next : e)) });

  if (!current) {
    if (!troubled) return { log, started: null, ended: null };
    const level = health.level as Episode['level'];
    const startedAt = Math.min(now, health.since ?? now);
    let episode: Episode = {
      id: `${health.channel}-${startedAt}`,
      channel: health.channel,
      startedAt,
      endedAt: null,
      level,
      events: [],
      officialAcked: false,
      bannerShown: false,
      snoozed: false,
    };
    if (health.firstParty !== 'operational') episode = push(episode, { at: startedAt, kind: 'first-failure' });
    episode = push(episode, { at: now, kind: 'level', detail: level });
    if (officialTrouble && health.official) {
      episode = push({ ...episode, officialAcked: true }, { at: now, kind: 'official-ack', detail: officialDetail(health) });
    }
    episode = withTeamTicket(episode, health, now);
    // Keep the log bounded: the oldest finished episodes go first.
    const episodes = [...log.episodes, episode].slice(-200);
    return { log: { episodes }, started: episode, ended: null };
  }

  let episode = current;
  if (officialTrouble && !episode.officialAcked && health.official) {
    episode = push({ ...episode, officialAcked: true }, { at: now, kind: 'official-ack', detail: officialDetail(health) });
  }
  episode = withTeamTicket(episode, health, now);
  if (troubled && health.level !== episode.level) {
    episode = push({ ...episode, level: health.level as Episode['level'] }, { at: now, kind: 'level', detail: health.level });
  }
  if (health.level === 'operational') {
    const at = Math.min(now, health.recoveredAt ?? now);
    episode = push({ ...episode, endedAt: at }, { at, kind: 'recovered' });
    return { log: replace(episode), started: null, ended: episode };
  }
  return { log: episode === current ? log : replace(episode), started: null, ended: null };
}

/** The team's outage ticket (team mode), once per ticket: the timeline links it. */
function withTeamTicket(episode: Episode, health: ProviderHealth, now: number): Episode {
  const team = health.team;
  if (!team) return episode;
  const detail = `#${team.ticketId} ${team.url}`.slice(0, 600);
  return episode.events.some((e) => e.kind === 'team-ticket' && e.detail === detail)
    ? episode
    : push(episode, { at: now, kind: 'team-ticket', detail });
}

function officialDetail(health: ProviderHealth): string {
  const o = health.official;
  if (!o) return '';
  return `${o.source}${o.unofficial ? ' (unofficial)' : ''}: ${o.statement ?? o.state}${o.link ? ` — ${o.link}` : ''}`.slice(0, 600);
}

/** Adds an event to a channel's open episode (banner shown, notified …); once-only kinds stay once. */
export function noteEvent(log: IncidentLog, channel: Channel, event: IncidentEvent, once = false): IncidentLog {
  const episode = openEpisode(log, channel);
  if (!episode) return log;
  if (once && episode.events.some((e) => e.kind === event.kind)) return log;
  const next = push(event.kind === 'banner-shown' ? { ...episode, bannerShown: true } : episode, event);
  return { episodes: log.episodes.map((e) => (e.id === next.id ? next : e)) };
}

/** What happened to the replies of an episode's channel during it, from the queue's own history. */
export function replyEvents(episode: Episode, replies: readonly QueuedReply[], now: number): IncidentEvent[] {
  const end = episode.endedAt ?? now;
  const events: IncidentEvent[] = [];
  for (const r of replies) {
    if (r.channel !== episode.channel || r.firstFailedAt < episode.startedAt - 5 * 60_000 || r.firstFailedAt > end) continue;
    events.push({ at: r.firstFailedAt, kind: 'kept', detail: r.ticketId });
    for (const a of r.attempts) {
      if (a.at < r.firstFailedAt) continue;
      if (a.path === 'helpdesk_retry' && (a.outcome === 'delivered' || a.outcome === 'delivered_late'))
        events.push({ at: a.at, kind: 'retried', detail: r.ticketId });
      if (a.outcome === 'handed_off') events.push({ at: a.at, kind: 'handed-off', detail: r.ticketId });
    }
  }
  return events;
}

const EVENT_KEY: Record<IncidentEventKind, MessageKey> = {
  'first-failure': 'timelineFirstFailure',
  level: 'timelineLevel',
  'banner-shown': 'timelineBannerShown',
  'official-ack': 'timelineOfficialAck',
  notified: 'timelineNotified',
  webhook: 'timelineWebhook',
  recovered: 'timelineRecovered',
  kept: 'timelineKept',
  retried: 'timelineRetried',
  'handed-off': 'timelineHandedOff',
  'team-ticket': 'timelineTeamTicket',
};

const utc = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/** Markdown timeline in UTC, newest episode first, events in time order: the way a status post reads. */
export function timelineMarkdown(
  log: IncidentLog,
  replies: readonly QueuedReply[],
  translate: (key: MessageKey, subs?: string[]) => string,
  now: number,
): string {
  const out = [`# ${translate('timelineTitle')}`, ''];
  if (log.episodes.length === 0) return `${out.join('\n')}${translate('timelineEmpty')}\n`;
  for (const episode of [...log.episodes].sort((a, b) => b.startedAt - a.startedAt)) {
    out.push(`## ${translate('timelineEpisode', [translate(channelLabel(episode.channel)), utc(episode.startedAt)])}`, '');
    const events = [...episode.events, ...replyEvents(episode, replies, now)].sort((a, b) => a.at - b.at);
    for (const e of events) {
      const subs =
        e.kind === 'official-ack'
          ? [e.detail?.split(':')[0] ?? '', e.detail?.split(':').slice(1).join(':').trim() ?? '']
          : [e.detail ?? ''];
      // Markdown control characters from remote statements are escaped, so a status text cannot add links or headings.
      out.push(`- **${utc(e.at)} UTC** — ${translate(EVENT_KEY[e.kind], subs).replace(/([\\`*_[\]<>#|])/g, '\\$1')}`);
    }
    out.push('');
  }
  return out.join('\n');
}
