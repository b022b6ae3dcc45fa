import { z } from 'zod';
import type { Settings } from '../settings';
import { type CustomProfileResult, parseCustomProfile } from './custom-profile';
import type { HelpdeskProfile } from './profile';
import { builtInProfileFor, PROFILE_CHOICES, type SelectorCheck } from './resolve';

export const ProfileChoice = z.enum(PROFILE_CHOICES);
export type ProfileChoice = z.infer<typeof ProfileChoice>;

export type ProfileChoiceResult =
  | { ok: true; profile: HelpdeskProfile }
  | {
      ok: false;
      reason: 'no-match' | 'no-custom-profile' | 'invalid-custom-profile';
      issues?: Extract<CustomProfileResult, { ok: false }>['issues'];
    };

/** The profile for a page: the user's choice, or for `auto` the helpdesk whose app path this is. */
export function chooseProfile(
  location: Pick<Location, 'pathname'>,
  settings: Pick<Settings, 'profile' | 'customProfile'>,
  checkSelector: SelectorCheck,
): ProfileChoiceResult {
  if (settings.profile !== 'custom') {
    const profile = builtInProfileFor(settings.profile, location.pathname);
    return profile ? { ok: true, profile } : { ok: false, reason: 'no-match' };
  }
  if (!settings.customProfile) return { ok: false, reason: 'no-custom-profile' };
  const parsed = parseCustomProfile(settings.customProfile, checkSelector);
  return parsed.ok ? { ok: true, profile: parsed.helpdesk } : { ok: false, reason: 'invalid-custom-profile', issues: parsed.issues };
}
