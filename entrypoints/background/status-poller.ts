import { browser } from 'wxt/browser';
import { z } from 'zod';
import { loadEffectiveSettings } from '@/core/settings/effective-settings';
import type { Settings } from '@/core/settings/settings';
import { parseStatus, unknownReading } from '@/core/status';
import { MAX_STATUS_BODY_CHARS } from '@/core/status/reading';
import { PRODUCTION_SOURCES, SourceSnapshot, type StatusSource, statuspageSourceFromUrl } from '@/core/status/sources';
import { readBodyCapped } from '@/utils/bounded-body';
import { createSerialQueue } from '@/utils/serial';
import { defineStoredValue } from '@/utils/stored-value';
import { knownHelpdeskTabs } from './tabs';

// Official status sources, polled with one alarm (never a timer: the worker may be stopped between polls).
// Each source has its own schedule (interval, or backoff after errors); the alarm fires at the earliest.

export const STATUS_ALARM = 'status-poll';
const TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 60 * 60_000;
/** Last snapshot per source id; a damaged store starts over (sources are re-polled). */
const storedSnapshots = defineStoredValue({ key: 'local:status:v1', schema: z.record(z.string(), SourceSnapshot), fallback: {} });
// One poll at a time, its network requests included: a second poll waits for the first one's answers.
const polls = createSerialQueue();

/** The sources to poll: the settings' own list if set, else the build's defaults; plus user-added pages. */
export function effectiveSources(settings: Settings): StatusSource[] {
  // The sandbox build polls nothing until told where the sandbox runs (its port changes per test run).
  const defaults = import.meta.env.MODE === 'sandbox' ? [] : PRODUCTION_SOURCES;
  const base = settings.status.sources ?? defaults;
  const custom = settings.status.customStatuspages.flatMap((u) => statuspageSourceFromUrl(u) ?? []);
  const seen = new Set<string>();
  return [...base, ...custom].filter((s) => !seen.has(s.id) && seen.add(s.id));
}

/** Last stored snapshot per source id. */
export function loadSnapshots(): Promise<Record<string, SourceSnapshot>> {
  return storedSnapshots.get();
}

/** Current snapshots for the configured sources only (a removed source stops counting at once). */
export async function currentSnapshots(): Promise<SourceSnapshot[]> {
  const [settings, stored] = await Promise.all([loadEffectiveSettings(), loadSnapshots()]);
  if (!settings.status.enabled) return [];
  return effectiveSources(settings).flatMap((source) => {
    const snap = stored[source.id];
    return snap && snap.source.url === source.url ? [{ ...snap, source }] : [];
  });
}

async function intervalMs(settings: Settings): Promise<number> {
  const active = (await knownHelpdeskTabs()).length > 0;
  return (active ? settings.status.activeIntervalMin : settings.status.idleIntervalMin) * 60_000;
}

/** One request, with validators from the last answer; every failure becomes an `unknown` reading. */
async function pollOne(source: StatusSource, previous: SourceSnapshot | undefined, now: number, interval: number): Promise<SourceSnapshot> {
  const sameSource = previous && previous.source.url === source.url ? previous : undefined;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (sameSource?.etag) headers['if-none-match'] = sameSource.etag;
  if (sameSource?.lastModified) headers['if-modified-since'] = sameSource.lastModified;
  let reading = unknownReading('not checked');
  let etag = sameSource?.etag;
  let lastModified = sameSource?.lastModified;
  try {
    // No redirects: a status page that moves elsewhere must be re-added (and granted) where it went.
    const response = await fetch(source.url, {
      headers,
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = response.ok ? await readBodyCapped(response, MAX_STATUS_BODY_CHARS) : null;
    if (response.status === 304 && sameSource) {
      reading = sameSource.reading;
    } else if (!response.ok) {
      reading = unknownReading(`HTTP ${response.status}`);
    } else if (body === null) {
      reading = unknownReading('body too large');
    } else {
      reading = parseStatus(source.format, body, Date.now(), source.pageUrl);
      if (reading.state !== 'unknown') {
        etag = response.headers.get('etag') ?? undefined;
        lastModified = response.headers.get('last-modified') ?? undefined;
      }
    }
  } catch (error) {
    reading = unknownReading(error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable');
  }
  const ok = reading.state !== 'unknown';
  const failures = ok ? 0 : (sameSource?.failures ?? 0) + 1;
  // Exponential backoff on errors: 1×, 2×, 4× … the interval, at most an hour.
  const wait = ok ? interval : Math.min(MAX_BACKOFF_MS, interval * 2 ** Math.min(failures - 1, 10));
  return {
    source,
    reading,
    checkedAt: now,
    lastKnown: ok ? reading : (sameSource?.lastKnown ?? null),
    lastKnownAt: ok ? now : (sameSource?.lastKnownAt ?? null),
    ...(ok ? (etag ? { etag } : {}) : sameSource?.etag ? { etag: sameSource.etag } : {}),
    ...(ok ? (lastModified ? { lastModified } : {}) : sameSource?.lastModified ? { lastModified: sameSource.lastModified } : {}),
    failures,
    nextPollAt: now + wait,
  };
}

/** Polls every source that is due (all of them when forced), stores the results, schedules the next alarm. */
export function pollStatus(now: number, options: { force?: boolean } = {}): Promise<{ polled: number; changed: boolean }> {
  return polls(async () => {
    const settings = await loadEffectiveSettings();
    const stored = await loadSnapshots();
    const interval = await intervalMs(settings);
    const sources = settings.status.enabled ? effectiveSources(settings) : [];
    const due = sources.filter((s) => options.force || (stored[s.id]?.nextPollAt ?? 0) <= now);
    // In parallel: one slow source must not hold up the others (each has its own 10 s timeout).
    const results = await Promise.all(due.map((s) => pollOne(s, stored[s.id], now, interval)));
    const next = { ...stored };
    let changed = false;
    for (const snap of results) {
      const before = stored[snap.source.id]?.reading;
      // Per-channel readings (Meta's orgs) can change while the page-wide one stays the same.
      const channelsChanged = JSON.stringify(before?.channels) !== JSON.stringify(snap.reading.channels);
      if (!before || before.state !== snap.reading.state || before.statement !== snap.reading.statement || channelsChanged) changed = true;
      next[snap.source.id] = snap;
    }
    await storedSnapshots.set(next);
    await scheduleNextPoll(now, settings, next);
    return { polled: results.length, changed };
  });
}

/** One alarm at the earliest due time; a helpdesk tab opening shortens the idle wait on the next poll. */
export async function scheduleNextPoll(now: number, settings?: Settings, snapshots?: Record<string, SourceSnapshot>): Promise<void> {
  const s = settings ?? (await loadEffectiveSettings());
  if (!s.status.enabled) {
    await browser.alarms.clear(STATUS_ALARM);
    return;
  }
  const stored = snapshots ?? (await loadSnapshots());
  const sources = effectiveSources(s);
  if (sources.length === 0) {
    await browser.alarms.clear(STATUS_ALARM);
    return;
  }
  const active = (await intervalMs(s)) === s.status.activeIntervalMin * 60_000;
  const dueTimes = sources.map((src) => {
    const snap = stored[src.id];
    if (!snap) return now;
    // A source polled on the idle schedule is brought forward once a helpdesk tab is open.
    return active && snap.failures === 0
      ? Math.min(snap.nextPollAt, snap.checkedAt + s.status.activeIntervalMin * 60_000)
      : snap.nextPollAt;
  });
  const when = Math.max(now + 1000, Math.min(...dueTimes));
  await browser.alarms.create(STATUS_ALARM, { when });
}

/** On worker start: make sure a poll is scheduled (alarms survive restarts, but not a settings change). */
export async function ensureStatusAlarm(now: number): Promise<void> {
  if (!(await browser.alarms.get(STATUS_ALARM))) await scheduleNextPoll(now);
}
