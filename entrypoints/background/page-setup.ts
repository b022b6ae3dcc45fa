import type { ResponseOf } from '@/core/protocol';
import { loadEffectiveSettings } from '@/core/settings/effective-settings';
import { loadSettings, type PageMapping, type Settings, saveSettings } from '@/core/settings/settings';
import { chatwootProfile } from '@/profiles/chatwoot';
import { parseCustomProfile } from '@/profiles/custom-profile';
import { zendeskProfile } from '@/profiles/zendesk';
import { settingsForMessages } from './helpdesk-domains';

// Settings work a helpdesk tab asks for: the schemas run here, so content scripts stay small.

/** The custom profile, its JSON checked here; the tab checks the selectors (a worker has no CSS parser). */
export async function customProfileForTab(settings?: Settings): Promise<ResponseOf<'get-custom-profile'>> {
  settings ??= await loadEffectiveSettings();
  if (settings.profile !== 'custom' || !settings.customProfile) return { ok: false, reason: 'no-custom-profile' };
  const parsed = parseCustomProfile(settings.customProfile, () => null);
  return parsed.ok ? { ok: true, profile: parsed.profile } : { ok: false, reason: 'invalid-custom-profile' };
}

/**
 * How each helpdesk this extension reads names a ticket in its addresses (the custom profile's too).
 * Read on every failure report, so from the settings cached per change (helpdesk-domains.ts).
 */
export async function ticketPaths(): Promise<RegExp[]> {
  const custom = await customProfileForTab(await settingsForMessages());
  return [zendeskProfile.ticketPath, chatwootProfile.ticketPath, ...(custom.ok ? [new RegExp(custom.profile.ticketPath)] : [])];
}

/** The banner's Page ID answer: replaces the mapping for that helpdesk and channel. */
export async function savePageMapping(mapping: PageMapping): Promise<ResponseOf<'save-page-mapping'>> {
  const settings = await loadSettings();
  const others = settings.pageMappings.filter((m) => !(m.helpdeskOrigin === mapping.helpdeskOrigin && m.channel === mapping.channel));
  await saveSettings({ ...settings, pageMappings: [...others, mapping] });
  return { ok: true };
}
