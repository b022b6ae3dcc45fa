import { z } from 'zod';
import {
  clip,
  MAX_COMPONENTS,
  MAX_INCIDENTS,
  minOf,
  type OfficialReading,
  type OfficialState,
  readStatusJson,
  safeLink,
  toEpoch,
  uniqueNames,
  worst,
} from './reading';

// Atlassian Statuspage public API v2 (`/api/v2/summary.json`, `/api/v2/status.json`), after
// Atlassian's documentation: page {id,name,url,updated_at}, status {indicator none|minor|major|critical,
// description}, components[{name,status operational|degraded_performance|partial_outage|major_outage|
// under_maintenance}], incidents[] = unresolved incidents {name,status,impact,shortlink,created_at,...}.
// Only the fields used are required; unknown extra fields are ignored (the API grows).

const Page = z.object({ url: z.string().max(2000).optional().nullable(), updated_at: z.string().max(60).optional().nullable() });
const Status = z.object({
  indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  description: z.string().max(500).optional().nullable(),
});
const Component = z.object({
  name: z.string().max(500),
  status: z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']),
  updated_at: z.string().max(60).optional().nullable(),
  // Group components repeat their children's worst state; harmless, they are counted the same way.
  group: z.boolean().optional().nullable(),
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
    .max(MAX_COMPONENTS)
    .optional()
    .nullable(),
});

export const StatuspageStatusJson = z.object({ page: Page, status: Status });
export const StatuspageSummaryJson = z.object({
  page: Page,
  status: Status,
  components: z.array(Component).max(MAX_COMPONENTS),
  incidents: z.array(Incident).max(MAX_INCIDENTS),
});

const INDICATOR: Record<z.infer<typeof Status>['indicator'], Exclude<OfficialState, 'unknown'>> = {
  none: 'operational',
  minor: 'degraded',
  major: 'outage',
  critical: 'outage',
  // Planned work: worth showing, not an outage.
  maintenance: 'degraded',
};
const COMPONENT: Record<z.infer<typeof Component>['status'], Exclude<OfficialState, 'unknown'>> = {
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

/**
 * `/api/v2/summary.json`: the worst of the page indicator, every component's status and every
 * unresolved incident's impact, since the indicator can lag or understate what components show.
 */
export function parseStatuspageSummary(text: unknown, now: number): OfficialReading {
  const parsed = readStatusJson(text, StatuspageSummaryJson);
  if (!parsed.ok) return parsed.reading;
  const { page, status, components, incidents } = parsed.data;
  let state = INDICATOR[status.indicator];
  const affected = components.filter((c) => c.status !== 'operational');
  for (const c of affected) state = worst(state, COMPONENT[c.status]);
  const open = incidents.filter((i) => !RESOLVED.has(i.status) && !i.resolved_at);
  for (const i of open) {
    // An open incident with impact "none" is still the provider saying something is wrong.
    state = worst(state, i.impact === 'major' || i.impact === 'critical' ? 'outage' : 'degraded');
  }
  const lead = [...open].sort((a, b) => rankImpact(b.impact) - rankImpact(a.impact))[0];
  const since =
    state === 'operational'
      ? null
      : minOf([
          ...open.map((i) => toEpoch(i.started_at ?? i.created_at, now)),
          ...(open.length ? [] : affected.map((c) => toEpoch(c.updated_at, now))),
        ]);
  return {
    state,
    statement: clip(lead?.name) ?? (state === 'operational' ? clip(status.description) : (clip(status.description) ?? null)),
    link: safeLink(lead?.shortlink) ?? safeLink(page.url),
    since: since ?? (state === 'operational' ? null : toEpoch(page.updated_at, now)),
    components: uniqueNames([...affected.map((c) => c.name), ...open.flatMap((i) => (i.components ?? []).map((c) => c.name))]),
  };
}

function rankImpact(impact: string | null | undefined): number {
  return impact === 'critical' ? 4 : impact === 'major' ? 3 : impact === 'minor' ? 2 : 1;
}
