// @vitest-environment node

import { describe, expect, it } from 'vitest';
import type { ProviderHealth } from '@/core/health/health-model';
import { type IncidentLog, noteEvent, stepEpisode, timelineMarkdown } from '@/core/health/incident-log';
import type { QueuedReply } from '@/core/queue/record';
import { providerHealth } from '../fixtures/health';

const T = (hm: string) => Date.parse(`2023-11-16T${hm}:00Z`);
const health = providerHealth;
const official = (state: 'operational' | 'outage', statement: string | null = null) => ({
  state,
  statement,
  link: 'https://status.example.com/incidents/1',
  source: 'Meta',
  unofficial: false,
  since: state === 'outage' ? T('20:40') : null,
  checkedAt: T('20:41'),
  stale: false,
  lastKnownState: null,
  lastKnownAt: null,
});

describe('incident log', () => {
  it('records one episode from first failure to recovery, with the official acknowledgement once', () => {
    let log: IncidentLog = { episodes: [] };
    const steps: [number, ProviderHealth][] = [
      [T('20:12'), health({ level: 'degraded', firstParty: 'degraded', since: T('20:12'), official: official('operational') })],
      [T('20:20'), health({ level: 'outage', firstParty: 'outage', since: T('20:12'), official: official('operational') })],
      [T('20:41'), health({ level: 'outage', firstParty: 'outage', since: T('20:12'), official: official('outage', 'Send API errors') })],
      [T('20:45'), health({ level: 'outage', firstParty: 'outage', since: T('20:12'), official: official('outage', 'Send API errors') })],
      [T('21:30'), health({ level: 'operational', recoveredAt: T('21:30'), official: official('operational') })],
    ];
    const started: number[] = [];
    const ended: number[] = [];
    for (const [now, h] of steps) {
      const step = stepEpisode(log, h, now);
      log = step.log;
      if (step.started) started.push(now);
      if (step.ended) ended.push(now);
      if (now === T('20:12')) log = noteEvent(log, 'messenger', { at: T('20:12') + 900, kind: 'banner-shown' }, true);
      log = noteEvent(log, 'messenger', { at: now + 1, kind: 'banner-shown' }, true);
    }
    expect(started).toEqual([T('20:12')]);
    expect(ended).toEqual([T('21:30')]);
    const [episode] = log.episodes;
    expect(episode?.events.map((e) => e.kind)).toEqual(['first-failure', 'level', 'banner-shown', 'level', 'official-ack', 'recovered']);
  });

  it('unknown neither starts nor ends an episode', () => {
    const log = stepEpisode({ episodes: [] }, health({ level: 'unknown' }), T('20:00')).log;
    expect(log.episodes).toHaveLength(0);
  });

  it('renders a UTC Markdown timeline in time order, with reply events, escaping remote text', () => {
    let log = stepEpisode({ episodes: [] }, health({ level: 'outage', firstParty: 'outage', since: T('20:12') }), T('20:12')).log;
    log = stepEpisode(
      log,
      health({ level: 'outage', firstParty: 'outage', since: T('20:12'), official: official('outage', '*Send* [API](x)') }),
      T('20:41'),
    ).log;
    log = stepEpisode(log, health({ level: 'operational', recoveredAt: T('21:30') }), T('21:30')).log;
    const reply = {
      channel: 'messenger',
      ticketId: '101',
      firstFailedAt: T('20:11'),
      attempts: [{ at: T('21:35'), path: 'helpdesk_retry', outcome: 'delivered' }],
    } as unknown as QueuedReply;
    const md = timelineMarkdown(log, [reply], (key, subs) => `${key}(${(subs ?? []).join('|')})`, T('22:00'));
    const lines = md.split('\n').filter((l) => l.startsWith('- '));
    expect(lines.map((l) => l.slice(4, 20))).toEqual([
      '2023-11-16 20:11',
      '2023-11-16 20:12',
      '2023-11-16 20:12',
      '2023-11-16 20:41',
      '2023-11-16 21:30',
      '2023-11-16 21:35',
    ]);
    expect(lines[0]).toContain('timelineKept(101)');
    expect(lines[5]).toContain('timelineRetried(101)');
    expect(md).toContain('\\*Send\\* \\[API\\](x)');
  });
});
