import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { DEFAULT_DETECTOR_SETTINGS, DetectorSettings } from '../health/detector';
import { DEFAULT_RETENTION, RetentionSettings } from '../queue/retention';
import { Channel, LanguageChoice, ProfileChoice } from '../schemas';
import { AlertSettings, DEFAULT_ALERT_SETTINGS, DEFAULT_STATUS_SETTINGS, StatusSettings } from '../status/settings';
import { TeamSettings } from '../team/settings';
import { SETTINGS_KEY } from './page-settings';

// Every user setting lives here, as one typed, versioned storage item.

/** Which Facebook Page / Instagram account answers a helpdesk's channel, when a ticket doesn't say. */
export const PageMapping = z.object({
  helpdeskOrigin: z.string().url(),
  channel: Channel,
  pageId: z.string().regex(/^\d{1,25}$/, 'a Page id is a number, as shown in the Page’s About section'),
});
export type PageMapping = z.infer<typeof PageMapping>;

/** A label of a Zendesk address: `acme` for https://acme.zendesk.com. */
export const ZendeskSubdomain = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'a Zendesk subdomain is the part before .zendesk.com, like acme');

const HOST = String.raw`(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}(?::\d{1,5})?`;
// http only for the sandbox build's own test origin (the sandbox serves plain http on loopback).
const CUSTOM_ORIGIN =
  import.meta.env.MODE === 'sandbox'
    ? new RegExp(`^(?:https://${HOST}|http://(?:localhost|127\\.0\\.0\\.1)(?::\\d{1,5})?)$`)
    : new RegExp(`^https://${HOST}$`);

/**
 * A helpdesk on its own domain: an origin `https://host[:port]`, lowercase, no path; a leading
 * `*.` covers its subdomains. Zendesk's own addresses are covered by the manifest already.
 */
export const CustomHelpdeskDomain = z
  .string()
  .max(300)
  .regex(CUSTOM_ORIGIN, 'a helpdesk address is https:// and the host name only, like https://help.example.com')
  .refine((origin) => !/(^|\.)zendesk\.com(:\d+)?$/.test(origin), 'zendesk.com addresses are covered already: list the subdomain instead');
export type CustomHelpdeskDomain = z.infer<typeof CustomHelpdeskDomain>;

export const Settings = z.object({
  /** Which helpdesk profile reads the page; `auto` picks one from the page's path. */
  profile: ProfileChoice,
  /** The custom profile's JSON exactly as the user typed it (validated on save and on use). */
  customProfile: z
    .string()
    .max(64 * 1024)
    .optional(),
  /** Retry kept replies by itself when the channel recovers (only in open ticket tabs). */
  autoRetry: z.boolean(),
  pageMappings: z.array(PageMapping).max(200),
  retention: RetentionSettings,
  detector: DetectorSettings,
  /** Official status pages: which, how often (since v3). */
  status: StatusSettings,
  /** Notifications and the team webhook (since v3). */
  alerts: AlertSettings,
  /** Optional without a version bump: missing means `auto`, so v3 data stays valid as it is. */
  language: LanguageChoice.optional(),
  /** Optional without a version bump: empty or missing means every *.zendesk.com subdomain. */
  zendeskSubdomains: z.array(ZendeskSubdomain).max(100).optional(),
  /** Optional without a version bump: helpdesks on their own domains (each needs the user's permission). */
  customHelpdeskDomains: z.array(CustomHelpdeskDomain).max(50).optional(),
  /** Optional without a version bump: missing means team mode off (core/team/settings.ts). */
  team: TeamSettings.optional(),
  /** Optional without a version bump: missing means off. Keeps Send Guard's own errors (utils/debug-log.ts). */
  debugLog: z.boolean().optional(),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  profile: 'auto',
  autoRetry: false,
  pageMappings: [],
  retention: DEFAULT_RETENTION,
  detector: DEFAULT_DETECTOR_SETTINGS,
  status: DEFAULT_STATUS_SETTINGS,
  alerts: DEFAULT_ALERT_SETTINGS,
};

/** Version 1 had only the profile choice. */
export interface SettingsV1 {
  profile: Settings['profile'];
  customProfile?: string;
}

export function migrateV1toV2(v1: SettingsV1): Settings {
  return { ...DEFAULT_SETTINGS, ...v1 };
}

/** Version 2 had no status polling or alert settings. */
export type SettingsV2 = Omit<Settings, 'status' | 'alerts'>;

export function migrateV2toV3(v2: SettingsV2): Settings {
  return { ...v2, status: DEFAULT_STATUS_SETTINGS, alerts: DEFAULT_ALERT_SETTINGS };
}

// Kept out of the exported declaration: WXT's auto-import scanner misreads a numeric key there as an export.
const MIGRATIONS = { 2: migrateV1toV2, 3: migrateV2toV3 };

export const settingsItem = storage.defineItem<Settings>(`local:${SETTINGS_KEY}`, {
  version: 3,
  fallback: DEFAULT_SETTINGS,
  migrations: MIGRATIONS,
});

/** Stored settings, or the defaults when they are missing or damaged (never a throw). */
export async function loadSettings(): Promise<Settings> {
  const stored: unknown = await settingsItem.getValue();
  // Settings written by an older version and not migrated yet (another context did the write)
  // keep their values; only the keys they lack come from the defaults.
  const candidate = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? { ...DEFAULT_SETTINGS, ...stored } : stored;
  const parsed = Settings.safeParse(candidate);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function saveSettings(settings: Settings): Promise<void> {
  await settingsItem.setValue(Settings.parse(settings));
}

/** The Page id for a reply: the ticket's own, else the mapping for its helpdesk and channel. */
export function pageIdFor(
  settings: Settings,
  reply: { helpdeskOrigin: string; channel: Channel; pageId?: string | undefined },
): string | undefined {
  return (
    reply.pageId ?? settings.pageMappings.find((m) => m.helpdeskOrigin === reply.helpdeskOrigin && m.channel === reply.channel)?.pageId
  );
}
