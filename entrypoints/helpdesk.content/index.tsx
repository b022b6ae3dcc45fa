import { loadEffectiveSettings } from '@/utils/effective-settings';
import { chooseProfile } from '@/utils/helpdesk/choose-profile';
import { browserSelectorCheck } from '@/utils/helpdesk/custom-profile';
import { loadLanguageOverride } from '@/utils/i18n';

import * as banner from './banner';
import { HelpdeskPage } from './page';
import * as selfTest from './self-test';
import * as deliveryWatcher from './watchers/delivery-watcher';
import * as failureWatcher from './watchers/failure-watcher';
import * as networkWatcher from './watchers/network-watcher';
import * as replyCapture from './watchers/reply-capture';
import * as ticketContext from './watchers/ticket-context';

export default defineContentScript({
  matches: ['https://*.zendesk.com/agent/*'],
  runAt: 'document_idle',
  async main(ctx) {
    selfTest.init(ctx);
    const settings = await loadEffectiveSettings();
    const chosen = chooseProfile(location, settings, browserSelectorCheck);
    if (!chosen.ok || ctx.isInvalid) return; // Not a helpdesk app we know, or a custom profile that does not validate.
    const page = new HelpdeskPage(chosen.profile, document);
    replyCapture.init(page, ctx);
    failureWatcher.init(page, ctx);
    deliveryWatcher.init(page, ctx);
    networkWatcher.init(page, ctx);
    // The banner waits for the language override, which the worker reads: no extension file is
    // exposed to the helpdesk page. The watchers do not wait.
    void loadLanguageOverride(settings.language, (language) =>
      page.ask({ type: 'get-language-pack', language: language === 'de' ? 'de' : 'en' }),
    ).then(() => (ctx.isInvalid ? undefined : banner.init(page, ctx)));
    ticketContext.init(page, ctx);
  },
});
