import { z } from 'zod';
import { Channel, ProviderLevel } from '../schemas';

// What one official status source says, after parsing. Pure: no browser API, no clock of its own.

const readingFields = {
  state: ProviderLevel,
  /** The provider's own words (incident title, page description); null when it says nothing. */
  statement: z.string().max(500).nullable(),
  /** Where a person reads more: the incident, else the status page. Only http(s). */
  link: z.string().max(2000).nullable(),
  /** Since when the provider reports trouble (epoch ms), if it says. */
  since: z.number().int().nonnegative().nullable(),
  /** Names of affected components / services, as the provider spells them. */
  components: z.array(z.string().max(200)).max(50),
  /** Why the reading is `unknown` (not shown to agents verbatim; for the log and tests). */
  problem: z.string().max(200).optional(),
};

/** What a source says about one channel, when it speaks per channel (Meta's orgs). */
export const ChannelReading = z.object(readingFields);
export type ChannelReading = z.infer<typeof ChannelReading>;

export const OfficialReading = z.object({
  ...readingFields,
  /**
   * Per channel, when the source tells channels apart: these win over the page-wide fields for that
   * channel, and a channel it names no evidence for is `unknown`, never the page's all-clear.
   */
  channels: z.partialRecord(Channel, ChannelReading).optional(),
});
export type OfficialReading = z.infer<typeof OfficialReading>;

/**
 * Larger bodies are refused before parsing. A real Statuspage components list runs at ~600 bytes per
 * component (status.duo.com: 539 components, 331 kB); this leaves room for ~10,000.
 */
export const MAX_STATUS_BODY_CHARS = 6_000_000;
export const MAX_INCIDENTS = 200;
/** Names kept in a reading (the affected components and services most likely to concern the channels first). */
export const MAX_NAMES = 50;
/** Words that make a component or service name likely to concern a watched channel. */
export const CHANNEL_RELEVANT = /messenger|facebook|instagram|whatsapp|send api|graph|messaging|social|meta/i;

export function unknownReading(problem: string): OfficialReading {
  return { state: 'unknown', statement: null, link: null, since: null, components: [], problem: problem.slice(0, 200) };
}

const RANK: Record<Exclude<ProviderLevel, 'unknown'>, number> = { operational: 0, degraded: 1, outage: 2 };

export function worst(a: Exclude<ProviderLevel, 'unknown'>, b: Exclude<ProviderLevel, 'unknown'>): Exclude<ProviderLevel, 'unknown'> {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * A status body checked against its format's schema, or the `unknown` reading that says why not.
 * Never throws. Refuses HTML and oversize bodies before parsing.
 */
export function readStatusJson<T>(text: unknown, schema: z.ZodType<T>): { ok: true; data: T } | { ok: false; reading: OfficialReading } {
  const fail = (problem: string) => ({ ok: false as const, reading: unknownReading(problem) });
  if (typeof text !== 'string') return fail('not text');
  if (text.length > MAX_STATUS_BODY_CHARS) return fail('body too large');
  if (text.trimStart().startsWith('<')) return fail('HTML instead of JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The reading fails with the reason, which the status view shows.
    return fail('not valid JSON (truncated?)');
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, data: parsed.data } : fail(`wrong shape: ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
}

/** ISO 8601 → epoch ms, or null. A time in the future (clock skew) is clamped to now. */
export function toEpoch(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.min(ms, now);
}

/** Only http(s) links reach the banner: a status payload must not smuggle `javascript:` URLs. */
export function safeLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    // Not a URL: no link is shown, the rest of the status is.
    return null;
  }
}

export function clip(text: string | null | undefined, max = 500): string | null {
  const trimmed = text?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed.slice(0, max) : null;
}

export function minOf(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.min(...known) : null;
}

export function uniqueNames(names: string[]): string[] {
  return [...new Set(names.map((n) => n.slice(0, 200)))].slice(0, MAX_NAMES);
}

/** Worst of two readings' states where `unknown` only wins over nothing. */
export function worstKnown(states: readonly ProviderLevel[]): ProviderLevel {
  const known = states.filter((s): s is Exclude<ProviderLevel, 'unknown'> => s !== 'unknown');
  return known.length === 0 ? 'unknown' : known.reduce(worst);
}
