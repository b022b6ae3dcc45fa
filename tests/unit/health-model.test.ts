// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChannelHealth } from '@/core/health/detector';
import { mergeHealth, type ProviderHealth } from '@/core/health/health-model';
import { type OfficialReading, unknownReading } from '@/core/status';
import { parseMetaOrgs } from '@/core/status/meta-orgs';
import type { SourceSnapshot, StatusSource } from '@/core/status/sources';
import { describeHealth } from '@/entrypoints/helpdesk.content/banner/wording';
import type { MessageKey } from '@/utils/i18n';

const T = (iso: string) => Date.parse(`2023-11-16T${iso}:00Z`);
const NOW = T('20:30');
const STALE = 15 * 60_000;

const detector = (level: ChannelHealth['level'], over: Partial<ChannelHealth> = {}): ChannelHealth => ({
  channel: 'messenger',
  level,
  conversations: level === 'operational' ? 0 : 5,
  successStreak: 0,
  events: [],
  ...(level === 'operational' ? {} : { since: T('20:12'), cause: 'provider' as const }),
  ...over,
});
const META: StatusSource = { id: 'meta', provider: 'Meta', format: 'meta-orgs', url: 'https://metastatus.com/data/orgs.json' };
const SP: StatusSource = {
  id: 'sp',
  provider: 'Meta',
  format: 'statuspage-summary',
  url: 'https://status.example.com/api/v2/summary.json',
};
const reading = (state: OfficialReading['state'], over: Partial<OfficialReading> = {}): OfficialReading =>
  state === 'unknown'
    ? unknownReading('HTML instead of JSON')
    : {
        state,
        statement: state === 'operational' ? null : 'Send API errors',
        link: 'https://status.example.com/incidents/1',
        since: state === 'operational' ? null : T('20:20'),
        components: state === 'operational' ? [] : ['Messenger Platform'],
        ...over,
      };
const snap = (state: OfficialReading['state'], over: Partial<SourceSnapshot> = {}): SourceSnapshot => ({
  source: SP,
  reading: reading(state),
  checkedAt: NOW - 60_000,
  lastKnown: state === 'unknown' ? reading('operational') : reading(state),
  lastKnownAt: NOW - (state === 'unknown' ? 12 * 60_000 : 60_000),
  failures: state === 'unknown' ? 1 : 0,
  nextPollAt: NOW + 60_000,
  ...over,
});
const merge = (d: ChannelHealth, sources: SourceSnapshot[], queued = 0) =>
  mergeHealth({ channel: 'messenger', detector: d, sources, queuedReplies: queued, now: NOW, staleAfterMs: STALE });

describe('mergeHealth: every combination of first-party and official state', () => {
  const LOCAL = ['operational', 'degraded', 'outage'] as const;
  const OFFICIAL = ['none', 'operational', 'degraded', 'outage', 'unknown'] as const;
  // Expected merged level: the worse of both; unknown only when nothing is seen here and no source answers.
  const EXPECTED: Record<(typeof LOCAL)[number], Record<(typeof OFFICIAL)[number], string>> = {
    operational: { none: 'operational', operational: 'operational', degraded: 'degraded', outage: 'outage', unknown: 'unknown' },
    degraded: { none: 'degraded', operational: 'degraded', degraded: 'degraded', outage: 'outage', unknown: 'degraded' },
    outage: { none: 'outage', operational: 'outage', degraded: 'outage', outage: 'outage', unknown: 'outage' },
  };
  for (const local of LOCAL) {
    for (const off of OFFICIAL) {
      it(`detector ${local} + official ${off} → ${EXPECTED[local][off]}`, () => {
        const h = merge(detector(local), off === 'none' ? [] : [snap(off)]);
        expect(h.level).toBe(EXPECTED[local][off]);
        expect(h.firstParty).toBe(local);
        expect(h.official?.state ?? 'none').toBe(off);
        expect(h.affectedConversations).toBe(local === 'operational' ? 0 : 5);
        // First-party since leads; else the provider's.
        expect(h.since).toBe(local !== 'operational' ? T('20:12') : off === 'degraded' || off === 'outage' ? T('20:20') : null);
      });
    }
  }

  it('prefers the worst relevant source, and an official source over an unofficial one at the same state', () => {
    const h = merge(detector('operational'), [snap('degraded', { source: META }), snap('degraded'), snap('operational')]);
    expect(h.official).toMatchObject({ state: 'degraded', unofficial: false });
    const m = merge(detector('operational'), [snap('outage', { source: META }), snap('degraded')]);
    expect(m.official).toMatchObject({ state: 'outage', unofficial: true, source: 'Meta' });
  });

  it('ignores an official incident about another product', () => {
    const other = snap('outage', { reading: reading('outage', { components: ['Guide', 'Talk'], statement: 'Talk calls dropping' }) });
    expect(merge(detector('operational'), [other, snap('operational')]).level).toBe('operational');
  });

  it('marks a reading stale and keeps the last known state for an unknown one', () => {
    const old = merge(detector('operational'), [snap('operational', { checkedAt: NOW - 20 * 60_000 })]);
    expect(old.official?.stale).toBe(true);
    const unk = merge(detector('operational'), [snap('unknown')]);
    expect(unk.official).toMatchObject({ state: 'unknown', lastKnownState: 'operational', lastKnownAt: NOW - 12 * 60_000 });
  });

  it('counts queued replies and reports a recovery with replies waiting', () => {
    const h = merge(detector('operational', { recoveredAt: T('20:25') }), [snap('operational')], 4);
    expect(h).toMatchObject({ level: 'operational', queuedReplies: 4, recoveredAt: T('20:25') });
    expect(h.reasons).toContain('recovered');
  });
});

// Wording, rendered through the real locale files the way chrome.i18n substitutes $1…$9.
type Locale = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const load = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../../public/_locales/${lang}/messages.json`, import.meta.url), 'utf8')) as Locale;
function translator(locale: Locale) {
  return (key: MessageKey, subs: string[] = []) => {
    const entry = locale[key];
    if (!entry) throw new Error(`missing ${key}`);
    return entry.message.replace(/\$([a-z0-9_]+)\$/gi, (_m, name: string) => {
      const content = entry.placeholders?.[name.toLowerCase()]?.content ?? '';
      return content.replace(/\$(\d)/g, (_x, d: string) => subs[Number(d) - 1] ?? '');
    });
  };
}
const time = (ms: number, o: { utc?: boolean } = {}) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: o.utc ? 'UTC' : 'Europe/Berlin' }).format(ms);
function render(lang: 'en' | 'de', h: ProviderHealth): string {
  const tr = translator(load(lang));
  const age = (ms: number) => tr('ageMinutes', [String(Math.round(ms / 60_000))]);
  return describeHealth(h, { time, age, translate: (k) => tr(k) }, NOW)
    .map((l) => tr(l.key, l.subs))
    .join(' ');
}

describe('describeHealth wording', () => {
  it('failing here, provider silent (en/de)', () => {
    const h = merge(detector('degraded'), [snap('operational')]);
    expect(render('en', h)).toBe(
      'Messenger replies are failing here since 21:12 (20:12 UTC, 5 conversations). Meta has not reported a problem yet.',
    );
    expect(render('de', h)).toBe(
      'Messenger-Antworten schlagen hier seit 21:12 fehl (20:12 UTC, 5 Unterhaltungen). Meta hat noch kein Problem gemeldet.',
    );
  });
  it('down here, provider reports it (en/de)', () => {
    const h = merge(detector('outage', { conversations: 1 }), [snap('outage')]);
    expect(render('en', h)).toBe(
      'Messenger looks down: most replies fail since 21:12 (20:12 UTC, 1 conversation). Meta reports an outage of Messenger since 21:20 (20:20 UTC).',
    );
    expect(render('de', h)).toBe(
      'Messenger scheint ausgefallen: die meisten Antworten schlagen seit 21:12 fehl (20:12 UTC, 1 Unterhaltung). Meta meldet einen Ausfall bei Messenger seit 21:20 (20:20 UTC).',
    );
  });
  it('provider reports, nothing failing here (en/de)', () => {
    const h = merge(detector('operational'), [snap('degraded')]);
    expect(render('en', h)).toBe(
      'Meta reports a disruption of Messenger since 21:20 (20:20 UTC). Messenger replies are not failing here so far.',
    );
    expect(render('de', h)).toBe(
      'Meta meldet eine Störung bei Messenger seit 21:20 (20:20 UTC). Hier schlagen bisher keine Messenger-Antworten fehl.',
    );
  });
  it('recovered with replies waiting (en/de)', () => {
    const h = merge(detector('operational', { recoveredAt: T('20:25') }), [snap('operational')], 4);
    expect(render('en', h)).toBe('Recovered at 21:25 (20:25 UTC) — 4 replies waiting to be retried.');
    expect(render('de', h)).toBe('Wieder in Ordnung seit 21:25 (20:25 UTC) — 4 Antworten warten auf einen neuen Versuch.');
  });
  it('an unreadable source never leads: what is seen here comes first, the source note after it', () => {
    const h = merge(detector('degraded'), [snap('unknown')]);
    const tr = translator(load('en'));
    const lines = describeHealth(
      h,
      { time, age: (ms) => tr('ageMinutes', [String(Math.round(ms / 60_000))]), translate: (k) => tr(k) },
      NOW,
    );
    expect(lines.map((l) => [l.key, l.secondary ?? false])).toEqual([
      ['healthFailingHere', false],
      ['healthOfficialUnknownLast', true],
    ]);
    // Nothing seen here: the source note is all there is, and it is marked secondary.
    expect(describeHealth(merge(detector('operational'), [snap('unknown')]), { time, age: String, translate: String }, NOW)).toEqual([
      expect.objectContaining({ key: 'healthOfficialUnknownLast', secondary: true }),
    ]);
  });
  it('unknown official status with its last known state and age (en/de)', () => {
    const h = merge(detector('operational'), [snap('unknown')]);
    expect(render('en', h)).toBe("Meta's status could not be checked (last known: Operational, 12 min ago).");
    expect(render('de', h)).toBe('Der Status von Meta konnte nicht abgerufen werden (zuletzt bekannt: In Betrieb, vor 12 Min.).');
  });
});

describe('a source that speaks per channel (Meta orgs.json, array shape)', () => {
  const body = JSON.stringify([
    {
      id: 'messenger',
      name: 'Messenger Platform',
      services: [{ id: 11, name: 'Send API', status: 'High disruptions', time: '2023-11-16T20:14:00+0000' }],
    },
    { id: 'graph-api', name: 'Graph API', services: [{ id: 3, name: 'Platform Status', status: 'No known issues' }] },
    { id: 'ig-messenger', name: 'Instagram Messaging', services: [{ id: 21, name: 'Instagram Messaging API', status: 'No known issues' }] },
  ]);
  const metaSnap = (): SourceSnapshot => {
    const r = parseMetaOrgs(body, NOW);
    return {
      source: { ...META, pageUrl: 'https://metastatus.com/' },
      reading: r,
      checkedAt: NOW - 60_000,
      lastKnown: r,
      lastKnownAt: NOW - 60_000,
      failures: 0,
      nextPollAt: NOW + 60_000,
    };
  };
  const mergeFor = (channel: 'messenger' | 'instagram' | 'whatsapp') =>
    mergeHealth({
      channel,
      detector: detector('operational', { channel }),
      sources: [metaSnap()],
      queuedReplies: 0,
      now: NOW,
      staleAfterMs: STALE,
    });

  it('cites the Messenger org for Messenger, and only there', () => {
    expect(mergeFor('messenger')).toMatchObject({
      level: 'outage',
      official: { state: 'outage', source: 'Meta', unofficial: true, statement: 'Send API: High disruptions', since: T('20:14') },
    });
    expect(mergeFor('instagram')).toMatchObject({ level: 'operational', official: { state: 'operational' } });
  });

  it('a channel whose org is missing is unknown, never the page-wide reading', () => {
    expect(mergeFor('whatsapp')).toMatchObject({ level: 'unknown', official: { state: 'unknown', lastKnownState: null } });
  });
});
