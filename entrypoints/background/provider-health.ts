import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { channelLabel } from '@/core/channels';
import { mergeHealth, type ProviderHealth, worstLevel } from '@/core/health/health-model';
import { type Episode, IncidentLog, noteEvent, openEpisode, stepEpisode, timelineMarkdown } from '@/core/health/incident-log';
import { countByChannel, readReplies, UNSENT_STATES } from '@/core/queue';
import { Channel, type ProviderLevel } from '@/core/schemas';
import { loadEffectiveSettings } from '@/core/settings/effective-settings';
import { loadTeamReports } from '@/core/team/store';
import { logError, loggedAs } from '@/utils/debug-log';
import { formatTime, t } from '@/utils/i18n';
import { createSerialQueue } from '@/utils/serial';
import { defineStoredValue } from '@/utils/stored-value';

import { db } from './db';
import { loadHealth } from './health';
import { currentSnapshots } from './status-poller';
import { broadcast } from './tabs';

// The merged provider health (first-party detector + official sources), the incident log, and the
// alerts at an incident's start and end (notification, team webhook), each once per episode.

const storedLog = defineStoredValue({ key: 'local:incidents:v1', schema: IncidentLog, fallback: { episodes: [] } });
/** Every channel's merged level as last reconciled (the badge reads it), and what the tabs were last told. */
const storedLevels = defineStoredValue({ key: 'local:providerLevels:v1', schema: z.array(z.unknown()), fallback: [] });
const storedSignature = defineStoredValue({ key: 'local:providerLevels:v1:sig', schema: z.string().nullable(), fallback: null });
// One step at a time over all three values (and the broadcasts after): the log, the levels and the
// signature change together, so one value's own update queue is not enough here.
const serial = createSerialQueue();
// The extension's own icon (rendered at build time from assets/icon.svg, not a public file).
const ICON = '/icons/128.png';

function loadLog(): Promise<IncidentLog> {
  return storedLog.get();
}

/** Merged health of every channel, computed fresh (never older than the stored inputs). */
export async function computeProviderHealth(now: number): Promise<ProviderHealth[]> {
  const [detector, sources, settings, unsent, team] = await Promise.all([
    loadHealth(),
    currentSnapshots(),
    loadEffectiveSettings(),
    db().then((database) => countByChannel(database, UNSENT_STATES)),
    loadTeamReports(),
  ]);
  // A reading older than three active intervals no longer says much about now.
  const staleAfterMs = 3 * settings.status.idleIntervalMin * 60_000;
  return Channel.options.map((channel) =>
    mergeHealth({
      channel,
      detector: detector[channel],
      sources,
      queuedReplies: unsent.get(channel) ?? 0,
      now,
      staleAfterMs,
      // Team mode's shared outage ticket (entrypoints/background/team.ts); none when team mode is off.
      team: settings.team?.enabled ? (team[channel] ?? null) : null,
    }),
  );
}

export async function providerHealthFor(channel: Channel, now: number): Promise<{ health: ProviderHealth; snoozed: boolean } | null> {
  const health = (await computeProviderHealth(now)).find((h) => h.channel === channel);
  if (!health) return null;
  return { health, snoozed: openEpisode(await loadLog(), channel)?.snoozed ?? false };
}

/** The worst merged level across channels, as last reconciled (the badge's color). */
export async function storedWorstLevel(): Promise<ProviderLevel> {
  const levels = await storedLevels.get();
  return worstLevel(levels.filter((l): l is ProviderLevel => typeof l === 'string') as ProviderLevel[]);
}

/**
 * Re-merges every channel, advances the incident log, and tells tabs / badge when anything changed.
 * Called after each poll and whenever the detector's stored state changes.
 */
let pending: Promise<{ changed: boolean }> | null = null;

export function reconcileProviderHealth(now: number): Promise<{ changed: boolean }> {
  // Bursts (every detector event writes its state) collapse into one run that has not started yet.
  if (pending) return pending;
  pending = serial(async () => {
    pending = null;
    now = Math.max(now, Date.now());
    const healths = await computeProviderHealth(now);
    let log = await loadLog();
    const started: Episode[] = [];
    const ended: Episode[] = [];
    for (const health of healths) {
      const step = stepEpisode(log, health, now);
      log = step.log;
      if (step.started) started.push(step.started);
      if (step.ended) ended.push(step.ended);
    }
    const levels = healths.map((h) => h.level);
    const before = await storedSignature.get();
    const signature = JSON.stringify(
      healths.map((h) => [h.level, h.official?.state, h.official?.statement, h.since, h.reasons, h.team?.ticketId]),
    );
    // One write for all three, as the badge and the tabs read them together.
    await storage.setItems([
      { key: storedLog.key, value: log },
      { key: storedLevels.key, value: levels },
      { key: storedSignature.key, value: signature },
    ]);
    if (started.length || ended.length) log = await alert(log, started, ended, healths, now);
    const changed = before !== signature;
    if (changed) await broadcast({ type: 'provider-health-changed' });
    return { changed };
  });
  return pending;
}

async function alert(log: IncidentLog, started: Episode[], ended: Episode[], healths: ProviderHealth[], now: number): Promise<IncidentLog> {
  const { alerts } = await loadEffectiveSettings();
  let next = log;
  for (const [kind, episodes] of [
    ['start', started],
    ['end', ended],
  ] as const) {
    if (episodes.length === 0) continue;
    const names = episodes.map((e) => t(channelLabel(e.channel))).join(', ');
    const lead = episodes[0];
    if (!lead) continue;
    // Nothing failed here (only the provider's page says so): do not claim replies are failing.
    const seenHere = episodes.some((e) => e.events.some((ev) => ev.kind === 'first-failure'));
    const title = t(kind === 'end' ? 'notifyEndTitle' : seenHere ? 'notifyStartTitle' : 'notifyOfficialTitle', names);
    const message = `${formatTime(kind === 'start' ? lead.startedAt : now)} (${formatTime(kind === 'start' ? lead.startedAt : now, { utc: true })} UTC)`;
    // One notification for all channels that started (or ended) together: once per episode edge.
    if (alerts.notifications) {
      const shown = await browser.notifications
        .create(`send-guard-${kind}-${lead.id}`, { type: 'basic', iconUrl: browser.runtime.getURL(ICON as '/'), title, message })
        .then(() => true)
        .catch(loggedAs('incident notification', false));
      if (shown) for (const e of episodes) next = noteEventOn(next, e, { at: now, kind: 'notified', detail: kind });
    }
    if (alerts.webhookUrl) {
      const sent = await callWebhook(alerts.webhookUrl, alerts.webhookFormat, {
        event: kind,
        channels: episodes.map((e) => e.channel),
        level: kind === 'start' ? lead.level : 'operational',
        at: new Date(kind === 'start' ? lead.startedAt : now).toISOString(),
        official: healths.find((h) => h.channel === lead.channel)?.official ?? null,
        text: `${title} — ${message}`,
      });
      if (sent) for (const e of episodes) next = noteEventOn(next, e, { at: now, kind: 'webhook', detail: kind });
    }
  }
  if (next !== log) await storedLog.set(next);
  return next;
}

/** Adds an event to a given (possibly just ended) episode. */
function noteEventOn(log: IncidentLog, episode: Episode, event: Episode['events'][number]): IncidentLog {
  return { episodes: log.episodes.map((e) => (e.id === episode.id ? { ...e, events: [...e.events, event].slice(-500) } : e)) };
}

/** Opt-in team alert; only to an origin the user granted. Never carries reply text or customer data. */
async function callWebhook(url: string, format: 'slack' | 'json', payload: Record<string, unknown> & { text: string }): Promise<boolean> {
  try {
    const origin = `${new URL(url).origin}/*`;
    if (!(await browser.permissions.contains({ origins: [origin] }))) return false;
    const body = format === 'slack' ? { text: `Send Guard: ${payload.text}` } : { source: 'send-guard', ...payload };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      // Only the address the user granted: a redirect could carry the alert to another host.
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok;
  } catch (error) {
    void logError('incident webhook', error);
    return false;
  }
}

export function noteBannerShown(channel: Channel, now: number): Promise<void> {
  return serial(async () => {
    const log = await loadLog();
    const next = noteEvent(log, channel, { at: now, kind: 'banner-shown' }, true);
    if (next !== log) await storedLog.set(next);
  });
}

/** Hides the health part of the banner until this channel's episode ends. */
export function snoozeEpisode(channel: Channel): Promise<boolean> {
  return serial(async () => {
    const log = await loadLog();
    const episode = openEpisode(log, channel);
    if (!episode) return false;
    await storedLog.set({ episodes: log.episodes.map((e) => (e.id === episode.id ? { ...e, snoozed: true } : e)) });
    await broadcast({ type: 'provider-health-changed' });
    return true;
  });
}

export async function exportTimeline(now: number): Promise<string> {
  const [log, { replies }] = await Promise.all([loadLog(), readReplies(await db())]);
  return timelineMarkdown(log, replies, (key, subs) => t(key, subs), now);
}
