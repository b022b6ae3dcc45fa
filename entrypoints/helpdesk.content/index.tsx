import { askWorker } from '@/utils/ask-worker';
import type { HelpdeskProfile } from '@/utils/helpdesk/profile';
import { browserSelectorCheck, builtInProfileFor, invalidSelectors, toHelpdeskProfile } from '@/utils/helpdesk/resolve';
import { loadLanguageOverride } from '@/utils/i18n';
import { loadPageSettings, type PageSettings } from '@/utils/page-settings';

import * as banner from './banner';
import { HelpdeskPage } from './page';
import * as selfTest from './self-test';
import * as teamRequests from './team-requests';
import * as deliveryWatcher from './watchers/delivery-watcher';
import * as failureWatcher from './watchers/failure-watcher';
import * as networkWatcher from './watchers/network-watcher';
import * as replyCapture from './watchers/reply-capture';
import * as ticketContext from './watchers/ticket-context';
import * as toastWatcher from './watchers/toast-watcher';

export default defineContentScript({
  matches: ['https://*.zendesk.com/agent/*'],
  runAt: 'document_idle',
  async main(ctx) {
    selfTest.init(ctx);
    const settings = await loadPageSettings();
    const profile = await profileFor(settings);
    if (!profile || ctx.isInvalid) return; // Not a helpdesk app we know, or a custom profile that does not validate.
    const page = new HelpdeskPage(profile, document);
    page.logs.start(ctx.signal);
    replyCapture.init(page, ctx);
    failureWatcher.init(page, ctx);
    deliveryWatcher.init(page, ctx);
    networkWatcher.init(page, ctx);
    toastWatcher.init(page, ctx);
    teamRequests.init(page, ctx);
    // The banner waits for the language override, which the worker reads: no extension file is
    // exposed to the helpdesk page. The watchers do not wait.
    void loadLanguageOverride(settings.language, (language) =>
      page.ask({ type: 'get-language-pack', language: language === 'de' ? 'de' : 'en' }),
    ).then(() => (ctx.isInvalid ? undefined : banner.init(page, ctx)));
    ticketContext.init(page, ctx);
  },
});

/** The profile this page is read with; a custom one comes checked from the worker, its selectors checked here. */
async function profileFor(settings: PageSettings): Promise<HelpdeskProfile | null> {
  if (settings.profile !== 'custom') return builtInProfileFor(settings.profile, location.pathname);
  const answer = await askWorker({ type: 'get-custom-profile' }).catch(() => null);
  if (!answer?.ok) return null;
  const profile = toHelpdeskProfile(answer.profile);
  return invalidSelectors(profile, browserSelectorCheck).length === 0 ? profile : null;
}
