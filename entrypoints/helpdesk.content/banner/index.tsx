import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { isWatchedChannel } from '@/core/channels';
import { messagingWindow } from '@/core/failures/messaging-window';
import type { TicketView } from '@/core/protocol';
import type { QueuedReply } from '@/core/queue/record';
import { withRecord } from '@/core/queue/ticket-view';
import { queryFirst, readLastCustomerMessageAt } from '@/profiles/read';
import { isBackgroundNotice } from '@/utils/ask-worker';
import { logError, loggedAs } from '@/utils/debug-log';
import { normalizeReplyText } from '@/utils/hash';
import { formatTime, say, t } from '@/utils/i18n';
import { createCoalescer } from '@/utils/serial';
import type { HelpdeskPage, TicketContext } from '../page';
import { addInternalNote, mismatchOnScreen, retryReply } from '../resender';
import { createShadowHost } from '../shadow-host';
import { Banner, retryAllIds, shouldShowBanner } from './Banner';
import { bannerCss } from './banner.css';
import { NoteOffer, PageIdPrompt, WindowNotice } from './HandoffExtras';
import { isTroubled, type ProviderStatusView, providerWantsBanner } from './ProviderStatus';
import {
  copyNotKeptNotice,
  goToTicketLabel,
  handOffNotice,
  internalNoteWording,
  outcomeNotice,
  unconfirmedAnswerNotice,
  type Wording,
  wrongPlaceNotice,
} from './wording';

/** What the banner says last; `goTo`: the reply whose own ticket a button brings on screen. */
type Notice = Wording & { goTo?: QueuedReply };

/** The notice for a reply that may not be acted on here: it belongs to another ticket (a way there) or customer. */
function wrongPlace(reply: QueuedReply, why: 'ticket' | 'customer' | 'origin'): Notice {
  const words = wrongPlaceNotice(why, reply.ticketId);
  return why === 'customer' ? words : { ...words, goTo: reply };
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The agent is told the copy failed (handoffCopyFailed), the text stays on screen.
    return false;
  }
}

/**
 * One banner per ticket, in that ticket's own workspace (above its log, never over the composer):
 * it shows only that ticket's kept replies and acts only on them. A page that shows one ticket at
 * a time keeps only the banner of the ticket on screen.
 */
export async function init(page: HelpdeskPage, ctx: ContentScriptContext): Promise<void> {
  const banners = new Map<string, TicketBanner>();
  const onScreen = () => (page.ticket ? banners.get(page.ticket.ticketId) : undefined);

  const show = () => {
    for (const [id, banner] of banners) {
      // A ticket closed in the app took its workspace (and banner) with it.
      if (!banner.alive()) {
        banner.hide();
        banners.delete(id);
      }
    }
    const ticket = page.ticket;
    for (const banner of banners.values()) if (banner.ticket.ticketId !== ticket?.ticketId && banner.sharesPlace()) banner.hide();
    if (!ticket) return;
    let banner = banners.get(ticket.ticketId);
    if (!banner) {
      banner = createTicketBanner(page, ctx, ticket);
      banners.set(ticket.ticketId, banner);
    }
    void banner.refresh();
  };

  page.addEventListener('ticket', show, { signal: ctx.signal });
  page.addEventListener(
    'recorded',
    (event) => {
      const { ticket, record } = event.detail;
      banners.get(ticket.ticketId)?.showRecord(record);
    },
    { signal: ctx.signal },
  );
  page.addEventListener('not-kept', (event) => banners.get(event.detail.ticket.ticketId)?.showNotKept(event.detail.text), {
    signal: ctx.signal,
  });
  // The app re-rendered a log: the banner moves back above it.
  page.logs.onLogsChanged(() => onScreen()?.draw(), ctx.signal);
  browser.runtime.onMessage.addListener((raw: unknown) => {
    if (ctx.isInvalid) return undefined;
    if (isBackgroundNotice(raw)) void onScreen()?.refresh();
    return undefined;
  });
  show();
}

interface TicketBanner {
  readonly ticket: TicketContext;
  refresh(): Promise<void>;
  draw(): void;
  showRecord(record: QueuedReply): void;
  /** A failed reply of this ticket that could not be kept: shown with its text until it is stored. */
  showNotKept(text: string): void;
  hide(): void;
  /** Whether this ticket's place in the page still exists. */
  alive(): boolean;
  /** Whether every ticket's banner would sit in the same place (a page without workspaces). */
  sharesPlace(): boolean;
}

// A closure, not a class: its inner names shrink in the build, and this script loads in every helpdesk tab.
function createTicketBanner(page: HelpdeskPage, ctx: ContentScriptContext, ticket: TicketContext): TicketBanner {
  const id = ticket.ticketId;
  let view: TicketView | null = null;
  /** Records shown from the worker's answers so far (a refresh already in flight may predate them). */
  let pushes = 0;
  // Merged provider health (detector + official status pages), fetched beside the ticket view.
  let provider: ProviderStatusView | null = null;
  let shownReported = '';
  let notice: Notice | null = null;
  /** Replies retrying now, and those waiting their turn: both show "Retrying…". */
  const busy = new Set<string>();
  // Handoff follow-ups stay on screen until the agent acts, even with nothing left to retry.
  let askPageIdFor: QueuedReply | null = null;
  let pageIdDraft = '';
  let offerNoteFor: { reply: QueuedReply; at: number } | null = null;
  // Failed replies of this ticket the worker could not store (not-kept.ts): shown until stored.
  let notKept: string[] = [];
  // Retries asked for together (retry all, the popup) run one after another, never at once.
  let retryChain = Promise.resolve();
  const ui = createShadowHost(ctx, 'send-guard-banner', bannerCss, () => {
    const scope = page.scopeOf(id);
    return scope ? queryFirst(scope, page.profile.selectors.log) : null;
  });
  const onScreen = () => page.ticket?.ticketId === id;
  const alive = () => page.scopeOf(id) !== null || page.ticketId === id;

  const hide = () => {
    if (ui.host.isConnected) {
      render(null, ui.container);
      ui.remove();
    }
  };

  const draw = () => {
    const channel = isWatchedChannel(ticket.channel) ? ticket.channel : null;
    const followUp = askPageIdFor !== null || offerNoteFor !== null;
    const current = view;
    if (
      !channel ||
      !current ||
      !(shouldShowBanner(current.replies, current.health, notKept) || followUp || providerWantsBanner(provider))
    ) {
      hide();
      return;
    }
    if (!ui.mounted() && !ui.mount()) return;
    const scope = page.scopeOf(id);
    const noticeText = notice ? say(notice) : null;
    const goTo = notice?.goTo;
    const asking = askPageIdFor;
    render(
      <Banner
        channel={channel}
        replies={current.replies}
        health={current.health}
        busy={busy}
        notice={noticeText}
        onRetry={(reply) => enqueueRetries([reply.id])}
        onRetryAll={() => enqueueRetries(retryAllIds(current.replies))}
        onOpenQueue={() => void page.ask({ type: 'open-queue' }).catch(loggedAs('banner: open the queue', undefined))}
        onHandOff={(reply) => void handOff(reply)}
        onMarkSent={(reply) => void answerUnconfirmed(reply, 'mark-sent')}
        onSendAgain={(reply) => void answerUnconfirmed(reply, 'resend-reply')}
        notKept={notKept}
        onCopyNotKept={(text) => void copyNotKept(text)}
        provider={provider}
        onSnooze={() => void page.ask({ type: 'snooze-episode', channel }).then(refresh, loggedAs('banner: snooze', undefined))}
      >
        <WindowNotice window={messagingWindow(channel, scope ? readLastCustomerMessageAt(scope, page.profile) : null, Date.now())} />
        {asking && (
          <PageIdPrompt
            reply={asking}
            value={pageIdDraft}
            onInput={(value) => {
              pageIdDraft = value;
              draw();
            }}
            onSave={(pageId) => void savePageId(pageId)}
          />
        )}
        {offerNoteFor && (
          <div class="sg-actions">
            <NoteOffer onAdd={() => void addNote()} />
            <button type="button" onClick={dismissFollowUp}>
              {t('actionDismiss')}
            </button>
          </div>
        )}
        {goTo && (
          <div class="sg-actions">
            <button type="button" onClick={() => goToTicket(goTo)}>
              {say(goToTicketLabel(goTo.ticketId))}
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
      void page.ask({ type: 'banner-shown', channel }).catch(loggedAs('banner: note it was shown', undefined));
    }
  };

  const refreshNow = async () => {
    // Only the ticket on screen is refreshed; a hidden one is when the agent comes back to it.
    if (!isWatchedChannel(ticket.channel)) return hide();
    if (!onScreen()) return;
    const pushedBefore = pushes;
    // Both asked at once: the banner waits for the slower, not for the sum.
    const [fresh, health] = await Promise.all([
      page
        .ask({
          type: 'get-ticket-view',
          ticket: { helpdeskOrigin: ticket.helpdeskOrigin, ticketId: id },
          channel: ticket.channel,
        })
        .catch(() => null), // Keep the last view: a restarting worker must not blank the banner.
      page.ask({ type: 'get-provider-health', channel: ticket.channel }).catch(() => provider), // Keep the last health, for the same reason.
    ]);
    let retryNow: readonly string[] = [];
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
  const refresh = createCoalescer(refreshNow, (error) => void logError('banner: refresh', error));

  // Every retry of this ticket (its Retry, Retry all, the popup) runs after the one before: one
  // composer, one reply in it at a time.
  const enqueueRetries = (ids: readonly string[], known?: QueuedReply) => {
    for (const replyId of ids) {
      if (busy.has(replyId)) continue;
      busy.add(replyId);
      retryChain = retryChain.then(async () => {
        const reply = known?.id === replyId ? known : view?.replies.find((r) => r.id === replyId);
        // Even a reply another tab holds (`sending`): the worker's claim refuses it, and the agent is told so.
        if (reply) await retry(reply);
        else busy.delete(replyId);
      });
      // One failed link (say, a worker restart mid-retry) must not silently stop the rest.
      retryChain = retryChain.catch(() => {
        busy.delete(replyId);
      });
    }
    draw();
  };

  const retry = async (reply: QueuedReply) => {
    notice = null;
    draw();
    try {
      const outcome = await retryReply(page, ctx, reply);
      notice =
        outcome === 'wrong_ticket' || outcome === 'wrong_customer'
          ? wrongPlace(reply, outcome === 'wrong_customer' ? 'customer' : 'ticket')
          : outcomeNotice(outcome);
    } finally {
      busy.delete(reply.id);
      // Drawn at once, on screen or not: a banner the agent switched away from must not keep showing "Retrying…".
      draw();
      await refresh();
    }
  };

  const copyNotKept = async (text: string) => {
    notice = copyNotKeptNotice(await copyText(text));
    draw();
  };

  // "It's in the conversation — mark sent" ends it; "Send again" makes it a kept reply again and retries it now.
  const answerUnconfirmed = async (reply: QueuedReply, type: 'mark-sent' | 'resend-reply') => {
    const answer = await page.ask({ type, id: reply.id }).catch(loggedAs(`banner: ${type}`, { ok: false }));
    if (answer.ok && type === 'resend-reply') enqueueRetries([reply.id], { ...reply, state: 'queued' });
    else notice = unconfirmedAnswerNotice(answer.ok);
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
    pageIdDraft = '';
    // The Save click is itself a user action: carry on with the handoff it was asked for.
    await handOff(reply);
  };

  const addNote = async () => {
    const offer = offerNoteFor;
    if (!offer) return;
    const heading = internalNoteWording(offer.reply.channel, offer.at, { time: formatTime, translate: t });
    const text = `${say(heading)}\n${offer.reply.text}`;
    const outcome = await addInternalNote(page, id, text);
    notice = outcome === 'wrong_ticket' ? wrongPlace(offer.reply, 'ticket') : outcomeNotice(outcome);
    if (outcome === 'added') offerNoteFor = null;
    draw();
  };

  const handOff = async (reply: QueuedReply) => {
    // Nothing is copied or opened for a reply whose ticket or customer is not the one on screen.
    const mismatch = mismatchOnScreen(page, reply);
    if (mismatch) {
      notice = wrongPlace(reply, mismatch);
      draw();
      return;
    }
    // Copy first, while the click's user activation is fresh.
    const copied = await copyText(reply.text);
    const result = await page.ask({ type: 'hand-off', id: reply.id });
    // Opened from the page, within the click's activation; the record is marked before it opens.
    if (result.ok) window.open(result.url, '_blank', 'noopener,noreferrer');
    if (result.ok) offerNoteFor = { reply, at: Date.now() };
    if (!result.ok && result.reason === 'no-page-id') askPageIdFor = reply;
    notice = handOffNotice(result, reply, copied, 'page');
    await refresh();
  };

  /** Brings the reply's own ticket on screen: the app's own link to it when the page has one, else its address. */
  const goToTicket = (reply: QueuedReply) => {
    const url = reply.ticketUrl ?? page.ticketUrlOf(reply.ticketId);
    if (!url || new URL(url).origin !== location.origin) return;
    const link = [...document.querySelectorAll<HTMLAnchorElement>('a[href]')].find((a) => a.href === url);
    notice = null;
    if (link) link.click();
    else location.assign(url);
  };

  return {
    ticket,
    refresh,
    draw,
    hide,
    alive,
    sharesPlace: () => page.scopeOf(id) === page.root || !alive(),
    showRecord(record) {
      pushes += 1;
      view = withRecord(view, record);
      // Stored after all (a later try): no longer "not kept".
      notKept = notKept.filter((text) => normalizeReplyText(text) !== normalizeReplyText(record.text));
      draw();
    },
    showNotKept(text) {
      if (notKept.includes(text)) return;
      notKept = [...notKept, text];
      draw();
    },
  };
}
