import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { Banner, retryAllIds, shouldShowBanner } from '@/components/Banner';
import { bannerCss } from '@/components/banner.css';
import { NoteOffer, PageIdPrompt, WindowNotice } from '@/components/HandoffExtras';
import { isTroubled, type ProviderStatusView, providerWantsBanner } from '@/components/ProviderStatus';
import { isBackgroundNotice } from '@/utils/ask-worker';
import { isWatchedChannel } from '@/utils/channels';
import { normalizeReplyText } from '@/utils/hash';
import { queryFirst, readLastCustomerMessageAt } from '@/utils/helpdesk/read';
import { formatTime, type MessageKey, t } from '@/utils/i18n';
import type { TicketView } from '@/utils/messages';
import { messagingWindow } from '@/utils/messaging-window';
import type { QueuedReply } from '@/utils/queue/record';
import { createCoalescer } from '@/utils/serial';
import { withRecord } from '@/utils/ticket-view';
import type { NotKeptReply } from './not-kept';
import type { HelpdeskPage, RecordedReply } from './page';
import { addInternalNote, type NoteOutcome, type RetryOutcome, retryReply } from './resender';
import { createShadowHost } from './shadow-host';

const RETRY_NOTICE: Record<RetryOutcome, MessageKey> = {
  delivered: 'retryDelivered',
  delivered_late: 'retryAlreadyDelivered',
  failed: 'retryFailed',
  composer_busy: 'retryComposerBusy',
  no_composer: 'retryNoComposer',
  claimed_elsewhere: 'retryClaimed',
  pending: 'retryPending',
  unconfirmed: 'retryUnconfirmed',
  unchecked: 'retryUnchecked',
};

const NOTE_NOTICE: Record<NoteOutcome, MessageKey> = {
  added: 'noteAdded',
  composer_busy: 'retryComposerBusy',
  no_composer: 'retryNoComposer',
  no_note_mode: 'noteUnavailable',
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
  /** Records shown from the worker's answers so far (a refresh already in flight may predate them). */
  let pushes = 0;
  // Merged provider health (detector + official status pages), fetched beside the ticket view.
  let provider: ProviderStatusView | null = null;
  let shownReported = '';
  let notice: string | null = null;
  const busy = new Set<string>();
  // Handoff follow-ups stay on screen until the agent acts, even with nothing left to retry.
  let askPageIdFor: QueuedReply | null = null;
  let offerNoteFor: { reply: QueuedReply; at: number } | null = null;
  // Failed replies of this ticket the worker could not store (not-kept.ts): shown until stored.
  let notKept: string[] = [];

  const ui = createShadowHost(ctx, 'send-guard-banner', bannerCss, () => queryFirst(page.root, page.profile.selectors.log));

  const draw = () => {
    const ticket = page.ticket;
    const channel = ticket && isWatchedChannel(ticket.channel) ? ticket.channel : null;
    const followUp = askPageIdFor !== null || offerNoteFor !== null;
    if (!channel || !view || !(shouldShowBanner(view.replies, view.health, notKept) || followUp || providerWantsBanner(provider))) {
      if (ui.host.isConnected) {
        render(null, ui.container);
        ui.remove();
      }
      return;
    }
    if (!ui.host.isConnected && !ui.mount()) return;
    render(
      <Banner
        channel={channel}
        replies={view.replies}
        health={view.health}
        busy={busy}
        notice={notice}
        onRetry={(reply) => void retry(reply)}
        onRetryAll={() => enqueueRetries(retryAllIds(view?.replies ?? []))}
        onOpenQueue={() => void page.ask({ type: 'open-queue' }).catch(() => undefined)}
        onHandOff={(reply) => void handOff(reply)}
        onMarkSent={(reply) => void answerUnconfirmed(reply, 'mark-sent')}
        onSendAgain={(reply) => void answerUnconfirmed(reply, 'resend-reply')}
        notKept={notKept}
        onCopyNotKept={(text) => void copyNotKept(text)}
        provider={provider}
        onSnooze={() => void page.ask({ type: 'snooze-episode', channel }).then(refresh, () => undefined)}
      >
        <WindowNotice window={messagingWindow(channel, readLastCustomerMessageAt(page.root, page.profile), Date.now())} />
        {askPageIdFor && <PageIdPrompt reply={askPageIdFor} onSave={(pageId) => void savePageId(pageId)} />}
        {offerNoteFor && (
          <div class="sg-actions">
            <NoteOffer onAdd={() => void addNote()} />
            <button type="button" onClick={() => dismissFollowUp()}>
              {t('actionDismiss')}
            </button>
          </div>
        )}
      </Banner>,
      ui.container,
    );
    // The incident log records when the agent first saw the banner for this incident.
    const episodeKey = provider && isTroubled(provider) ? `${channel}:${provider.health.since ?? ''}` : '';
    if (episodeKey && episodeKey !== shownReported) {
      shownReported = episodeKey;
      void page.ask({ type: 'banner-shown', channel }).catch(() => undefined);
    }
  };

  const refreshNow = async () => {
    const ticket = page.ticket;
    if (!ticket || !isWatchedChannel(ticket.channel)) {
      view = null;
      draw();
      return;
    }
    // The retries this call took are in its own answer, never in `view`.
    let retryNow: readonly string[] = [];
    const pushedBefore = pushes;
    // Both asked at once: the banner waits for the slower, not for the sum.
    const [fresh, health] = await Promise.all([
      page
        .ask({
          type: 'get-ticket-view',
          ticket: { helpdeskOrigin: ticket.helpdeskOrigin, ticketId: ticket.ticketId },
          channel: ticket.channel,
        })
        .catch(() => null), // Keep the last view: a restarting worker must not blank the banner.
      page.ask({ type: 'get-provider-health', channel: ticket.channel }).catch(() => provider),
    ]);
    if (fresh) {
      // A record shown while this view was on its way may be missing from it: ask once more instead.
      if (pushes === pushedBefore) view = fresh;
      else void refresh();
      retryNow = fresh.retryNow;
    }
    provider = health;
    if (retryNow.length > 0) enqueueRetries(retryNow);
    draw();
  };
  // Notices come in bursts (every failure in an outage): one refresh at a time, and one more after it.
  const refresh = createCoalescer(refreshNow);

  // Retries asked for together (retry all, the popup) run one after another, never at once.
  let retryChain = Promise.resolve();
  const enqueueRetries = (ids: readonly string[]) => {
    for (const id of ids) {
      retryChain = retryChain.then(async () => {
        const reply = view?.replies.find((r) => r.id === id);
        // Never one another retry holds, nor an unconfirmed one: the agent checks the conversation first.
        if (reply && retryAllIds([reply]).length === 1 && !busy.has(id)) await retry(reply);
      });
      // One failed link (say, a worker restart mid-retry) must not silently stop the rest.
      retryChain = retryChain.catch(() => undefined);
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

  const copyNotKept = async (text: string) => {
    notice = t((await copyText(text)) ? 'notKeptCopied' : 'handoffCopyFailed');
    draw();
  };

  // "It's in the conversation — mark sent" ends it; "Send again" makes it a kept reply again and retries it now.
  const answerUnconfirmed = async (reply: QueuedReply, type: 'mark-sent' | 'resend-reply') => {
    const answer = await page.ask({ type, id: reply.id }).catch(() => ({ ok: false }));
    if (!answer.ok) notice = t('retryClaimed');
    else if (type === 'mark-sent') notice = t('markedSent');
    else await retry({ ...reply, state: 'queued' });
    await refresh();
  };

  const dismissFollowUp = () => {
    askPageIdFor = null;
    offerNoteFor = null;
    notice = null;
    draw();
  };

  const savePageId = async (pageId: string) => {
    const reply = askPageIdFor;
    if (!reply) return;
    await page.ask({ type: 'save-page-mapping', mapping: { helpdeskOrigin: reply.helpdeskOrigin, channel: reply.channel, pageId } });
    askPageIdFor = null;
    // The Save click is itself a user action: carry on with the handoff it was asked for.
    await handOff(reply);
  };

  const addNote = async () => {
    const offer = offerNoteFor;
    if (!offer) return;
    const channelName = t(offer.reply.channel === 'instagram' ? 'channelInstagram' : 'channelMessenger');
    const text = `${t('internalNoteText', [channelName, formatTime(offer.at, { utc: true })])}\n${offer.reply.text}`;
    const outcome = await addInternalNote(page, text);
    notice = t(NOTE_NOTICE[outcome]);
    if (outcome === 'added') offerNoteFor = null;
    draw();
  };

  const handOff = async (reply: QueuedReply) => {
    // Copy first, while the click's user activation is fresh.
    const copied = await copyText(reply.text);
    const result = await page.ask({ type: 'hand-off', id: reply.id });
    // Opened from the page, within the click's activation; the record is marked before it opens.
    if (result.ok) window.open(result.url, '_blank', 'noopener,noreferrer');
    if (result.ok) offerNoteFor = { reply, at: Date.now() };
    if (!result.ok && result.reason === 'no-page-id') askPageIdFor = reply;
    if (!result.ok) notice = t(result.reason === 'no-page-id' ? 'handoffAskPageId' : 'retryClaimed');
    else if (!copied) notice = t('handoffCopyFailed');
    else notice = result.conversation ? t('handoffCopied') : t('handoffCopiedFind', reply.customerName ?? '');
    await refresh();
  };

  page.addEventListener(
    'ticket',
    () => {
      // Follow-ups belong to the ticket they were offered on.
      askPageIdFor = null;
      offerNoteFor = null;
      notKept = [];
      void refresh();
    },
    { signal: ctx.signal },
  );
  page.addEventListener(
    'recorded',
    (event) => {
      const { ticket, record } = (event as CustomEvent<RecordedReply>).detail;
      // Only for the ticket still on screen: the agent may have moved on meanwhile.
      if (ticket !== page.ticket) return;
      pushes += 1;
      view = withRecord(view, record);
      // Stored after all (a later try): no longer "not kept".
      notKept = notKept.filter((text) => normalizeReplyText(text) !== normalizeReplyText(record.text));
      draw();
    },
    { signal: ctx.signal },
  );
  page.addEventListener(
    'not-kept',
    (event) => {
      const { ticket, text } = (event as CustomEvent<NotKeptReply>).detail;
      if (ticket !== page.ticket || notKept.includes(text)) return;
      notKept = [...notKept, text];
      draw();
    },
    { signal: ctx.signal },
  );
  browser.runtime.onMessage.addListener((raw: unknown) => {
    if (ctx.isInvalid) return undefined;
    if (isBackgroundNotice(raw)) void refresh();
    return undefined;
  });
  await refresh();
}
