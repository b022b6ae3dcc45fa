import type { ProfileChoice } from '../core/schemas';
import { PROFILE_CHOICES } from '../core/vocabulary';
import { chatwootProfile } from './chatwoot';
import type { CustomProfile } from './custom-profile';
import type { HelpdeskProfile, SelectorCheck } from './profile';
import { zendeskProfile } from './zendesk';

// Choosing the profile a page is read with. Zod-free: the content script runs it; the checks of a
// custom profile's JSON happen where it is saved and in the worker (custom-profile.ts).

export function isProfileChoice(value: unknown): value is ProfileChoice {
  return (PROFILE_CHOICES as readonly unknown[]).includes(value);
}

// The whole single-page app, not only ticket paths: the agent often lands on a list view and
// opens a ticket by history navigation, which the watchers follow.
const ZENDESK_APP = /^\/agent(\/|$)/;
const CHATWOOT_APP = /^\/app\/accounts\/\d+(\/|$)/;

/** A built-in profile: the one chosen, or for `auto` the helpdesk whose app path this is; null when none fits. */
export function builtInProfileFor(choice: Exclude<ProfileChoice, 'custom'>, pathname: string): HelpdeskProfile | null {
  switch (choice) {
    case 'zendesk':
      return zendeskProfile;
    case 'chatwoot':
      return chatwootProfile;
    case 'auto':
      if (ZENDESK_APP.test(pathname)) return zendeskProfile;
      if (CHATWOOT_APP.test(pathname)) return chatwootProfile;
      return null;
  }
}

/** The browser's own parser: a fragment has no elements, so nothing on the page is touched. */
export const browserSelectorCheck: SelectorCheck = (selector) => {
  try {
    document.createDocumentFragment().querySelector(selector);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

/** The selectors of a profile that `check` refuses. */
export function invalidSelectors(profile: HelpdeskProfile, check: SelectorCheck): string[] {
  return Object.values(profile.selectors)
    .flat()
    .filter((selector) => check(selector) !== null);
}

/** The profile the watchers use. Only call with a profile `parseCustomProfile` accepted. */
export function toHelpdeskProfile(profile: CustomProfile): HelpdeskProfile {
  // Label matching lowercases the page's text, so the labels are lowercased once here.
  const lower = (labels: string[]) => labels.map((label) => label.toLowerCase());
  return {
    id: 'custom',
    ticketPath: new RegExp(profile.ticketPath),
    selectors: { ...profile.selectors },
    workspaceTicketAttributes: [...profile.workspaceTicketAttributes],
    labels: {
      failed: lower(profile.labels.failed),
      delivered: lower(profile.labels.delivered),
      pending: lower(profile.labels.pending),
      channel: {
        messenger: lower(profile.labels.channel.messenger),
        instagram: lower(profile.labels.channel.instagram),
        whatsapp: lower(profile.labels.channel.whatsapp),
      },
    },
  };
}
