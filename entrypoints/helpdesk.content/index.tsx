import { defineContentScript } from 'wxt/utils/define-content-script';
import { loadPageSettings, type PageSettings } from '@/core/settings/page-settings';
import type { HelpdeskProfile } from '@/profiles/profile';
import { browserSelectorCheck, builtInProfileFor, invalidSelectors, toHelpdeskProfile } from '@/profiles/resolve';
import { askWorker } from '@/utils/ask-worker';
import { logError } from '@/utils/debug-log';
import { startFeatures } from '@/utils/features';
import { loadLanguageOverride } from '@/utils/i18n';

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
    // Answers the options page's self-test even where no profile matches.
    void startFeatures([{ name: 'self-test', init: () => selfTest.init(ctx) }]);
    const settings = await loadPageSettings();
    const profile = await profileFor(settings);
    if (!profile || ctx.isInvalid) return; // Not a helpdesk app we know, or a custom profile that does not validate.
    const page = new HelpdeskPage(profile, document);
    // In this order: the ticket's context comes last, once every feature listens for it.
    void startFeatures([
      { name: 'log-watch', init: () => page.logs.start(ctx.signal) },
      { name: 'reply-capture', init: () => replyCapture.init(page, ctx) },
      { name: 'failure-watcher', init: () => failureWatcher.init(page, ctx) },
      { name: 'delivery-watcher', init: () => deliveryWatcher.init(page, ctx) },
      { name: 'network-watcher', init: () => networkWatcher.init(page, ctx) },
      { name: 'toast-watcher', init: () => toastWatcher.init(page, ctx) },
      { name: 'team-requests', init: () => teamRequests.init(page, ctx) },
      {
        name: 'banner',
        // The banner waits for the language override, which the worker reads: no extension file is
        // exposed to the helpdesk page. The watchers do not wait.
        init: async () => {
          await loadLanguageOverride(settings.language, (language) =>
            page.ask({ type: 'get-language-pack', language: language === 'de' ? 'de' : 'en' }),
          );
          if (!ctx.isInvalid) await banner.init(page, ctx);
        },
      },
      { name: 'ticket-context', init: () => ticketContext.init(page, ctx) },
    ]);
  },
});

/** The profile this page is read with; a custom one comes checked from the worker, its selectors checked here. */
async function profileFor(settings: PageSettings): Promise<HelpdeskProfile | null> {
  if (settings.profile !== 'custom') return builtInProfileFor(settings.profile, location.pathname);
  const answer = await askWorker({ type: 'get-custom-profile' }).catch((error: unknown) => {
    // No profile this load: nothing is read or kept on a guess (the options page's self-test says why).
    void logError('custom profile', error);
    return null;
  });
  if (!answer?.ok) return null;
  const profile = toHelpdeskProfile(answer.profile);
  return invalidSelectors(profile, browserSelectorCheck).length === 0 ? profile : null;
}
