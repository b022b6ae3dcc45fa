import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { BackgroundToContentRequest, SelfTestResult } from '@/core/protocol';
import type { CustomProfile, ProfileIssue } from '@/profiles/custom-profile';
import type { HelpdeskProfile } from '@/profiles/profile';
import { readTicketId } from '@/profiles/read';
import { browserSelectorCheck, builtInProfileFor, isProfileChoice, toHelpdeskProfile } from '@/profiles/resolve';
import { countProfileSelectors } from '@/profiles/selector-counts';

/**
 * Answers the options page's "Test on this tab": counts what each selector of the profile
 * under test matches here. Runs whatever profile this page itself uses, even none.
 */
export function init(ctx: ContentScriptContext): void {
  browser.runtime.onMessage.addListener((raw: unknown, _sender, sendResponse: (answer: SelfTestResult) => void) => {
    if (ctx.isInvalid || !isCountRequest(raw)) return undefined;
    // Answered synchronously through sendResponse: content scripts use the browser's own API (wxt.config.ts).
    sendResponse(countHere(raw));
    return undefined;
  });
  // Lets the background know this tab, even when no profile matched and no watcher talks to it.
  void browser.runtime.sendMessage({ type: 'self-test-ready' }).catch(() => undefined);
}

/** Only this extension can message a content script; the worker checked the custom profile's JSON. */
function isCountRequest(raw: unknown): raw is BackgroundToContentRequest {
  if (typeof raw !== 'object' || raw === null) return false;
  const { type, profile } = raw as { type?: unknown; profile?: unknown };
  return type === 'count-selectors' && isProfileChoice(profile);
}

function countHere(request: BackgroundToContentRequest): SelfTestResult {
  let profile: HelpdeskProfile | null = null;
  if (request.profile !== 'custom') profile = builtInProfileFor(request.profile, location.pathname);
  else if (request.custom) {
    const issues = selectorIssues(request.custom);
    if (issues.length > 0) return { ok: false, reason: 'invalid-profile', issues };
    profile = toHelpdeskProfile(request.custom);
  }
  if (!profile) return { ok: false, reason: 'no-profile' };
  return {
    ok: true,
    url: location.href.slice(0, 2000),
    profileId: profile.id,
    ticketId: readTicketId(location.pathname, profile),
    rows: countProfileSelectors(document, profile),
  };
}

/** Selectors this page's CSS parser refuses, named by their place in the profile's JSON. */
function selectorIssues(custom: CustomProfile): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  for (const [group, list] of Object.entries(custom.selectors)) {
    list.forEach((selector, index) => {
      const problem = browserSelectorCheck(selector);
      if (problem !== null) issues.push({ path: `selectors.${group}[${index}]`, kind: 'invalid_selector', detail: problem.slice(0, 1000) });
    });
  }
  return issues.slice(0, 200);
}
