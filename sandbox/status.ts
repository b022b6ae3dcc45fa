// Bodies of the fake official status sources (Statuspage, Zendesk status API, Meta status).

/** Provider trouble level the status sources report. */
export type ProviderLevel = 'none' | 'minor' | 'major';

type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';

const PAGE_ID = 'sbx0metaplat';
const COMPONENTS = [
  { id: 'sbxcmpmsngr1', name: 'Messenger Platform', position: 1 },
  { id: 'sbxcmpinsta1', name: 'Instagram Messaging', position: 2 },
  { id: 'sbxcmpgraph1', name: 'Graph API', position: 3 },
] as const;
const INCIDENT_ID = 'sbxinc000001';

/**
 * What the "hostile" force puts into every provider-written text: markup that would set
 * `window.__pwned` if it were ever parsed as HTML, and a `javascript:` incident link.
 */
export const HOSTILE_MARKUP = {
  img: '<img src=x onerror="window.__pwned=1">',
  script: '</script><script>window.__pwned=2</script>',
  svg: '<svg onload="window.__pwned=3">',
  link: 'javascript:window.__pwned=4',
} as const;

/** `text` with markup around it; the words stay, so the reading still names the channel. */
function taint(text: string, hostile: boolean): string {
  return hostile ? `${HOSTILE_MARKUP.img} ${text} ${HOSTILE_MARKUP.script}${HOSTILE_MARKUP.svg}` : text;
}

const DESCRIPTIONS: Record<ProviderLevel, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
};

function componentStatus(name: string, level: ProviderLevel): ComponentStatus {
  if (level === 'none') return 'operational';
  if (level === 'minor') return name === 'Graph API' ? 'operational' : 'degraded_performance';
  return name === 'Graph API' ? 'partial_outage' : 'major_outage';
}

function incidentName(level: ProviderLevel): string {
  return level === 'major' ? 'Messages not delivered via the Send API' : 'Intermittent errors when sending messages';
}

/** Atlassian Statuspage v2 page object. */
function statuspagePage(origin: string, updatedAt: string): Record<string, unknown> {
  return {
    id: PAGE_ID,
    name: 'Meta Platform Status (sandbox)',
    url: `${origin}/status/statuspage`,
    time_zone: 'Etc/UTC',
    updated_at: updatedAt,
  };
}

/** GET /status/statuspage/api/v2/status.json (Atlassian Statuspage format). */
export function statuspageStatus(
  level: ProviderLevel,
  origin: string,
  since: string,
  now: string,
  hostile = false,
): Record<string, unknown> {
  return {
    page: statuspagePage(origin, level === 'none' ? since : now),
    status: { indicator: level, description: taint(DESCRIPTIONS[level], hostile) },
  };
}

/** GET /status/statuspage/api/v2/summary.json (Atlassian Statuspage format). */
export function statuspageSummary(
  level: ProviderLevel,
  origin: string,
  since: string,
  now: string,
  hostile = false,
): Record<string, unknown> {
  const components = COMPONENTS.map((c) => ({
    id: c.id,
    name: taint(c.name, hostile),
    status: componentStatus(c.name, level),
    created_at: '2020-01-01T00:00:00.000Z',
    updated_at: since,
    position: c.position,
    description: null,
    showcase: true,
    start_date: '2020-01-01',
    group_id: null,
    page_id: PAGE_ID,
    group: false,
    only_show_if_degraded: false,
  }));
  const affected = components.filter((c) => c.status !== 'operational');
  const incidents =
    level === 'none'
      ? []
      : [
          {
            id: INCIDENT_ID,
            name: taint(incidentName(level), hostile),
            status: 'investigating',
            created_at: since,
            updated_at: now,
            monitoring_at: null,
            resolved_at: null,
            impact: level,
            shortlink: hostile ? HOSTILE_MARKUP.link : `${origin}/status/statuspage/incidents/${INCIDENT_ID}`,
            started_at: since,
            page_id: PAGE_ID,
            incident_updates: [
              {
                id: 'sbxupd000001',
                status: 'investigating',
                body: taint('We are investigating reports of errors when sending messages through the Messenger Platform.', hostile),
                incident_id: INCIDENT_ID,
                created_at: since,
                updated_at: since,
                display_at: since,
                affected_components: affected.map((c) => ({ code: c.id, name: c.name, old_status: 'operational', new_status: c.status })),
                deliver_notifications: true,
                custom_tweet: null,
                tweet_id: null,
              },
            ],
            components: affected,
          },
        ];
  return {
    page: statuspagePage(origin, level === 'none' ? since : now),
    components,
    incidents,
    scheduled_maintenances: [],
    status: { indicator: level, description: taint(DESCRIPTIONS[level], hostile) },
  };
}

/**
 * GET /status/zendesk/api/incidents/active, after Zendesk's Status API (JSON:API):
 * https://developer.zendesk.com/api-reference/status_api/status_api/
 */
export function zendeskActiveIncidents(level: ProviderLevel, since: string, hostile = false): Record<string, unknown> {
  if (level === 'none') return { data: [], included: [] };
  return {
    data: [
      {
        id: '9001',
        type: 'incident',
        attributes: {
          title: taint(
            level === 'major'
              ? 'Facebook Messenger messages not being delivered'
              : 'Intermittent delays delivering Facebook Messenger messages',
            hostile,
          ),
          impact: level,
          degradation: level === 'minor',
          outage: level === 'major',
          postmortem: '',
          status: 'investigating',
          started_at: since,
          resolved_at: null,
        },
        relationships: {
          incident_updates: { data: [{ id: '90011', type: 'incident_update' }] },
          incident_services: { data: [{ id: '90012', type: 'incident_service' }] },
        },
      },
    ],
    included: [
      {
        id: '90011',
        type: 'incident_update',
        attributes: {
          created_at: since,
          description: taint('We are investigating reports of outbound Facebook Messenger replies failing to deliver.', hostile),
        },
      },
      {
        id: '90012',
        type: 'incident_service',
        attributes: { incident_id: '9001', service_id: '31', created_at: since, updated_at: since },
      },
      { id: '31', type: 'service', attributes: { name: taint('Messaging', hostile), slug: 'messaging' } },
    ],
  };
}

/**
 * GET /status/meta/orgs.json, in the shape public client code reads from https://metastatus.com/data/orgs.json
 * (undocumented, so UNOFFICIAL): a top-level array of orgs {id, name, services: [{id, name, status, time}],
 * rss_file_paths}; statuses "No known issues", "Resolved", "Low/Medium/High disruptions" (sources in
 * core/status/meta-orgs.ts). Harder than a plain all-clear: an org no channel needs is always in trouble,
 * a service keeps "Resolved" for hours after an incident, orgs come in no useful order, and the service names
 * of the messenger and ig-messenger orgs are made up (the evidence does not show them).
 */
export function metaOrgs(level: ProviderLevel, since: string, hostile = false): unknown[] {
  const WORDS: Record<ProviderLevel, { messenger: string; instagram: string; graph: string }> = {
    none: { messenger: 'Resolved', instagram: 'No known issues', graph: 'No known issues' },
    minor: { messenger: 'Medium disruptions', instagram: 'Low disruptions', graph: 'No known issues' },
    major: { messenger: 'High disruptions', instagram: 'High disruptions', graph: 'Medium disruptions' },
  };
  const words = WORDS[level];
  const svc = (id: number, name: string, status: string) => ({
    id,
    name: taint(name, hostile),
    status,
    // When the status last changed: the incident's start for a disruption, long ago otherwise.
    time: status === 'No known issues' ? '2020-01-01T00:00:00.000Z' : since,
  });
  const org = (id: string, name: string, services: ReturnType<typeof svc>[]) => ({
    id,
    name: taint(name, hostile),
    services,
    rss_file_paths: [`outage-events-feed-${id}.rss`],
  });
  return [
    org('ads-manager', 'Ads Manager', [svc(31, 'Ads Delivery', 'High disruptions'), svc(33, 'Ads Reporting', 'Partially degraded')]),
    org('graph-api', 'Graph API', [svc(3, 'Platform Status', words.graph)]),
    org('whatsapp-business-api', 'WhatsApp Business Platform', [
      svc(1, 'Cloud API', 'No known issues'),
      svc(4, 'WhatsApp Business Account Management', 'No known issues'),
    ]),
    org('ig-messenger', 'Instagram Messaging', [
      svc(21, 'Instagram Messaging API', words.instagram),
      svc(22, 'Instagram Webhooks', 'No known issues'),
    ]),
    org('marketing-api', 'Marketing API', [svc(41, 'Insights', 'No known issues')]),
    org('messenger', 'Messenger Platform', [svc(11, 'Messenger API', words.messenger), svc(12, 'Messenger Webhooks', 'No known issues')]),
  ];
}

/** GET /status/meta/<org id>: the page a person opens from the banner's link (a stand-in for metastatus.com/<org>). */
export function metaOrgPage(orgId: string): string {
  const safe = orgId.replace(/[^a-z0-9-]/g, '');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Meta Status: ${safe}</title></head><body><h1>${safe}</h1></body></html>`;
}

export const STATUS_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Status</title></head>' +
  "<body><h1>We'll be right back</h1><p>This status page is being updated. Please check again later.</p></body></html>";
