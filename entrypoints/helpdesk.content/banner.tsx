import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { Banner, shouldShowBanner } from '@/components/Banner';
import { bannerCss } from '@/components/banner.css';
import { isWatchedChannel } from '@/utils/channels';
import { queryFirst } from '@/utils/helpdesk/read';
import { type MessageKey, t } from '@/utils/i18n';
import { BackgroundToContent, type TicketView } from '@/utils/messages';
import type { QueuedReply } from '@/utils/queue/record';
import type { HelpdeskPage } from './page';
import { type RetryOutcome, retryReply } from './resender';

const RETRY_NOTICE: Record<RetryOutcome, MessageKey> = {
  delivered: 'retryDelivered',
  delivered_late: 'retryAlreadyDelivered',
  failed: 'retryFailed',
  composer_busy: 'retryComposerBusy',
  no_composer: 'retryNoComposer',
  claimed_elsewhere: 'retryClaimed',
  pending: 'retryPending',
};

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The banner on a ticket: mounted above the conversation log, never over the composer. */
export async function init(page: HelpdeskPage, ctx: ContentScriptContext): Promise<void> {
  let view: TicketView | null = null;
  let notice: string | null = null;
  const busy = new Set<string>();
  let ui: ShadowRootContentScriptUi<void> | null = null;

  const draw = () => {
    const ticket = page.ticket;
    const channel = ticket && isWatchedChannel(ticket.channel) ? ticket.channel : null;
    if (!ui || !channel || !view || !shouldShowBanner(view.replies, view.health)) {
      if (ui?.shadowHost.isConnected) ui.remove();
      return;
    }
    if (!ui.shadowHost.isConnected) ui.mount();
    render(
      <Banner
        channel={channel}
        replies={view.replies}
        health={view.health}
        busy={busy}
        notice={notice}
        onRetry={(reply) => void retry(reply)}
        onRetryAll={() => enqueueRetries(view?.replies.map((r) => r.id) ?? [])}
        onHandOff={(reply) => void handOff(reply)}
      />,
      ui.uiContainer,
    );
  };

  const refresh = async () => {
    const ticket = page.ticket;
    if (!ticket || !isWatchedChannel(ticket.channel)) {
      view = null;
      draw();
      return;
    }
    try {
      view = await page.ask({
        type: 'get-ticket-view',
        ticket: { helpdeskOrigin: ticket.helpdeskOrigin, ticketId: ticket.ticketId },
        channel: ticket.channel,
      });
    } catch {
      // Keep the last view: a restarting worker must not blank the banner.
    }
    draw();
    if (view?.retryNow.length) enqueueRetries(view.retryNow);
  };

  // Retries asked for together (retry all, the popup) run one after another, never at once.
  let retryChain = Promise.resolve();
  const enqueueRetries = (ids: readonly string[]) => {
    for (const id of ids) {
      retryChain = retryChain.then(async () => {
        const reply = view?.replies.find((r) => r.id === id);
        if (reply && reply.state !== 'sending' && !busy.has(id)) await retry(reply);
      });
    }
  };

  const retry = async (reply: QueuedReply) => {
    busy.add(reply.id);
    notice = null;
    draw();
    try {
      notice = t(RETRY_NOTICE[await retryReply(page, ctx, reply.id)]);
    } finally {
      busy.delete(reply.id);
      await refresh();
    }
  };

  const handOff = async (reply: QueuedReply) => {
    // Copy first, while the click's user activation is fresh.
    const copied = await copyText(reply.text);
    const result = await page.ask({ type: 'hand-off', id: reply.id });
    // Opened from the page, within the click's activation; the record is marked before it opens.
    if (result.ok) window.open(result.url, '_blank', 'noopener,noreferrer');
    if (!result.ok) notice = t(result.reason === 'no-page-id' ? 'handoffNoPage' : 'retryClaimed');
    else if (!copied) notice = t('handoffCopyFailed');
    else notice = result.conversation ? t('handoffCopied') : t('handoffCopiedFind', reply.customerName ?? '');
    await refresh();
  };

  ui = await createShadowRootUi<void>(ctx, {
    name: 'send-guard-banner',
    position: 'inline',
    css: bannerCss,
    anchor: () => queryFirst(page.root, page.profile.selectors.log),
    append: 'before',
    onMount: () => undefined,
    onRemove: () => {
      if (ui) render(null, ui.uiContainer);
    },
  });

  page.addEventListener('ticket', () => void refresh(), { signal: ctx.signal });
  page.addEventListener('queue-changed', () => void refresh(), { signal: ctx.signal });
  browser.runtime.onMessage.addListener((raw: unknown) => {
    if (ctx.isInvalid) return undefined;
    if (BackgroundToContent.safeParse(raw).success) void refresh();
    return undefined;
  });
  await refresh();
}
