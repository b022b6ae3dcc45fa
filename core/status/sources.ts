import { z } from 'zod';
import { OfficialReading } from './reading';

// Which official status sources are polled, and what was last learned from each. Pure data.

export const StatusFormatSchema = z.enum(['statuspage-summary', 'statuspage-status', 'zendesk-incidents', 'meta-orgs']);

export const StatusSource = z.object({
  id: z.string().min(1).max(100),
  /** Who speaks: the name the banner cites ("Meta", "Zendesk", or a user-added page's host). */
  provider: z.string().min(1).max(100),
  format: StatusFormatSchema,
  url: z
    .string()
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u), 'only http(s) URLs'),
  /** Public page a person can open (for the link when the payload names none). */
  pageUrl: z.string().url().max(2000).optional(),
});
export type StatusSource = z.infer<typeof StatusSource>;

/**
 * Production defaults. Zendesk's is the documented Status API. Meta documents none: metastatus.com's
 * data file is UNOFFICIAL; its path and shape are the ones public monitoring code reads (core/status/meta-orgs.ts).
 */
export const PRODUCTION_SOURCES: StatusSource[] = [
  { id: 'meta', provider: 'Meta', format: 'meta-orgs', url: 'https://metastatus.com/data/orgs.json', pageUrl: 'https://metastatus.com/' },
  {
    id: 'zendesk',
    provider: 'Zendesk',
    format: 'zendesk-incidents',
    url: 'https://status.zendesk.com/api/incidents/active',
    pageUrl: 'https://status.zendesk.com/',
  },
];

/** A user-added Statuspage page: its base URL → the summary endpoint. */
export function statuspageSourceFromUrl(input: string): StatusSource | null {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    const base = url.origin + url.pathname.replace(/\/(api\/v2\/(summary|status)\.json)?\/?$/, '');
    return {
      id: `custom:${base}`,
      provider: url.hostname,
      format: 'statuspage-summary',
      url: `${base}/api/v2/summary.json`,
      pageUrl: `${base}/`,
    };
  } catch {
    // Not a URL: no source; the options page refuses the entry (optionsStatusInvalid).
    return null;
  }
}

/** What the poller stored for a source: the latest reading and the last one that was not `unknown`. */
export const SourceSnapshot = z.object({
  source: StatusSource,
  reading: OfficialReading,
  checkedAt: z.number().int().nonnegative(),
  lastKnown: OfficialReading.nullable(),
  lastKnownAt: z.number().int().nonnegative().nullable(),
  /** Conditional-request validators. */
  etag: z.string().max(500).optional(),
  lastModified: z.string().max(100).optional(),
  failures: z.number().int().nonnegative(),
  nextPollAt: z.number().int().nonnegative(),
});
export type SourceSnapshot = z.infer<typeof SourceSnapshot>;
