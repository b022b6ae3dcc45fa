import { z } from 'zod';
import {
  clip,
  MAX_COMPONENTS,
  minOf,
  type OfficialReading,
  type OfficialState,
  readStatusJson,
  safeLink,
  toEpoch,
  uniqueNames,
  unknownReading,
  worst,
} from './reading';

// Meta's status page data (`orgs.json`). UNOFFICIAL: Meta documents no status API, so this shape
// ({updated_at, orgs:[{id,name,status,services:[{id,name,status,updated_at,incident?}]}]}) is a
// best guess; readings from it are labelled "unofficial" in the UI. Unknown statuses → unknown.

const Service = z.object({
  name: z.string().max(500),
  status: z.string().max(50),
  updated_at: z.string().max(60).optional().nullable(),
  incident: z
    .object({ title: z.string().max(1000).optional().nullable(), started_at: z.string().max(60).optional().nullable() })
    .optional()
    .nullable(),
});
const Org = z.object({ name: z.string().max(500), status: z.string().max(50), services: z.array(Service).max(MAX_COMPONENTS) });
export const MetaOrgsJson = z.object({ updated_at: z.string().max(60).optional().nullable(), orgs: z.array(Org).min(1).max(200) });

const STATUS: Record<string, Exclude<OfficialState, 'unknown'>> = {
  operational: 'operational',
  disrupted: 'degraded',
  major_disruption: 'outage',
};

export const META_STATUS_PAGE = 'https://metastatus.com/';

export function parseMetaOrgs(text: unknown, now: number, pageUrl: string = META_STATUS_PAGE): OfficialReading {
  const parsed = readStatusJson(text, MetaOrgsJson);
  if (!parsed.ok) return parsed.reading;
  const services = parsed.data.orgs.flatMap((org) => org.services.map((s) => ({ ...s, org: org.name })));
  if (services.length > MAX_COMPONENTS) return unknownReading('too many services');
  const statuses = [...parsed.data.orgs.map((o) => o.status), ...services.map((s) => s.status)];
  if (statuses.some((s) => !(s in STATUS))) return unknownReading('unrecognised status value');
  let state: Exclude<OfficialState, 'unknown'> = 'operational';
  for (const s of statuses) state = worst(state, STATUS[s] ?? 'operational');
  const hit = services.filter((s) => s.status !== 'operational');
  const lead = hit.find((s) => s.status === 'major_disruption') ?? hit[0];
  return {
    state,
    statement: clip(lead?.incident?.title),
    link: safeLink(pageUrl),
    since: state === 'operational' ? null : minOf(hit.map((s) => toEpoch(s.incident?.started_at ?? s.updated_at, now))),
    components: uniqueNames(hit.map((s) => `${s.org}: ${s.name}`)),
  };
}
