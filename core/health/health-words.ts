import type { MessageKey } from '../../utils/i18n';
import { channelLabel } from '../channels';
import type { ProviderLevel } from '../schemas';
import type { ProviderHealth } from './health-model';

// The banner's wording of a merged provider health. Zod-free: the content script renders it.

/** One line of banner text: a locale key and its substitutions. */
export interface Wording {
  key: MessageKey;
  subs: string[];
  /**
   * About the status source itself (could not be read, last checked long ago), not about the channel:
   * shown small, after what was seen, never as the banner's headline.
   */
  secondary?: true;
}

export type TimeFormatter = (epochMs: number, options?: { utc?: boolean }) => string;
export type AgeFormatter = (ms: number) => string;

/**
 * The banner's lines, first-party evidence first, then what the provider says. `translate` turns
 * the channel key into its name (it is a noun inside other sentences).
 */
export function describeHealth(
  health: ProviderHealth,
  fmt: { time: TimeFormatter; age: AgeFormatter; translate: (key: MessageKey) => string },
  now: number,
): Wording[] {
  const lines: Wording[] = [];
  const channel = fmt.translate(channelLabel(health.channel));
  const at = (ms: number) => [fmt.time(ms), fmt.time(ms, { utc: true })];
  const n = health.affectedConversations;
  if (health.firstParty !== 'operational' && health.since !== null) {
    if (health.reasons.includes('rate-limited')) lines.push({ key: 'bannerRateLimited', subs: [channel, ...at(health.since)] });
    else {
      const key: MessageKey =
        health.firstParty === 'outage'
          ? n === 1
            ? 'healthDownHereOne'
            : 'healthDownHere'
          : n === 1
            ? 'healthFailingHereOne'
            : 'healthFailingHere';
      lines.push({ key, subs: [channel, ...at(health.since), String(n)] });
    }
  }
  // Team mode: another agent's browser opened the outage ticket (the banner links it).
  const team = health.team;
  if (team) lines.push({ key: 'healthTeamReports', subs: [channel, fmt.time(team.since, { utc: true }), String(team.ticketId)] });
  const officialTrouble = health.official?.state === 'degraded' || health.official?.state === 'outage';
  if (team && health.firstParty === 'operational' && !officialTrouble) {
    lines.push({ key: 'healthNotSeenHere', subs: [channel] }, { key: 'adviceProviderTransient', subs: [] });
  }
  const official = health.official;
  if (official) {
    const source = official.source;
    if (official.state === 'degraded' || official.state === 'outage') {
      const key: MessageKey = official.state === 'outage' ? 'healthOfficialOutage' : 'healthOfficialDisruption';
      lines.push(
        official.since !== null
          ? { key, subs: [source, channel, ...at(official.since)] }
          : { key: official.state === 'outage' ? 'healthOfficialOutageNow' : 'healthOfficialDisruptionNow', subs: [source, channel] },
      );
      if (health.firstParty === 'operational') lines.push({ key: 'healthNotSeenHere', subs: [channel] });
      if (team && health.firstParty === 'operational') lines.push({ key: 'adviceProviderTransient', subs: [] });
    } else if (official.state === 'operational') {
      if (health.firstParty !== 'operational') lines.push({ key: 'healthOfficialNotYet', subs: [source] });
    } else if (official.lastKnownState && official.lastKnownAt !== null) {
      lines.push({
        key: 'healthOfficialUnknownLast',
        subs: [source, fmt.translate(levelLabel(official.lastKnownState)), fmt.age(now - official.lastKnownAt)],
        secondary: true,
      });
    } else {
      lines.push({ key: 'healthOfficialUnknown', subs: [source], secondary: true });
    }
    if (official.stale && official.state !== 'unknown')
      lines.push({ key: 'healthOfficialStale', subs: [fmt.age(now - official.checkedAt)], secondary: true });
  }
  if (health.reasons.includes('recovered') && health.recoveredAt !== null) {
    lines.push({
      key: health.queuedReplies === 1 ? 'healthRecoveredOne' : 'healthRecovered',
      subs: [...at(health.recoveredAt), String(health.queuedReplies)],
    });
  }
  // First-hand evidence and the provider's own words lead; notes about the source follow.
  return [...lines.filter((l) => !l.secondary), ...lines.filter((l) => l.secondary)];
}

const LEVEL_LABEL: Record<ProviderLevel, MessageKey> = {
  operational: 'healthOperational',
  degraded: 'healthDegraded',
  outage: 'healthOutage',
  unknown: 'healthUnknown',
};

/** A level's name in the UI (banner, popup), as a `_locales` key. */
export function levelLabel(level: ProviderLevel): MessageKey {
  return LEVEL_LABEL[level];
}
