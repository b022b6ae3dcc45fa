import { z } from 'zod';
import type { Channel, ProviderLevel } from '../schemas';
import {
  type ChannelReading,
  clip,
  minOf,
  type OfficialReading,
  readStatusJson,
  safeLink,
  toEpoch,
  uniqueNames,
  worst,
  worstKnown,
} from './reading';

// Meta's status data, `https://metastatus.com/data/orgs.json`. UNOFFICIAL: Meta documents no status
// API, so readings from it are labelled "unofficial" in the UI. The shape is the one public client code
// reads: a top-level JSON array of orgs {id, name, services: [{id, name, status, time}], rss_file_paths}
// (github jeantody/bot_telegram src/automations_lib/providers/host_status_provider.py and its
// tests/test_host_status_provider.py; a WhatsApp dashboard reading service ids, names and `time`;
// a Gatus pusher reading orgs `messenger`-family ids). Org ids seen there: messenger, ig-messenger,
// whatsapp-business-api, graph-api, marketing-api, ads-manager, admin-center, workplace. Service
// statuses seen: "No known issues", "Resolved" (kept for hours after an incident closes: healthy),
// "Low disruptions", "Medium disruptions", "High disruptions"; one client's fixtures also use
// "Some disruption" and "Major outage". Any other wording is unknown, never operational.

const Service = z
  .object({
    id: z
      .union([z.string().max(100), z.number()])
      .optional()
      .nullable(),
    // Some clients' fixtures carry only the status; the name then falls back to the id.
    name: z.string().max(500).optional().nullable(),
    status: z.string().max(200),
    time: z.string().max(60).optional().nullable(),
  })
  .transform((s) => ({ ...s, name: s.name ?? (s.id !== undefined && s.id !== null ? String(s.id) : 'service') }));
const Org = z.object({
  id: z.string().max(100),
  name: z.string().max(500).optional().nullable(),
  services: z.array(z.unknown()).max(500),
});
// Orgs are read leniently one by one: an odd org that no channel needs must not blind the others.
export const MetaOrgsJson = z.array(z.unknown()).min(1).max(500);

/** Which orgs speak for a channel: its own, and the Graph API every Send API call goes through. */
export const CHANNEL_ORGS: Record<Channel, readonly string[]> = {
  messenger: ['messenger', 'graph-api'],
  instagram: ['ig-messenger', 'graph-api'],
  whatsapp: ['whatsapp-business-api'],
};

/** A service status by its wording; null when the wording is not one this product knows. */
export function metaPhraseState(status: string): Exclude<ProviderLevel, 'unknown'> | null {
  const s = status.trim().toLowerCase().replace(/\s+/g, ' ');
  if (s === 'no known issues' || s === 'resolved') return 'operational';
  if (/\b(high|major)\b.*\bdisruptions?\b/.test(s) || /\boutages?\b/.test(s)) return 'outage';
  if (/\b(low|medium|some)\b.*\bdisruptions?\b/.test(s)) return 'degraded';
  return null;
}

export const META_STATUS_PAGE = 'https://metastatus.com/';

type MetaService = z.output<typeof Service>;

interface ReadOrg {
  id: string;
  name: string;
  services: MetaService[] | null;
}

function readOrgs(values: readonly unknown[]): Map<string, ReadOrg> {
  const orgs = new Map<string, ReadOrg>();
  const wanted = new Set(Object.values(CHANNEL_ORGS).flat());
  for (const value of values) {
    const org = Org.safeParse(value);
    if (!org.success || !wanted.has(org.data.id) || orgs.has(org.data.id)) continue;
    const services = z.array(Service).safeParse(org.data.services);
    orgs.set(org.data.id, {
      id: org.data.id,
      name: org.data.name ?? org.data.id,
      services: services.success ? services.data : null,
    });
  }
  return orgs;
}

/** Where a person reads about one org: metastatus.com/<org id> (its pages are named so), else the page given. */
function orgLink(pageUrl: string, orgId: string): string | null {
  return safeLink(pageUrl.endsWith('/') ? `${pageUrl}${encodeURIComponent(orgId)}` : pageUrl);
}

function channelReading(channel: Channel, orgs: Map<string, ReadOrg>, now: number, pageUrl: string): ChannelReading {
  const ids = CHANNEL_ORGS[channel];
  const hit: { org: ReadOrg; service: MetaService; state: Exclude<ProviderLevel, 'unknown'> }[] = [];
  let state: Exclude<ProviderLevel, 'unknown'> = 'operational';
  let blind: string | null = null;
  for (const id of ids) {
    const org = orgs.get(id);
    if (!org?.services || org.services.length === 0) {
      blind ??= !org ? `org ${id} missing` : `org ${id}: no readable services`;
      continue;
    }
    for (const service of org.services) {
      const s = metaPhraseState(service.status);
      if (s === null) blind ??= `unrecognised status in ${id}`;
      else if (s !== 'operational') {
        state = worst(state, s);
        hit.push({ org, service, state: s });
      }
    }
  }
  const home = orgLink(pageUrl, ids[0] ?? '');
  // What is known to be wrong is said even when part of the picture is missing; an all-clear needs all of it.
  if (hit.length === 0 && blind) return { state: 'unknown', statement: null, link: home, since: null, components: [], problem: blind };
  const lead = hit.find((h) => h.state === 'outage') ?? hit[0];
  return {
    state,
    statement: lead ? clip(`${lead.service.name}: ${lead.service.status}`) : null,
    link: lead ? orgLink(pageUrl, lead.org.id) : home,
    since: state === 'operational' ? null : minOf(hit.map((h) => toEpoch(h.service.time, now))),
    components: uniqueNames(hit.map((h) => `${h.org.name}: ${h.service.name}`)),
  };
}

export function parseMetaOrgs(text: unknown, now: number, pageUrl: string = META_STATUS_PAGE): OfficialReading {
  const parsed = readStatusJson(text, MetaOrgsJson);
  if (!parsed.ok) return parsed.reading;
  const orgs = readOrgs(parsed.data);
  const channels: Record<Channel, ChannelReading> = {
    messenger: channelReading('messenger', orgs, now, pageUrl),
    instagram: channelReading('instagram', orgs, now, pageUrl),
    whatsapp: channelReading('whatsapp', orgs, now, pageUrl),
  };
  const all = Object.values(channels);
  // Page-wide: the worst any channel knows; unknown only when no channel could be read at all.
  const state = worstKnown(all.map((c) => c.state));
  const lead = all.find((c) => c.state === state && c.state !== 'operational');
  return {
    state,
    statement: lead?.statement ?? null,
    link: lead?.link ?? safeLink(pageUrl),
    since: lead?.since ?? null,
    components: uniqueNames(all.flatMap((c) => c.components)),
    ...(state === 'unknown' ? { problem: all.map((c) => c.problem).find(Boolean) ?? 'no channel readable' } : {}),
    channels,
  };
}
