import { z } from 'zod';
import type { Settings } from '../settings';
import { chatwootProfile } from './chatwoot';
import { type CustomProfileResult, parseCustomProfile, type SelectorCheck } from './custom-profile';
import type { HelpdeskProfile } from './profile';
import { zendeskProfile } from './zendesk';

export const ProfileChoice = z.enum(['auto', 'zendesk', 'chatwoot', 'custom']);
export type ProfileChoice = z.infer<typeof ProfileChoice>;

export type ProfileChoiceResult =
  | { ok: true; profile: HelpdeskProfile }
  | {
      ok: false;
      reason: 'no-match' | 'no-custom-profile' | 'invalid-custom-profile';
      issues?: Extract<CustomProfileResult, { ok: false }>['issues'];
    };

// The whole single-page app, not only ticket paths: the agent often lands on a list view and
// opens a ticket by history navigation, which the watchers follow.
const ZENDESK_APP = /^\/agent(\/|$)/;
const CHATWOOT_APP = /^\/app\/accounts\/\d+(\/|$)/;

/** The profile for a page: the user's choice, or for `auto` the helpdesk whose app path this is. */
export function chooseProfile(
  location: Pick<Location, 'pathname'>,
  settings: Pick<Settings, 'profile' | 'customProfile'>,
  checkSelector: SelectorCheck,
): ProfileChoiceResult {
  switch (settings.profile) {
    case 'zendesk':
      return { ok: true, profile: zendeskProfile };
    case 'chatwoot':
      return { ok: true, profile: chatwootProfile };
    case 'custom': {
      if (!settings.customProfile) return { ok: false, reason: 'no-custom-profile' };
      const parsed = parseCustomProfile(settings.customProfile, checkSelector);
      return parsed.ok ? { ok: true, profile: parsed.helpdesk } : { ok: false, reason: 'invalid-custom-profile', issues: parsed.issues };
    }
    case 'auto':
      if (ZENDESK_APP.test(location.pathname)) return { ok: true, profile: zendeskProfile };
      if (CHATWOOT_APP.test(location.pathname)) return { ok: true, profile: chatwootProfile };
      return { ok: false, reason: 'no-match' };
  }
}
