import { browser } from 'wxt/browser';
import { type BackgroundToContentRequest, type RequestOf, SelfTestResult } from '@/core/protocol';
import { type CustomProfile, parseCustomProfile } from '@/profiles/custom-profile';
import { knownHelpdeskTabs } from './tabs';

/** The helpdesk tab the agent used last (without the `tabs` permission: ids and lastAccessed only). */
async function newestHelpdeskTab(): Promise<number | null> {
  let newest: { id: number; at: number } | null = null;
  for (const [index, id] of (await knownHelpdeskTabs()).entries()) {
    // A tab closed since it announced itself is skipped.
    const tab = await browser.tabs.get(id).catch(() => null);
    if (!tab) continue;
    // Without lastAccessed (older browsers) the tab that announced itself last wins.
    const at = tab.lastAccessed ?? index;
    if (!newest || at >= newest.at) newest = { id, at };
  }
  return newest?.id ?? null;
}

/** Asks the newest helpdesk tab's content script to count the profile's selectors there. */
export async function testSelectors(request: RequestOf<'test-selectors'>): Promise<SelfTestResult> {
  const tabId = await newestHelpdeskTab();
  if (tabId === null) return { ok: false, reason: 'no-helpdesk-tab' };
  let custom: CustomProfile | undefined;
  if (request.profile === 'custom' && request.customProfile?.trim()) {
    // The JSON is checked here; the tab checks the selectors with the page's own CSS parser.
    const parsed = parseCustomProfile(request.customProfile, () => null);
    if (!parsed.ok) return { ok: false, reason: 'invalid-profile', issues: parsed.issues.slice(0, 200) };
    custom = parsed.profile;
  }
  try {
    const count: BackgroundToContentRequest = { type: 'count-selectors', profile: request.profile, ...(custom ? { custom } : {}) };
    const raw: unknown = await browser.tabs.sendMessage(tabId, count);
    const parsed = SelfTestResult.safeParse(raw);
    return parsed.success ? parsed.data : { ok: false, reason: 'no-answer' };
  } catch {
    // The options page says the tab gave no answer.
    return { ok: false, reason: 'no-answer' };
  }
}
