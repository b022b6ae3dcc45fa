import type { MessageKey } from '../../utils/i18n';
import { DetectorSettings } from '../health/detector';
import { RetentionSettings } from '../queue/retention';
import { DEFAULT_TOMBSTONE_MS } from '../queue/tombstones';
import { StatusSettings } from '../status/settings';
import { PageMapping, type Settings } from './settings';

// The options form's fields as typed text, checked with the settings' own zod schemas. Pure.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A field's value as it reads, or the message (a `_locales` key) to show next to it. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; error: MessageKey };

/** A helpdesk address reduced to its origin; a path or a non-web address is refused. */
export function checkOrigin(text: string): FieldResult<string> {
  const trimmed = text.trim().replace(/\/+$/, '');
  try {
    const url = new URL(trimmed);
    const ok = (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === trimmed;
    if (ok && PageMapping.shape.helpdeskOrigin.safeParse(url.origin).success) return { ok: true, value: url.origin };
  } catch {
    // Not a URL at all: same message as a URL with a path.
  }
  return { ok: false, error: 'optionsErrOrigin' };
}

export function checkPageId(text: string): FieldResult<string> {
  const parsed = PageMapping.shape.pageId.safeParse(text.trim());
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: 'optionsErrPageId' };
}

/** A whole number in the form's unit, stored in the schema's unit (`scale`), and checked by that schema. */
function checkScaled(
  text: string,
  scale: number,
  schema: { safeParse(v: unknown): { success: boolean } },
  error: MessageKey,
): FieldResult<number> {
  const trimmed = text.trim();
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) * scale : Number.NaN;
  return n > 0 && schema.safeParse(n).success ? { ok: true, value: n } : { ok: false, error };
}

/** The form's numeric fields, their unit and schema. */
export const NUMBER_FIELDS = {
  windowMs: { unit: MINUTE_MS, schema: DetectorSettings.shape.windowMs, error: 'optionsErrWhole' },
  degradedFailures: { unit: 1, schema: DetectorSettings.shape.degradedFailures, error: 'optionsErrWhole' },
  degradedConversations: { unit: 1, schema: DetectorSettings.shape.degradedConversations, error: 'optionsErrWhole' },
  outageMinAttempts: { unit: 1, schema: DetectorSettings.shape.outageMinAttempts, error: 'optionsErrWhole' },
  recoverySuccesses: { unit: 1, schema: DetectorSettings.shape.recoverySuccesses, error: 'optionsErrWhole' },
  quietMs: { unit: MINUTE_MS, schema: DetectorSettings.shape.quietMs, error: 'optionsErrWhole' },
  doneMs: { unit: HOUR_MS, schema: RetentionSettings.shape.doneMs, error: 'optionsErrHours' },
  maxAgeMs: { unit: DAY_MS, schema: RetentionSettings.shape.maxAgeMs, error: 'optionsErrDays' },
  tombstoneMs: { unit: DAY_MS, schema: RetentionSettings.shape.tombstoneMs, error: 'optionsErrDays' },
  activeIntervalMin: { unit: 1, schema: StatusSettings.shape.activeIntervalMin, error: 'optionsErrActiveInterval' },
  idleIntervalMin: { unit: 1, schema: StatusSettings.shape.idleIntervalMin, error: 'optionsErrIdleInterval' },
} as const satisfies Record<string, { unit: number; schema: unknown; error: MessageKey }>;
export type NumberField = keyof typeof NUMBER_FIELDS;

export function checkNumber(field: NumberField, text: string): FieldResult<number> {
  const { unit, schema, error } = NUMBER_FIELDS[field];
  return checkScaled(text, unit, schema, error);
}

/** The form's text for a stored value (rounded: a stored 90 min shows as 2 h rather than 1.5). */
export function numberText(field: NumberField, settings: Settings): string {
  const value =
    field === 'tombstoneMs'
      ? (settings.retention.tombstoneMs ?? DEFAULT_TOMBSTONE_MS)
      : field === 'doneMs' || field === 'maxAgeMs'
        ? settings.retention[field]
        : field === 'activeIntervalMin' || field === 'idleIntervalMin'
          ? settings.status[field]
          : settings.detector[field];
  return String(Math.max(1, Math.round(value / NUMBER_FIELDS[field].unit)));
}
