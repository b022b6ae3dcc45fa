import { z } from 'zod';
import { clip, MAX_INCIDENTS, minOf, type OfficialReading, readStatusJson, safeLink, toEpoch, uniqueNames } from './reading';

// Zendesk Status API, `GET https://status.zendesk.com/api/incidents/active` (JSON:API), after
// developer.zendesk.com/api-reference/status_api/status_api/: `data` = active incidents
// {id, type "incident", attributes {title, impact, outage, degradation, status, started_at,
// resolved_at}, relationships {incident_services, incident_updates}}; `included` = sideloads
// (incident_update {description}, incident_service {incident_id, service_id}, service {name}).

const Ref = z.object({ id: z.string().max(100), type: z.string().max(100) });
const Incident = z.object({
  id: z.string().max(100),
  type: z.literal('incident'),
  attributes: z.object({
    title: z.string().max(1000),
    impact: z.string().max(50).optional().nullable(),
    outage: z.boolean().optional().nullable(),
    degradation: z.boolean().optional().nullable(),
    status: z.string().max(50).optional().nullable(),
    started_at: z.string().max(60).optional().nullable(),
    resolved_at: z.string().max(60).optional().nullable(),
  }),
  relationships: z
    .object({
      incident_services: z
        .object({ data: z.array(Ref).max(500) })
        .optional()
        .nullable(),
    })
    .optional()
    .nullable(),
});
const Included = z.object({ id: z.string().max(100), type: z.string().max(100), attributes: z.record(z.string(), z.unknown()).optional() });

export const ZendeskActiveIncidentsJson = z.object({
  data: z.array(Incident).max(MAX_INCIDENTS),
  included: z.array(Included).max(5000).optional().nullable(),
});

export const ZENDESK_STATUS_PAGE = 'https://status.zendesk.com';

export function parseZendeskActiveIncidents(text: unknown, now: number, pageUrl: string = ZENDESK_STATUS_PAGE): OfficialReading {
  const parsed = readStatusJson(text, ZendeskActiveIncidentsJson);
  if (!parsed.ok) return parsed.reading;
  const open = parsed.data.data.filter((i) => !i.attributes.resolved_at && i.attributes.status !== 'resolved');
  if (open.length === 0) return { state: 'operational', statement: null, link: safeLink(pageUrl), since: null, components: [] };
  const included = parsed.data.included ?? [];
  const byKey = new Map(included.map((r) => [`${r.type}:${r.id}`, r]));
  const serviceNames = (incident: z.infer<typeof Incident>): string[] =>
    (incident.relationships?.incident_services?.data ?? []).flatMap((ref) => {
      const serviceId = byKey.get(`${ref.type}:${ref.id}`)?.attributes?.service_id;
      const name = byKey.get(`service:${String(serviceId)}`)?.attributes?.name;
      return typeof name === 'string' ? [name] : [];
    });
  const isOutage = (i: z.infer<typeof Incident>) =>
    i.attributes.outage === true || i.attributes.impact === 'major' || i.attributes.impact === 'critical';
  const lead = open.find(isOutage) ?? open[0];
  return {
    state: open.some(isOutage) ? 'outage' : 'degraded',
    statement: clip(lead?.attributes.title),
    link: safeLink(lead ? `${pageUrl.replace(/\/$/, '')}/incidents/${encodeURIComponent(lead.id)}` : pageUrl),
    since: minOf(open.map((i) => toEpoch(i.attributes.started_at, now))),
    components: uniqueNames(open.flatMap(serviceNames)),
  };
}
