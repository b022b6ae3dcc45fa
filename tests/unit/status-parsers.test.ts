// @vitest-environment node
// Payloads written from the formats' documentation (Atlassian Statuspage API v2, Zendesk Status API),
// not copied from the sandbox; Meta's orgs.json shape is unofficial.
import { describe, expect, it } from 'vitest';
import { parseStatus, type StatusFormat } from '@/utils/status';
import { parseMetaOrgs } from '@/utils/status/meta-orgs';
import { parseStatuspageStatus, parseStatuspageSummary } from '@/utils/status/statuspage';
import { parseZendeskActiveIncidents } from '@/utils/status/zendesk';

const NOW = Date.parse('2023-11-16T21:00:00Z');
const page = {
  id: 'y2j98763l56x',
  name: 'Meta',
  url: 'https://status.example.com',
  time_zone: 'Etc/UTC',
  updated_at: '2023-11-16T20:40:00Z',
};
const component = (name: string, status: string, updated = '2023-11-16T20:15:00Z') => ({
  id: name.toLowerCase().replace(/\W/g, ''),
  name,
  status,
  created_at: '2014-05-03T01:22:07.274Z',
  updated_at: updated,
  position: 1,
  description: null,
  showcase: false,
  group_id: null,
  page_id: page.id,
  group: false,
  only_show_if_degraded: false,
});
const incident = (over: Record<string, unknown> = {}) => ({
  id: 'p31zjtct2jer',
  name: 'Messages fail to send',
  status: 'investigating',
  created_at: '2023-11-16T20:30:00Z',
  updated_at: '2023-11-16T20:40:00Z',
  monitoring_at: null,
  resolved_at: null,
  impact: 'minor',
  shortlink: 'http://stspg.io/abc',
  started_at: '2023-11-16T20:12:00Z',
  page_id: page.id,
  incident_updates: [{ id: 'u1', status: 'investigating', body: 'We are looking into it.', created_at: '2023-11-16T20:30:00Z' }],
  components: [component('Messenger Platform', 'partial_outage')],
  ...over,
});
const summary = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    page,
    components: [component('Messenger Platform', 'operational'), component('Graph API', 'operational')],
    incidents: [],
    scheduled_maintenances: [],
    status: { indicator: 'none', description: 'All Systems Operational' },
    ...over,
  });

describe('Statuspage summary.json', () => {
  it('reads an all-green page as operational', () => {
    const r = parseStatuspageSummary(summary(), NOW);
    expect(r).toMatchObject({ state: 'operational', since: null, components: [], link: 'https://status.example.com/' });
  });

  it('derives outage from a component even when the indicator understates it', () => {
    const r = parseStatuspageSummary(
      summary({
        components: [component('Messenger Platform', 'major_outage')],
        status: { indicator: 'minor', description: 'Minor Service Outage' },
      }),
      NOW,
    );
    expect(r.state).toBe('outage');
    expect(r.components).toEqual(['Messenger Platform']);
    expect(r.since).toBe(Date.parse('2023-11-16T20:15:00Z'));
  });

  it('derives trouble from an unresolved incident while indicator and components are still green', () => {
    const r = parseStatuspageSummary(summary({ incidents: [incident({ impact: 'major', components: [] })] }), NOW);
    expect(r).toMatchObject({
      state: 'outage',
      statement: 'Messages fail to send',
      link: 'http://stspg.io/abc',
      since: Date.parse('2023-11-16T20:12:00Z'),
    });
  });

  it('an open incident of impact none is still degraded; resolved incidents are ignored', () => {
    expect(parseStatuspageSummary(summary({ incidents: [incident({ impact: 'none', components: [] })] }), NOW).state).toBe('degraded');
    expect(
      parseStatuspageSummary(
        summary({ incidents: [incident({ status: 'resolved', resolved_at: '2023-11-16T20:50:00Z', components: [] })] }),
        NOW,
      ).state,
    ).toBe('operational');
  });

  it('maps degraded_performance, partial_outage and maintenance to degraded', () => {
    for (const status of ['degraded_performance', 'partial_outage', 'under_maintenance']) {
      expect(parseStatuspageSummary(summary({ components: [component('Graph API', status)] }), NOW).state).toBe('degraded');
    }
    expect(parseStatuspageSummary(summary({ status: { indicator: 'critical', description: 'Major' } }), NOW).state).toBe('outage');
  });

  it('accepts a partial payload with only the documented essentials (extra and missing optional fields)', () => {
    const text = JSON.stringify({
      page: { url: 'https://status.example.com' },
      status: { indicator: 'major' },
      components: [{ name: 'Send API', status: 'major_outage', future_field: 1 }],
      incidents: [{ name: 'Send API errors', status: 'identified' }],
    });
    const r = parseStatuspageSummary(text, NOW);
    expect(r).toMatchObject({ state: 'outage', statement: 'Send API errors', link: 'https://status.example.com/' });
  });

  it('clamps a since in the future to now and refuses javascript: links', () => {
    const r = parseStatuspageSummary(
      summary({ incidents: [incident({ started_at: '2099-01-01T00:00:00Z', shortlink: 'javascript:alert(1)' })] }),
      NOW,
    );
    expect(r.since).toBe(NOW);
    expect(r.link).toBe('https://status.example.com/');
  });
});

describe('Statuspage status.json', () => {
  it('maps the indicator', () => {
    const body = (indicator: string) => JSON.stringify({ page, status: { indicator, description: 'x' } });
    expect(parseStatuspageStatus(body('none'), NOW).state).toBe('operational');
    expect(parseStatuspageStatus(body('minor'), NOW).state).toBe('degraded');
    expect(parseStatuspageStatus(body('major'), NOW)).toMatchObject({ state: 'outage', since: Date.parse(page.updated_at) });
  });
});

const zendesk = (incidents: unknown[], included: unknown[] = []) => JSON.stringify({ data: incidents, included });
const zIncident = (attrs: Record<string, unknown> = {}) => ({
  id: '7415',
  type: 'incident',
  attributes: {
    title: 'Facebook Messenger replies not delivered',
    impact: 'major',
    outage: true,
    degradation: false,
    status: 'investigating',
    started_at: '2023-11-16T20:10:00Z',
    resolved_at: null,
    postmortem: null,
    ...attrs,
  },
  relationships: { incident_services: { data: [{ id: 'is1', type: 'incident_service' }] }, incident_updates: { data: [] } },
});

describe('Zendesk Status API incidents/active', () => {
  it('no active incidents → operational', () => {
    expect(parseZendeskActiveIncidents(zendesk([]), NOW)).toMatchObject({ state: 'operational', link: 'https://status.zendesk.com/' });
  });
  it('an outage incident with its service from the sideloads', () => {
    const r = parseZendeskActiveIncidents(
      zendesk(
        [zIncident()],
        [
          { id: 'is1', type: 'incident_service', attributes: { incident_id: '7415', service_id: 's9' } },
          { id: 's9', type: 'service', attributes: { name: 'Social Messaging' } },
        ],
      ),
      NOW,
    );
    expect(r).toMatchObject({
      state: 'outage',
      statement: 'Facebook Messenger replies not delivered',
      link: 'https://status.zendesk.com/incidents/7415',
      since: Date.parse('2023-11-16T20:10:00Z'),
      components: ['Social Messaging'],
    });
  });
  it('a degradation → degraded; missing included is fine (partial)', () => {
    const text = JSON.stringify({ data: [zIncident({ impact: 'minor', outage: false, degradation: true })] });
    expect(parseZendeskActiveIncidents(text, NOW)).toMatchObject({ state: 'degraded', components: [] });
  });
});

const orgs = (status: string, svcStatus = status) =>
  JSON.stringify({
    updated_at: '2023-11-16T20:40:00Z',
    orgs: [
      {
        id: 'messenger',
        name: 'Messenger Platform',
        status,
        services: [
          {
            id: 'send',
            name: 'Send API',
            status: svcStatus,
            updated_at: '2023-11-16T20:20:00Z',
            incident: { title: 'Send API errors', started_at: '2023-11-16T20:11:00Z' },
          },
        ],
      },
    ],
  });

describe('Meta orgs.json (unofficial shape)', () => {
  it('maps its statuses', () => {
    expect(parseMetaOrgs(orgs('operational'), NOW).state).toBe('operational');
    expect(parseMetaOrgs(orgs('disrupted'), NOW)).toMatchObject({
      state: 'degraded',
      statement: 'Send API errors',
      components: ['Messenger Platform: Send API'],
    });
    expect(parseMetaOrgs(orgs('major_disruption'), NOW)).toMatchObject({ state: 'outage', since: Date.parse('2023-11-16T20:11:00Z') });
  });
});

// A status page is remote data: its texts may hold markup, its links any scheme. Texts pass through
// verbatim (the UI renders them as text); only http(s) links survive.
const MARKUP = '<img src=x onerror="window.__pwned=1"> </script><script>window.__pwned=2</script>';
const BAD_LINKS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '//evil.example/x',
];

describe('hostile status payloads', () => {
  it.each(BAD_LINKS)('Statuspage: refuses the link %j as shortlink and as page url', (bad) => {
    const withShortlink = parseStatuspageSummary(summary({ incidents: [incident({ shortlink: bad })] }), NOW);
    expect(withShortlink.link).toBe('https://status.example.com/');
    const both = parseStatuspageSummary(summary({ page: { ...page, url: bad }, incidents: [incident({ shortlink: bad })] }), NOW);
    expect(both.link).toBeNull();
    expect(parseStatuspageStatus(JSON.stringify({ page: { ...page, url: bad }, status: { indicator: 'major' } }), NOW).link).toBeNull();
  });

  it('Statuspage: keeps markup in the incident name and component names as plain text', () => {
    const r = parseStatuspageSummary(
      summary({
        incidents: [incident({ name: `Messenger ${MARKUP}`, components: [component(`Messenger ${MARKUP}`, 'major_outage')] })],
      }),
      NOW,
    );
    expect(r.statement).toBe(`Messenger ${MARKUP}`);
    expect(r.components).toEqual([`Messenger ${MARKUP}`]);
  });

  it('Zendesk: an incident id cannot change the link away from the status page', () => {
    const r = parseZendeskActiveIncidents(
      zendesk([{ ...zIncident({ title: MARKUP }), id: '"><img src=x>/../../javascript:alert(1)' }]),
      NOW,
    );
    expect(r.statement).toBe(MARKUP);
    expect(r.link).toBe('https://status.zendesk.com/incidents/%22%3E%3Cimg%20src%3Dx%3E%2F..%2F..%2Fjavascript%3Aalert(1)');
    for (const bad of BAD_LINKS) expect(parseZendeskActiveIncidents(zendesk([zIncident()]), NOW, bad).link, bad).toBeNull();
  });

  it('Meta: keeps a marked-up incident title as text; a non-http page url gives no link', () => {
    const text = orgs('major_disruption').replace('Send API errors', MARKUP.replaceAll('"', '\\"'));
    const r = parseMetaOrgs(text, NOW);
    expect(r.statement).toBe(MARKUP);
    for (const bad of BAD_LINKS) expect(parseMetaOrgs(text, NOW, bad).link, bad).toBeNull();
  });
});

// Every malformed payload, for every format: each must give `unknown`, never throw.
const huge = `{"page":{"url":"https://x.example"},"status":{"indicator":"none"},"components":[],"incidents":[],"pad":"${'x'.repeat(2_100_000)}"}`;
const tenThousand = summary({ components: Array.from({ length: 10_000 }, (_, i) => component(`C${i}`, 'operational')) });
const MALFORMED: [string, unknown][] = [
  ['HTML maintenance page', '<!doctype html><html><body><h1>We will be right back</h1></body></html>'],
  ['HTML with leading whitespace', '\n   <html></html>'],
  ['empty body', ''],
  ['truncated JSON', summary().slice(0, 80)],
  ['JSON null', 'null'],
  ['JSON number', '42'],
  ['JSON string', '"ok"'],
  ['JSON array', '[]'],
  ['empty object', '{}'],
  ['not a string (undefined)', undefined],
  ['not a string (object)', { page }],
  ['huge body (>2 MB)', huge],
  ['10,000 components', tenThousand],
  ['unknown indicator', summary({ status: { indicator: 'purple', description: 'x' } })],
  ['XSSI prefix', `)]}'\n${summary()}`],
  ['BOM + garbage', '\uFEFFnot json at all'],
  ['deeply wrong types', JSON.stringify({ page: 'x', status: 'y', components: 'z', incidents: 1 })],
];
// Wrong inside the summary's lists (status.json has no lists, so these are for summary.json only).
const SUMMARY_MALFORMED: [string, unknown][] = [
  ['components not an array', summary({ components: { a: 1 } })],
  ['component without status', summary({ components: [{ name: 'x' }] })],
  ['component status unknown', summary({ components: [component('x', 'on_fire')] })],
  ['incidents null', summary({ incidents: null })],
  ['incident name a number', summary({ incidents: [incident({ name: 7 })] })],
  ['10,000 open incidents', summary({ incidents: Array.from({ length: 10_000 }, () => incident()) })],
];
const ZENDESK_MALFORMED: [string, unknown][] = [
  ['data not an array', JSON.stringify({ data: { id: 1 } })],
  ['incident without attributes', zendesk([{ id: '1', type: 'incident' }])],
  ['wrong type', zendesk([{ ...zIncident(), type: 'maintenance' }])],
  ['title missing', zendesk([{ ...zIncident(), attributes: { impact: 'major' } }])],
  ['outage a string', zendesk([zIncident({ outage: 'yes' })])],
  ['Statuspage body at the Zendesk URL', summary()],
];
const META_MALFORMED: [string, unknown][] = [
  ['orgs missing', JSON.stringify({ updated_at: 'x' })],
  ['orgs empty', JSON.stringify({ orgs: [] })],
  ['unknown status value', orgs('on_fire')],
  ['services not an array', JSON.stringify({ orgs: [{ name: 'x', status: 'operational', services: {} }] })],
  [
    '10,000 services',
    JSON.stringify({
      orgs: [
        {
          name: 'x',
          status: 'operational',
          services: Array.from({ length: 10_000 }, (_, i) => ({ name: `s${i}`, status: 'operational' })),
        },
      ],
    }),
  ],
];
const FORMATS: StatusFormat[] = ['statuspage-summary', 'statuspage-status', 'zendesk-incidents', 'meta-orgs'];

const MALFORMED_COUNT = MALFORMED.length * FORMATS.length + SUMMARY_MALFORMED.length + ZENDESK_MALFORMED.length + META_MALFORMED.length;

describe('malformed payloads → unknown, never a throw', () => {
  it.each(MALFORMED.flatMap(([name, body]) => FORMATS.map((f) => [`${f}: ${name}`, f, body] as const)))('%s', (_name, format, body) => {
    const r = parseStatus(format, body, NOW);
    expect(r.state).toBe('unknown');
    expect(r.problem).toBeTruthy();
  });
  it.each(SUMMARY_MALFORMED)('statuspage-summary: %s', (_name, body) => {
    expect(parseStatuspageSummary(body, NOW).state).toBe('unknown');
  });
  it.each(ZENDESK_MALFORMED)('zendesk: %s', (_name, body) => {
    expect(parseZendeskActiveIncidents(body, NOW).state).toBe('unknown');
  });
  it.each(META_MALFORMED)('meta: %s', (_name, body) => {
    expect(parseMetaOrgs(body, NOW).state).toBe('unknown');
  });
  it('counts the malformed cases', () => {
    expect(MALFORMED_COUNT).toBe(17 * 4 + 6 + 6 + 5);
  });
});
