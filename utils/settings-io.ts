import { z } from 'zod';
import { parseCustomProfile, type SelectorCheck } from './helpdesk/custom-profile';
import { CustomHelpdeskDomain, PageMapping, Settings, ZendeskSubdomain } from './settings';
import { AlertSettings } from './status/settings';

// Settings crossing a boundary: a file a lead hands to the team, and an admin's enterprise policy. Pure.

const HOUR_MS = 60 * 60_000;

/** What an admin can push through `storage.managed` (public/managed-schema.json mirrors this). */
export const ManagedSettings = z.object({
  pageMappings: z.array(PageMapping).max(200),
  customStatuspages: z.array(z.string().url().startsWith('https://').max(2000)).max(20),
  webhookUrl: AlertSettings.shape.webhookUrl.unwrap(),
  webhookFormat: AlertSettings.shape.webhookFormat,
  autoRetry: z.boolean(),
  retentionDoneHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365),
  retentionMaxAgeHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365),
  /** Replaces the user's list and locks it: an admin's restriction must not be widened by an agent. */
  zendeskSubdomains: z.array(ZendeskSubdomain).max(100),
  /** Added to the user's own domains, each locked; the host permission is still the agent's click. */
  customHelpdeskDomains: z.array(CustomHelpdeskDomain).max(50),
});
export type ManagedSettings = Partial<z.infer<typeof ManagedSettings>>;
export type ManagedField = keyof z.infer<typeof ManagedSettings>;

/**
 * The admin's policy, field by field: one bad field is dropped (and named), the others still
 * apply, so a typo in one policy value does not unlock everything else.
 */
export function parseManaged(raw: unknown): { managed: ManagedSettings; rejected: ManagedField[] } {
  const managed: Record<string, unknown> = {};
  const rejected: ManagedField[] = [];
  if (typeof raw !== 'object' || raw === null) return { managed: {}, rejected };
  const record = raw as Record<string, unknown>;
  for (const field of Object.keys(ManagedSettings.shape) as ManagedField[]) {
    if (record[field] === undefined) continue;
    const parsed = ManagedSettings.shape[field].safeParse(record[field]);
    if (parsed.success) managed[field] = parsed.data;
    else rejected.push(field);
  }
  return { managed: managed as ManagedSettings, rejected };
}

/** Managed values over local ones; if the result would not be valid settings, local ones win. */
export function mergeManaged(local: Settings, managed: ManagedSettings): Settings {
  const { webhookUrl: localWebhook, ...alerts } = local.alerts;
  const webhookUrl = managed.webhookUrl ?? localWebhook;
  const merged: Settings = {
    ...local,
    autoRetry: managed.autoRetry ?? local.autoRetry,
    pageMappings: managed.pageMappings ?? local.pageMappings,
    retention: {
      ...local.retention,
      doneMs: managed.retentionDoneHours !== undefined ? managed.retentionDoneHours * HOUR_MS : local.retention.doneMs,
      maxAgeMs: managed.retentionMaxAgeHours !== undefined ? managed.retentionMaxAgeHours * HOUR_MS : local.retention.maxAgeMs,
    },
    status: { ...local.status, customStatuspages: managed.customStatuspages ?? local.status.customStatuspages },
    alerts: { ...alerts, webhookFormat: managed.webhookFormat ?? alerts.webhookFormat, ...(webhookUrl ? { webhookUrl } : {}) },
    ...(managed.zendeskSubdomains ? { zendeskSubdomains: managed.zendeskSubdomains } : {}),
    ...(managed.customHelpdeskDomains
      ? { customHelpdeskDomains: [...new Set([...managed.customHelpdeskDomains, ...(local.customHelpdeskDomains ?? [])])].slice(0, 50) }
      : {}),
  };
  const parsed = Settings.safeParse(merged);
  return parsed.success ? parsed.data : local;
}

/** The export file: a marker and the settings version, so an import knows what it reads. */
export const SettingsFile = z.object({
  sendGuardSettings: z.literal(3),
  settings: Settings,
});
export type SettingsFile = z.infer<typeof SettingsFile>;

export function exportSettings(settings: Settings): string {
  return `${JSON.stringify({ sendGuardSettings: 3, settings } satisfies SettingsFile, null, 2)}\n`;
}

/** Why an import was refused: the field (dotted path, '' for the whole file), what kind of problem, and the checker's detail. */
export interface ImportIssue {
  path: string;
  kind: 'not_json' | 'not_settings_file' | 'invalid_value' | 'custom_profile';
  detail: string;
}

export type ImportResult = { ok: true; settings: Settings } | { ok: false; issues: ImportIssue[] };

/** An imported file through the same checks as the options page: the Settings schema, then the custom profile. */
export function parseSettingsFile(text: string, checkSelector: SelectorCheck): ImportResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '', kind: 'not_json', detail: error instanceof Error ? error.message : '' }] };
  }
  if (typeof json !== 'object' || json === null || (json as Record<string, unknown>).sendGuardSettings !== 3) {
    return { ok: false, issues: [{ path: '', kind: 'not_settings_file', detail: '' }] };
  }
  const file = SettingsFile.safeParse(json);
  if (!file.success) {
    return {
      ok: false,
      issues: file.error.issues
        .slice(0, 10)
        .map((issue) => ({ path: issue.path.map(String).join('.'), kind: 'invalid_value', detail: issue.message })),
    };
  }
  const settings = file.data.settings;
  if (settings.customProfile?.trim()) {
    const profile = parseCustomProfile(settings.customProfile, checkSelector);
    if (!profile.ok) {
      return {
        ok: false,
        issues: profile.issues.slice(0, 10).map((issue) => ({
          path: ['settings', 'customProfile', issue.path].filter(Boolean).join('.'),
          kind: 'custom_profile',
          detail: [issue.kind, issue.detail].filter(Boolean).join(': '),
        })),
      };
    }
  } else if (settings.profile === 'custom') {
    return { ok: false, issues: [{ path: 'settings.customProfile', kind: 'custom_profile', detail: 'missing' }] };
  }
  return { ok: true, settings };
}
