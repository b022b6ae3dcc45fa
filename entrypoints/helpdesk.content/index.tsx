import { chooseProfile } from '@/utils/helpdesk/choose-profile';
import { browserSelectorCheck } from '@/utils/helpdesk/custom-profile';
import { loadSettings } from '@/utils/settings';
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
    const chosen = chooseProfile(location, await loadSettings(), browserSelectorCheck);
    if (!chosen.ok || ctx.isInvalid) return; // Not a helpdesk app we know, or a custom profile that does not validate.
    const page = new HelpdeskPage(chosen.profile, document);
    replyCapture.init(page, ctx);
    failureWatcher.init(page, ctx);
    deliveryWatcher.init(page, ctx);
    networkWatcher.init(page, ctx);
    void banner.init(page, ctx);
    ticketContext.init(page, ctx);
  },
});
