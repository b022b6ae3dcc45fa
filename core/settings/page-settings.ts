import { browser } from 'wxt/browser';
import { isProfileChoice } from '../../profiles/resolve';
import type { LanguageChoice, ProfileChoice } from '../schemas';
import { LANGUAGE_CHOICES } from '../vocabulary';

// The settings a helpdesk tab needs, read without the settings schema (and so without zod in every
// helpdesk tab). core/settings/settings.ts owns the item and validates every write.

/** The storage.local key of the settings item (`local:settings` in core/settings/settings.ts). */
export const SETTINGS_KEY = 'settings';

export interface PageSettings {
  profile: ProfileChoice;
  language: LanguageChoice;
}

/** What a helpdesk tab starts with: each value as stored if it is a known one, else its default. */
export function readPageSettings(stored: unknown): PageSettings {
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const { profile, language } = record;
  return {
    profile: isProfileChoice(profile) ? profile : 'auto',
    language: (LANGUAGE_CHOICES as readonly unknown[]).includes(language) ? (language as LanguageChoice) : 'auto',
  };
}

/** Never throws: storage that cannot be read means the defaults. */
export async function loadPageSettings(): Promise<PageSettings> {
  try {
    return readPageSettings((await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]);
  } catch (error) {
    console.warn('Send Guard: settings not readable in this tab; the defaults apply', error);
    return readPageSettings(undefined);
  }
}

/** Whether Send Guard's own errors also go to the debug log (utils/debug-log.ts). Never throws. */
export async function isDebugLogOn(): Promise<boolean> {
  try {
    const stored: unknown = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
    return typeof stored === 'object' && stored !== null && (stored as { debugLog?: unknown }).debugLog === true;
  } catch {
    // Storage that cannot be read means the default, off: the error itself still goes to the console.
    return false;
  }
}
