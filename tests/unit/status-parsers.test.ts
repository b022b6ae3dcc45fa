// @vitest-environment node
// Payloads written from the formats' documentation (Atlassian Statuspage API v2, Zendesk Status API)
// and, in tests/fixtures/status-payloads.ts, from real captures and client code (each names its source);
// none is copied from the sandbox. Meta's orgs.json shape is unofficial.
import { describe, expect, it } from 'vitest';
import { parseStatus, type StatusFormat } from '@/core/status';
import { metaPhraseState, parseMetaOrgs } from '@/core/status/meta-orgs';
import { parseStatuspageStatus, parseStatuspageSummary } from '@/core/status/statuspage';
import { parseZendeskActiveIncidents } from '@/core/status/zendesk';
import { META_PAYLOADS, PAYLOAD_COUNTS, STATUSPAGE_PAYLOADS, type StatusPayload, ZENDESK_PAYLOADS } from '../fixtures/status-payloads';

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

  it('an open incident of impact none naming no component is not degraded; resolved incidents are ignored', () => {
    expect(parseStatuspageSummary(summary({ incidents: [incident({ impact: 'none', components: [] })] }), NOW).state).toBe('operational');
    // With an affected component, that component's own status speaks.
    expect(
      parseStatuspageSummary(
        summary({
          components: [component('Messenger Platform', 'partial_outage')],
          incidents: [incident({ impact: 'none', components: [component('Messenger Platform', 'partial_outage')] })],
        }),
        NOW,
      ).state,
    ).toBe('degraded');
    // No impact said at all: an open incident is still the provider keeping something open.
    expect(parseStatuspageSummary(summary({ incidents: [incident({ impact: undefined, components: [] })] }), NOW).state).toBe('degraded');
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

const orgs = (status: string, extra: unknown[] = []) =>
  JSON.stringify([
    { id: 'messenger', name: 'Messenger Platform', services: [{ id: 11, name: 'Send API', status, time: '2023-11-16T20:11:00+0000' }] },
    {
      id: 'graph-api',
      name: 'Graph API',
      services: [{ id: 3, name: 'Platform Status', status: 'No known issues', time: '2023-11-01T00:00:00+0000' }],
    },
    ...extra,
  ]);

describe('Meta orgs.json (unofficial shape: a top-level array of orgs)', () => {
  it('maps its wordings; anything else is unknown, never operational', () => {
    const cases: [string, string | null][] = [
      ['No known issues', 'operational'],
      ['Resolved', 'operational'],
      ['Low disruptions', 'degraded'],
      ['Medium disruptions', 'degraded'],
      ['Some disruption', 'degraded'],
      ['High disruptions', 'outage'],
      ['Major outage', 'outage'],
      ['[High disruptions]', 'outage'],
      ['operational', null],
      ['disrupted', null],
      ['major_disruption', null],
      ['Investigating', null],
      ['', null],
      ['No known issues yet?', null],
    ];
    for (const [wording, state] of cases) expect(metaPhraseState(wording), wording).toBe(state);
  });

  it('reads the Messenger channel from the messenger and graph-api orgs', () => {
    const r = parseMetaOrgs(orgs('High disruptions'), NOW);
    expect(r.channels?.messenger).toMatchObject({
      state: 'outage',
      statement: 'Send API: High disruptions',
      components: ['Messenger Platform: Send API'],
      since: Date.parse('2023-11-16T20:11:00Z'),
      link: 'https://metastatus.com/messenger',
    });
    // No ig-messenger org and no WhatsApp org in this payload: those channels are unknown, not clear.
    expect(r.channels?.instagram?.state).toBe('unknown');
    expect(r.channels?.whatsapp?.state).toBe('unknown');
  });

  it('the old invented object shape is not read', () => {
    const invented = JSON.stringify({ updated_at: 'x', orgs: [{ id: 'messenger', name: 'M', status: 'operational', services: [] }] });
    expect(parseMetaOrgs(invented, NOW).state).toBe('unknown');
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

  it('Meta: keeps marked-up service and org names as text; a non-http page url gives no link', () => {
    const text = JSON.stringify([
      { id: 'messenger', name: `Messenger ${MARKUP}`, services: [{ name: `Send API ${MARKUP}`, status: 'High disruptions' }] },
      { id: 'graph-api', name: 'Graph API', services: [{ name: 'Platform Status', status: 'No known issues' }] },
    ]);
    const r = parseMetaOrgs(text, NOW);
    expect(r.channels?.messenger?.statement).toBe(`Send API ${MARKUP}: High disruptions`);
    expect(r.channels?.messenger?.components).toEqual([`Messenger ${MARKUP}: Send API ${MARKUP}`]);
    for (const bad of BAD_LINKS) {
      const withBad = parseMetaOrgs(text, NOW, bad);
      expect(withBad.link, bad).toBeNull();
      expect(withBad.channels?.messenger?.link, bad).toBeNull();
    }
    // An org id cannot walk the link away from the status site.
    const sneaky = JSON.stringify([
      { id: 'messenger', services: [{ name: 's', status: 'High disruptions' }] },
      { id: 'graph-api', services: [{ name: 's', status: 'No known issues' }] },
    ]);
    expect(parseMetaOrgs(sneaky, NOW).channels?.messenger?.link).toBe('https://metastatus.com/messenger');
  });
});

// Every malformed payload, for every format: each must give `unknown`, never throw.
const huge = `{"page":{"url":"https://x.example"},"status":{"indicator":"none"},"components":[],"incidents":[],"pad":"${'x'.repeat(6_100_000)}"}`;
const MALFORMED: [string, unknown][] = [
  ['HTML maintenance page', '<!doctype html><html><body><h1>We will be right back</h1></body></html>'],
  ['HTML with leading whitespace', '\n   <html></html>'],
  ['empty body', ''],
  ['truncated JSON', summary().slice(0, 80)],
  ['JSON null', 'null'],
  ['JSON number', '42'],
  ['JSON string', '"ok"'],
  ['JSON array', '[]'],
  ['array of junk', '[1, "x", null]'],
  ['empty object', '{}'],
  ['not a string (undefined)', undefined],
  ['not a string (object)', { page }],
  ['huge body (>6 MB)', huge],
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
  [
    'one component of 5,000 with a status not known',
    summary({ components: [...Array.from({ length: 4999 }, (_, i) => component(`C${i}`, 'operational')), component('x', 'on_fire')] }),
  ],
  ['neither status nor components', JSON.stringify({ page, incidents: [] })],
];
const ZENDESK_MALFORMED: [string, unknown][] = [
  ['data an object without type', JSON.stringify({ data: { id: 1 } })],
  ['data a string', JSON.stringify({ data: 'incident' })],
  ['neither title nor name', zendesk([{ id: '1', type: 'incident', attributes: { impact: 'major' } }])],
  ['resolvedAt a number', zendesk([zIncident({ resolvedAt: 5 })])],
  ['incident without attributes', zendesk([{ id: '1', type: 'incident' }])],
  ['wrong type', zendesk([{ ...zIncident(), type: 'maintenance' }])],
  ['title missing', zendesk([{ ...zIncident(), attributes: { impact: 'major' } }])],
  ['outage a string', zendesk([zIncident({ outage: 'yes' })])],
  ['Statuspage body at the Zendesk URL', summary()],
];
const META_MALFORMED: [string, unknown][] = [
  [
    'the invented object shape',
    JSON.stringify({ updated_at: 'x', orgs: [{ id: 'messenger', name: 'x', status: 'operational', services: [] }] }),
  ],
  ['empty array', '[]'],
  ['array of junk', JSON.stringify([1, 'messenger', null, { id: 7 }])],
  ['no relevant org at all', JSON.stringify([{ id: 'ads-manager', services: [{ name: 'x', status: 'No known issues' }] }])],
  [
    'services not an array',
    JSON.stringify([
      { id: 'messenger', services: {} },
      { id: 'graph-api', services: 'x' },
      { id: 'ig-messenger', services: null },
    ]),
  ],
  ['status a number', JSON.stringify([{ id: 'messenger', services: [{ name: 'x', status: 3 }] }])],
  [
    '10,000 services in one org',
    JSON.stringify([
      { id: 'messenger', services: Array.from({ length: 10_000 }, (_, i) => ({ name: `s${i}`, status: 'No known issues' })) },
    ]),
  ],
  [
    'empty services everywhere',
    JSON.stringify(['messenger', 'ig-messenger', 'graph-api', 'whatsapp-business-api'].map((id) => ({ id, services: [] }))),
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
    expect(MALFORMED_COUNT).toBe(17 * 4 + 8 + 9 + 8);
  });
});

// Real-shaped payloads (tests/fixtures/status-payloads.ts): each parsed as its evidence says.
function checkPayload(r: ReturnType<typeof parseStatus>, p: StatusPayload) {
  expect(r.state).toBe(p.expect.state);
  for (const [channel, state] of Object.entries(p.expect.channels ?? {})) {
    expect(r.channels?.[channel as keyof typeof r.channels]?.state, channel).toBe(state);
  }
  if (p.expect.statement !== undefined) expect(r.statement).toBe(p.expect.statement);
  if (p.expect.link !== undefined) expect(r.link).toBe(p.expect.link);
  if (p.expect.components !== undefined) expect(r.components).toEqual(p.expect.components);
  if (p.expect.since !== undefined) expect(r.since).toBe(p.expect.since);
}

describe('real-shaped payloads', () => {
  const later = Date.parse('2027-01-01T00:00:00Z');
  it.each(META_PAYLOADS)('Meta: $name', (p) => checkPayload(parseStatus('meta-orgs', p.body, later, 'https://metastatus.com/'), p));
  it.each(STATUSPAGE_PAYLOADS)('Statuspage: $name', (p) => checkPayload(parseStatus('statuspage-summary', p.body, later), p));
  it.each(ZENDESK_PAYLOADS)('Zendesk: $name', (p) => checkPayload(parseStatus('zendesk-incidents', p.body, later), p));
  it('counts them per format', () => {
    console.info(`real-shaped status payloads: ${JSON.stringify(PAYLOAD_COUNTS)}`);
    expect(PAYLOAD_COUNTS).toEqual({ meta: 9, statuspage: 7, zendesk: 5 });
  });
  it('the 1,200-component page keeps at most 50 names, the channel-relevant first', () => {
    const many = Array.from({ length: 1200 }, (_, i) =>
      component(`Region ${i}`, i < 100 || i === 1199 ? 'degraded_performance' : 'operational'),
    );
    many[1199] = component('Instagram messaging', 'degraded_performance');
    const r = parseStatuspageSummary(summary({ components: many }), NOW);
    expect(r.state).toBe('degraded');
    expect(r.components).toHaveLength(50);
    expect(r.components[0]).toBe('Instagram messaging');
  });
});
