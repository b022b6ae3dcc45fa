import { zendeskProfile } from '@/utils/helpdesk/zendesk';
import * as banner from './banner';
import { HelpdeskPage } from './page';
import * as deliveryWatcher from './watchers/delivery-watcher';
import * as failureWatcher from './watchers/failure-watcher';
import * as replyCapture from './watchers/reply-capture';
import * as ticketContext from './watchers/ticket-context';

export default defineContentScript({
  matches: ['https://*.zendesk.com/agent/*'],
  runAt: 'document_idle',
  main(ctx) {
    const page = new HelpdeskPage(zendeskProfile, document);
    replyCapture.init(page, ctx);
    failureWatcher.init(page, ctx);
    deliveryWatcher.init(page, ctx);
    void banner.init(page, ctx);
    ticketContext.init(page, ctx);
  },
});
