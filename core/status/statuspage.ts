import { z } from 'zod';
import type { ProviderLevel } from '../schemas';
import {
  CHANNEL_RELEVANT,
  clip,
  MAX_INCIDENTS,
  MAX_NAMES,
  minOf,
  type OfficialReading,
  readStatusJson,
  safeLink,
  toEpoch,
  uniqueNames,
  unknownReading,
  worst,
} from './reading';

// Atlassian Statuspage public API v2 (`/api/v2/summary.json`, `/api/v2/status.json`), after
// Atlassian's documentation: page {id,name,url,updated_at}, status {indicator none|minor|major|critical,
// description}, components[{name,status operational|degraded_performance|partial_outage|major_outage|
// under_maintenance}], incidents[] = unresolved incidents {name,status,impact,shortlink,created_at,...}.
// Real pages differ from the documented summary: status.openai.com's summary.json has only `page`,
// `status` and `components` (no `incidents`, no `scheduled_maintenances`; captured in github
// jczechowski-CXDO/ops-dash server/src/adapters/vendorstatus/__fixtures__/statuspage-openai-summary.json),
// and pages run to hundreds of components (status.duo.com: 539, github atc0005/check-statuspage
// testdata/components/duo-components.json). Only the fields used are required.

const Page = z.object({ url: z.string().max(2000).optional().nullable(), updated_at: z.string().max(60).optional().nullable() });
const Indicator = z.enum(['none', 'minor', 'major', 'critical', 'maintenance']);
const Status = z.object({ indicator: Indicator, description: z.string().max(500).optional().nullable() });
const ComponentStatus = z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']);
const Component = z.object({
  name: z.string().max(500),
  status: ComponentStatus,
  updated_at: z.string().max(60).optional().nullable(),
});
const Incident = z.object({
  name: z.string().max(1000),
  status: z.string().max(50),
  impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']).optional().nullable(),
  shortlink: z.string().max(2000).optional().nullable(),
  created_at: z.string().max(60).optional().nullable(),
  started_at: z.string().max(60).optional().nullable(),
  resolved_at: z.string().max(60).optional().nullable(),
  components: z
    .array(z.object({ name: z.string().max(500) }))
    .max(1000)
    .optional()
    .nullable(),
});

export const StatuspageStatusJson = z.object({ page: Page, status: Status });
// Components are checked one by one while scanning (a page of thousands is read without a parsed copy).
export const StatuspageSummaryJson = z
  .object({
    page: Page.optional().nullable(),
    status: Status.optional(),
    components: z.array(z.unknown()).optional(),
    incidents: z.array(Incident).max(MAX_INCIDENTS).optional(),
  })
  .refine((s) => s.status !== undefined || s.components !== undefined, 'neither status nor components');

const INDICATOR: Record<z.infer<typeof Indicator>, Exclude<ProviderLevel, 'unknown'>> = {
  none: 'operational',
  minor: 'degraded',
  major: 'outage',
  critical: 'outage',
  // Planned work: worth showing, not an outage.
  maintenance: 'degraded',
};
const COMPONENT: Record<z.infer<typeof ComponentStatus>, Exclude<ProviderLevel, 'unknown'>> = {
  operational: 'operational',
  degraded_performance: 'degraded',
  partial_outage: 'degraded',
  major_outage: 'outage',
  under_maintenance: 'degraded',
};
const RESOLVED = new Set(['resolved', 'postmortem', 'completed']);

/** `/api/v2/status.json`: the page indicator alone (it can understate; prefer summary.json). */
export function parseStatuspageStatus(text: unknown, now: number): OfficialReading {
  const parsed = readStatusJson(text, StatuspageStatusJson);
  if (!parsed.ok) return parsed.reading;
  const { page, status } = parsed.data;
  const state = INDICATOR[status.indicator];
  return {
    state,
    statement: clip(status.description),
    link: safeLink(page.url),
    since: state === 'operational' ? null : toEpoch(page.updated_at, now),
    components: [],
  };
}

/** What an open incident says on its own: impact `none` with no affected component says nothing is down. */
function incidentState(incident: z.infer<typeof Incident>): Exclude<ProviderLevel, 'unknown'> {
  switch (incident.impact) {
    case 'major':
    case 'critical':
      return 'outage';
    case 'none':
      // Its components (if any) carry their own status, read with the page's components.
      return 'operational';
    default:
      // minor, maintenance, or not said: the provider keeps something open.
      return 'degraded';
  }
}

/** One pass over the components: the worst status and the affected names, channel-relevant ones first. */
function scanComponents(
  components: readonly unknown[],
  now: number,
): { ok: true; state: Exclude<ProviderLevel, 'unknown'>; names: string[]; since: number | null } | { ok: false } {
  let state: Exclude<ProviderLevel, 'unknown'> = 'operational';
  const relevant: string[] = [];
  const other: string[] = [];
  let since: number | null = null;
  for (const raw of components) {
    const c = Component.safeParse(raw);
    // A status this product does not know is not an all-clear: the whole page reads unknown.
    if (!c.success) return { ok: false };
    const s = COMPONENT[c.data.status];
    if (s === 'operational') continue;
    state = worst(state, s);
    const list = CHANNEL_RELEVANT.test(c.data.name) ? relevant : other;
    if (list.length < MAX_NAMES) list.push(c.data.name);
    const at = toEpoch(c.data.updated_at, now);
    if (at !== null) since = since === null ? at : Math.min(since, at);
  }
  return { ok: true, state, names: [...relevant, ...other], since };
}

/**
 * `/api/v2/summary.json`: the worst of the page indicator, every component's status and every
 * unresolved incident's impact, since the indicator can lag or understate what components show.
 */
export function parseStatuspageSummary(text: unknown, now: number): OfficialReading {
  const parsed = readStatusJson(text, StatuspageSummaryJson);
  if (!parsed.ok) return parsed.reading;
  const { page, status, components = [], incidents = [] } = parsed.data;
  const scanned = scanComponents(components, now);
  if (!scanned.ok) return unknownReading('wrong shape: components');
  let state = worst(status ? INDICATOR[status.indicator] : 'operational', scanned.state);
  const open = incidents.filter((i) => !RESOLVED.has(i.status) && !i.resolved_at);
  const speaking = open.filter((i) => incidentState(i) !== 'operational' || (i.components ?? []).length > 0);
  for (const i of speaking) state = worst(state, incidentState(i));
  const lead = [...speaking].sort((a, b) => rankImpact(b.impact) - rankImpact(a.impact))[0];
  const since =
    state === 'operational'
      ? null
      : minOf([...speaking.map((i) => toEpoch(i.started_at ?? i.created_at, now)), ...(speaking.length ? [] : [scanned.since])]);
  return {
    state,
    statement: clip(state === 'operational' ? status?.description : lead?.name) ?? clip(status?.description),
    link: safeLink(lead?.shortlink) ?? safeLink(page?.url),
    since: since ?? (state === 'operational' ? null : toEpoch(page?.updated_at, now)),
    components: uniqueNames([...scanned.names, ...speaking.flatMap((i) => (i.components ?? []).map((c) => c.name))]),
  };
}

function rankImpact(impact: string | null | undefined): number {
  return impact === 'critical' ? 4 : impact === 'major' ? 3 : impact === 'minor' ? 2 : 1;
}
