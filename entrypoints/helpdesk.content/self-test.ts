import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { chooseProfile } from '@/utils/helpdesk/choose-profile';
import { browserSelectorCheck } from '@/utils/helpdesk/custom-profile';
import { readTicketId } from '@/utils/helpdesk/read';
import { countProfileSelectors } from '@/utils/helpdesk/selector-counts';
import { BackgroundToContentRequest, type SelfTestResult } from '@/utils/messages';

/**
 * Answers the options page's "Test on this tab": counts what each selector of the profile
 * under test matches here. Runs whatever profile this page itself uses, even none.
 */
export function init(ctx: ContentScriptContext): void {
  browser.runtime.onMessage.addListener((raw: unknown) => {
    if (ctx.isInvalid) return undefined;
    const parsed = BackgroundToContentRequest.safeParse(raw);
    if (!parsed.success) return undefined;
    return Promise.resolve(countHere(parsed.data));
  });
  // Lets the background know this tab, even when no profile matched and no watcher talks to it.
  void browser.runtime.sendMessage({ type: 'self-test-ready' }).catch(() => undefined);
}

function countHere(request: BackgroundToContentRequest): SelfTestResult {
  const chosen = chooseProfile(location, request, browserSelectorCheck);
  if (!chosen.ok) {
    return chosen.reason === 'invalid-custom-profile'
      ? { ok: false, reason: 'invalid-profile', issues: chosen.issues ?? [] }
      : { ok: false, reason: 'no-profile' };
  }
  return {
    ok: true,
    url: location.href.slice(0, 2000),
    profileId: chosen.profile.id,
    ticketId: readTicketId(location.pathname, chosen.profile),
    rows: countProfileSelectors(document, chosen.profile),
  };
}
