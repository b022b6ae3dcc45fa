import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { LanguageChoice, ProfileChoice } from '@/core/schemas';
import { checkZendeskSubdomain } from '@/core/settings/helpdesk-domains';
import { type PageMapping, type Settings, Settings as SettingsSchema } from '@/core/settings/settings';
import { checkNumber, type FieldResult, NUMBER_FIELDS, type NumberField, numberText } from '@/core/settings/settings-form';
import type { ManagedSettings } from '@/core/settings/settings-io';
import { statuspageSourceFromUrl } from '@/core/status/sources';
import { DEFAULT_TEAM_SETTINGS } from '@/core/team/settings';
import { parseCustomProfile } from '@/profiles/custom-profile';
import { browserSelectorCheck } from '@/profiles/resolve';
import type { MessageKey } from '@/utils/i18n';

// The options page's one save model: every section edits this draft, one Save checks and stores all of it.

export interface Draft {
  language: LanguageChoice;
  notifications: boolean;
  pageMappings: PageMapping[];
  zendeskSubdomains: string;
  profile: ProfileChoice;
  customProfile: string;
  statusPages: string;
  webhookUrl: string;
  webhookFormat: 'slack' | 'json';
  polling: boolean;
  autoRetry: boolean;
  teamMode: boolean;
  teamLinkIncidents: boolean;
  debugLog: boolean;
  numbers: Record<NumberField, string>;
}

/** What the page starts from: the user's own values, the admin's where they are locked. */
export function draftFrom(local: Settings, managed: ManagedSettings, effective: Settings): Draft {
  return {
    language: local.language ?? 'auto',
    notifications: local.alerts.notifications,
    pageMappings: effective.pageMappings,
    zendeskSubdomains: (managed.zendeskSubdomains ?? local.zendeskSubdomains ?? []).join('\n'),
    profile: local.profile,
    customProfile: local.customProfile ?? '',
    statusPages: (managed.customStatuspages ?? local.status.customStatuspages).join('\n'),
    webhookUrl: managed.webhookUrl ?? local.alerts.webhookUrl ?? '',
    webhookFormat: managed.webhookFormat ?? local.alerts.webhookFormat,
    polling: effective.status.enabled,
    autoRetry: effective.autoRetry,
    teamMode: managed.teamMode ?? local.team?.enabled ?? DEFAULT_TEAM_SETTINGS.enabled,
    teamLinkIncidents: managed.teamLinkIncidents ?? local.team?.linkIncidents ?? DEFAULT_TEAM_SETTINGS.linkIncidents,
    debugLog: local.debugLog ?? false,
    numbers: Object.fromEntries(Object.keys(NUMBER_FIELDS).map((f) => [f, numberText(f as NumberField, effective)])) as Record<
      NumberField,
      string
    >,
  };
}

/** The subdomain list as typed: the labels, or the first line that is not one. */
export function readSubdomains(text: string): { ok: true; value: string[] } | { ok: false; line: number } {
  const value: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    const checked = checkZendeskSubdomain(line);
    if (!checked.ok) return { ok: false, line: index + 1 };
    if (!value.includes(checked.value)) value.push(checked.value);
  }
  return { ok: true, value };
}

export function readLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export function numberResults(draft: Draft): Record<NumberField, FieldResult<number>> {
  return Object.fromEntries(Object.entries(draft.numbers).map(([f, v]) => [f, checkNumber(f as NumberField, v)])) as Record<
    NumberField,
    FieldResult<number>
  >;
}

export type SavePlan =
  | { ok: false; message: MessageKey; subs?: string }
  | { ok: true; origins: string[]; apply: (current: Settings) => Settings | null };

/**
 * Checks the whole draft (each field shows its own error as it is typed; this says why nothing was
 * saved) and plans the write: the host permissions to ask for first, then the settings to store.
 */
export function planSave(draft: Draft, managed: ManagedSettings, pendingFieldError: boolean): SavePlan {
  const numbers = numberResults(draft);
  const subdomains = readSubdomains(draft.zendeskSubdomains);
  if (pendingFieldError || Object.values(numbers).some((r) => !r.ok) || !subdomains.ok) return { ok: false, message: 'optionsFixFirst' };
  const custom = draft.customProfile.trim() ? parseCustomProfile(draft.customProfile, browserSelectorCheck) : null;
  if (draft.profile === 'custom' && !custom?.ok) return { ok: false, message: 'optionsSaveBlocked' };
  const locked = {
    pages: managed.customStatuspages !== undefined,
    webhook: managed.webhookUrl !== undefined,
    format: managed.webhookFormat !== undefined,
    mappings: managed.pageMappings !== undefined,
    retry: managed.autoRetry !== undefined,
    done: managed.retentionDoneHours !== undefined,
    max: managed.retentionMaxAgeHours !== undefined,
    subdomains: managed.zendeskSubdomains !== undefined,
    team: managed.teamMode !== undefined,
    link: managed.teamLinkIncidents !== undefined,
  };
  const pages = locked.pages ? [] : readLines(draft.statusPages);
  const webhook = locked.webhook ? '' : draft.webhookUrl.trim();
  const bad = [...pages, ...(webhook ? [webhook] : [])].find((u) => !u.startsWith('https://') || !statuspageSourceFromUrl(u));
  if (bad) return { ok: false, message: 'optionsStatusInvalid', subs: bad };
  const origins = [...new Set([...pages, ...(webhook ? [webhook] : [])].map((u) => `${new URL(u).origin}/*`))];
  const n = (field: NumberField) => {
    const r = numbers[field];
    return r.ok ? r.value : 0;
  };
  // Locked fields keep the user's own value underneath (the admin's shows, the user's is stored).
  const apply = (current: Settings): Settings | null => {
    const { webhookUrl: oldWebhook, ...alerts } = current.alerts;
    const webhookUrl = locked.webhook ? oldWebhook : webhook || undefined;
    const { customProfile: _old, debugLog: _debugLog, ...rest } = current;
    const parsed = SettingsSchema.safeParse({
      ...rest,
      language: draft.language,
      profile: draft.profile,
      ...(draft.customProfile.trim() ? { customProfile: draft.customProfile } : {}),
      ...(draft.debugLog ? { debugLog: true } : {}),
      zendeskSubdomains: locked.subdomains ? current.zendeskSubdomains : subdomains.value,
      pageMappings: locked.mappings ? current.pageMappings : draft.pageMappings,
      autoRetry: locked.retry ? current.autoRetry : draft.autoRetry,
      team: {
        enabled: locked.team ? (current.team ?? DEFAULT_TEAM_SETTINGS).enabled : draft.teamMode,
        linkIncidents: locked.link ? (current.team ?? DEFAULT_TEAM_SETTINGS).linkIncidents : draft.teamLinkIncidents,
      },
      detector: {
        windowMs: n('windowMs'),
        degradedFailures: n('degradedFailures'),
        degradedConversations: n('degradedConversations'),
        outageMinAttempts: n('outageMinAttempts'),
        recoverySuccesses: n('recoverySuccesses'),
        quietMs: n('quietMs'),
      },
      retention: {
        doneMs: locked.done ? current.retention.doneMs : n('doneMs'),
        maxAgeMs: locked.max ? current.retention.maxAgeMs : n('maxAgeMs'),
        tombstoneMs: n('tombstoneMs'),
      },
      status: {
        ...current.status,
        enabled: draft.polling,
        activeIntervalMin: n('activeIntervalMin'),
        idleIntervalMin: n('idleIntervalMin'),
        customStatuspages: locked.pages ? current.status.customStatuspages : pages,
      },
      alerts: {
        ...alerts,
        notifications: draft.notifications,
        webhookFormat: locked.format ? current.alerts.webhookFormat : draft.webhookFormat,
        ...(webhookUrl ? { webhookUrl } : {}),
      },
    });
    return parsed.success ? parsed.data : null;
  };
  return { ok: true, origins, apply };
}

/** The draft every section reads and edits, and the admin's locks. */
export interface DraftState {
  draft: Draft;
  update: (patch: Partial<Draft>) => void;
  managed: ManagedSettings;
  /** A section's add-form holds text that is not valid yet (e.g. a half-typed Page ID): Save waits. */
  setPendingError: (section: string, pending: boolean) => void;
}

export const DraftContext = createContext<DraftState | null>(null);

export function useDraft(): DraftState {
  const state = useContext(DraftContext);
  if (!state) throw new Error('useDraft outside the options form');
  return state;
}
