import { z } from 'zod';
import type { ProviderLevel } from '../schemas';
import { clip, minOf, type OfficialReading, readStatusJson, safeLink, toEpoch, uniqueNames } from './reading';

// Zendesk Status API, `GET https://status.zendesk.com/api/incidents/active` (JSON:API), after
// developer.zendesk.com/api-reference/status_api/status_api/: `data` = active incidents
// {id, type "incident", attributes {title, impact, outage, degradation, status, started_at,
// resolved_at}, relationships {incident_services, incident_updates}}; `included` = sideloads
// (incident_update {description}, incident_service {incident_id, service_id}, service {name}).
// The same page's own example shows `data` as one object (the show endpoint, /api/incidents/{id}).
// The status site's own feed (`/api/ssp/incidents.json`) spells it in camelCase: attributes {name,
// impact, outage, degradation, status, startedAt, resolvedAt}, relationships.incidentServices, and
// included incidentService {serviceId, serviceName}; it lists resolved incidents too, and `status` can
// stay "monitoring" after `resolvedAt` is set (capture in github jczechowski-CXDO/ops-dash
// server/src/adapters/vendorstatus/__fixtures__/zendesk-ssp-incidents.json). Impact values:
// "no impact", minor, major, critical, security (github justeat/ZendeskApiClient
// src/ZendeskApi.Client/Models/Status/Impact.cs).

const Ref = z.object({ id: z.string().max(100), type: z.string().max(100) });
const Refs = z
  .object({ data: z.array(Ref).max(500) })
  .optional()
  .nullable();
const Time = z.string().max(60).optional().nullable();
const Incident = z
  .object({
    id: z.union([z.string().max(100), z.number().int()]).transform(String),
    type: z.literal('incident'),
    attributes: z
      .object({
        title: z.string().max(1000).optional(),
        name: z.string().max(1000).optional(),
        impact: z.string().max(50).optional().nullable(),
        outage: z.boolean().optional().nullable(),
        degradation: z.boolean().optional().nullable(),
        status: z.string().max(50).optional().nullable(),
        started_at: Time,
        startedAt: Time,
        resolved_at: Time,
        resolvedAt: Time,
      })
      .refine((a) => a.title !== undefined || a.name !== undefined, 'no title'),
    relationships: z.object({ incident_services: Refs, incidentServices: Refs }).optional().nullable(),
  })
  .transform((i) => ({
    id: i.id,
    title: i.attributes.title ?? i.attributes.name ?? '',
    impact: i.attributes.impact?.toLowerCase() ?? null,
    outage: i.attributes.outage ?? null,
    degradation: i.attributes.degradation ?? null,
    status: i.attributes.status?.toLowerCase() ?? null,
    startedAt: i.attributes.started_at ?? i.attributes.startedAt ?? null,
    resolvedAt: i.attributes.resolved_at ?? i.attributes.resolvedAt ?? null,
    services: [...(i.relationships?.incident_services?.data ?? []), ...(i.relationships?.incidentServices?.data ?? [])],
  }));
type Incident = z.output<typeof Incident>;
const Included = z.object({
  id: z.union([z.string().max(100), z.number().int()]).transform(String),
  type: z.string().max(100),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

// The status site's own feed lists recent history too (17 incidents over weeks in the capture above).
const MAX_LISTED = 1000;

export const ZendeskActiveIncidentsJson = z.object({
  data: z.union([z.array(Incident).max(MAX_LISTED), Incident.transform((i) => [i])]),
  included: z.array(Included).max(5000).optional().nullable(),
});

export const ZENDESK_STATUS_PAGE = 'https://status.zendesk.com';

/** Booleans first (they are the incident's own verdict), then the impact word. */
function incidentState(i: Incident): Exclude<ProviderLevel, 'unknown'> {
  if (i.outage === true) return 'outage';
  if (i.degradation === true) return 'degraded';
  if (i.impact === 'major' || i.impact === 'critical') return 'outage';
  if (i.impact === 'no impact' || i.impact === 'none') return 'operational';
  // minor, security, or nothing said: an open incident is the provider saying something is wrong.
  return 'degraded';
}

export function parseZendeskActiveIncidents(text: unknown, now: number, pageUrl: string = ZENDESK_STATUS_PAGE): OfficialReading {
  const parsed = readStatusJson(text, ZendeskActiveIncidentsJson);
  if (!parsed.ok) return parsed.reading;
  const incidents = parsed.data.data;
  // Open means neither resolved in time nor in status: the status word alone can stay "monitoring".
  const open = incidents.filter((i) => !i.resolvedAt && i.status !== 'resolved' && incidentState(i) !== 'operational');
  if (open.length === 0) return { state: 'operational', statement: null, link: safeLink(pageUrl), since: null, components: [] };
  const included = parsed.data.included ?? [];
  const byKey = new Map(included.map((r) => [`${r.type}:${r.id}`, r]));
  const serviceNames = (incident: Incident): string[] =>
    incident.services.flatMap((ref) => {
      const attrs = byKey.get(`${ref.type}:${ref.id}`)?.attributes;
      const inline = attrs?.serviceName;
      if (typeof inline === 'string') return [inline];
      const serviceId = attrs?.service_id ?? attrs?.serviceId;
      const name = byKey.get(`service:${String(serviceId)}`)?.attributes?.name;
      return typeof name === 'string' ? [name] : [];
    });
  const lead = open.find((i) => incidentState(i) === 'outage') ?? open[0];
  return {
    state: open.some((i) => incidentState(i) === 'outage') ? 'outage' : 'degraded',
    statement: clip(lead?.title),
    link: safeLink(lead ? `${pageUrl.replace(/\/$/, '')}/incidents/${encodeURIComponent(lead.id)}` : pageUrl),
    since: minOf(open.map((i) => toEpoch(i.startedAt, now))),
    components: uniqueNames(open.flatMap(serviceNames)),
  };
}
