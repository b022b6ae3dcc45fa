import { z } from 'zod';
import { parseCustomProfile } from '../../profiles/custom-profile';
import type { SelectorCheck } from '../../profiles/profile';
import { AlertSettings } from '../status/settings';
import { DEFAULT_TEAM_SETTINGS } from '../team/settings';
import { CustomHelpdeskDomain, PageMapping, Settings, ZendeskSubdomain } from './settings';

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
  /** Team mode: kept replies and outages written to the helpdesk with each agent's own session. */
  teamMode: z.boolean(),
  /** Team mode's opt-in linking of affected tickets to the outage ticket as incidents. */
  teamLinkIncidents: z.boolean(),
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
  const localTeam = local.team ?? DEFAULT_TEAM_SETTINGS;
  const managedTeam = managed.teamMode !== undefined || managed.teamLinkIncidents !== undefined;
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
    ...(managedTeam
      ? {
          team: {
            enabled: managed.teamMode ?? localTeam.enabled,
            linkIncidents: managed.teamLinkIncidents ?? localTeam.linkIncidents,
          },
        }
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

/**
 * The file a lead hands to the team. The webhook address is a secret (a Slack webhook is its own
 * key): it is left out unless the lead asks for it.
 */
export function exportSettings(settings: Settings, options: { includeSecrets?: boolean } = {}): string {
  const { webhookUrl: _secret, ...alerts } = settings.alerts;
  const shared: Settings = options.includeSecrets ? settings : { ...settings, alerts };
  return `${JSON.stringify({ sendGuardSettings: 3, settings: shared } satisfies SettingsFile, null, 2)}\n`;
}

/** One setting an import would change, for the person to confirm: where, and from what to what (as short text). */
export interface SettingsChange {
  path: string;
  before: string;
  after: string;
}

export interface ImportPlan {
  /** What would be saved. */
  settings: Settings;
  /** Everything that differs from the settings in force. */
  changes: SettingsChange[];
  /** Parts of the file that are never imported, because they differed and came only through the options page. */
  ignored: string[];
}

const MAX_SHOWN_CHARS = 120;

function leaves(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) out.set(path, Array.isArray(value) ? '[]' : '{}');
    for (const [key, inner] of entries) leaves(inner, path ? `${path}.${key}` : key, out);
    return;
  }
  if (value !== undefined) out.set(path, typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * What importing `imported` over `current` would do. Status pages are only ever added in the
 * options page, where the browser asks for their site (so an imported file cannot add one, over
 * http or under any name); a file without the webhook address (exported without secrets) keeps the
 * one in force. The rest is shown change by change before anything is saved.
 */
export function planImport(current: Settings, imported: Settings): ImportPlan {
  const ignored: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(imported.status.sources, current.status.sources)) ignored.push('status.sources');
  if (!same(imported.status.customStatuspages, current.status.customStatuspages)) ignored.push('status.customStatuspages');
  const { sources: _sources, ...importedStatus } = imported.status;
  const status = {
    ...importedStatus,
    customStatuspages: current.status.customStatuspages,
    ...(current.status.sources ? { sources: current.status.sources } : {}),
  };
  const webhookUrl = imported.alerts.webhookUrl ?? current.alerts.webhookUrl;
  const settings: Settings = { ...imported, status, alerts: { ...imported.alerts, ...(webhookUrl ? { webhookUrl } : {}) } };
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  leaves(current, '', before);
  leaves(settings, '', after);
  const short = (text: string | undefined) =>
    text === undefined ? '' : text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS - 1)}…` : text;
  // An empty list or object that gains entries shows as those entries, not also as "[] → —".
  const filled = (path: string, side: Map<string, string>, other: Map<string, string>) =>
    (side.get(path) === '[]' || side.get(path) === '{}') && !other.has(path) && [...other.keys()].some((k) => k.startsWith(`${path}.`));
  const changes: SettingsChange[] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    if (before.get(path) === after.get(path) || filled(path, before, after) || filled(path, after, before)) continue;
    changes.push({ path, before: short(before.get(path)), after: short(after.get(path)) });
  }
  return { settings, changes, ignored };
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
