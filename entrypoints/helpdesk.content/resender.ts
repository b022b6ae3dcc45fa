import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { QueuedReply } from '@/core/queue/record';
import { REFUSED_UNCONFIRMED } from '@/core/queue/states';
import { readFailureText, readMessage } from '@/profiles/read';
import { queryShown } from '@/profiles/workspace';
import { normalizeReplyText } from '@/utils/hash';
import { checkBeforeResend, confirmWaitMs, holdClaim } from './confirm-copy';
import type { HelpdeskPage, InFlightRetry } from './page';

export type RetryOutcome =
  | 'delivered'
  | 'delivered_late'
  | 'failed'
  | 'composer_busy'
  | 'no_composer'
  | 'claimed_elsewhere'
  | 'pending'
  | 'unconfirmed'
  | 'unchecked'
  | 'wrong_ticket'
  | 'wrong_customer';

/** What of a kept reply is compared with the ticket on screen. */
export type ReplyIdentity = Pick<QueuedReply, 'helpdeskOrigin' | 'ticketId' | 'userId'>;

/**
 * Why a kept reply must not be typed, sent or handed off here right now, or null when it may: the
 * record's helpdesk, ticket and customer must be the ones on screen, and the agent must see the
 * ticket's workspace. A reply in the wrong conversation is worse than one not sent.
 */
export function mismatchOnScreen(page: HelpdeskPage, reply: ReplyIdentity): 'origin' | 'ticket' | 'customer' | null {
  if (reply.helpdeskOrigin !== location.origin) return 'origin';
  const ticket = page.ticket;
  if (!ticket || page.ticketId !== reply.ticketId || ticket.ticketId !== reply.ticketId || ticket.helpdeskOrigin !== reply.helpdeskOrigin) {
    return 'ticket';
  }
  if (reply.userId && ticket.userId && reply.userId !== ticket.userId) return 'customer';
  return page.shownScopeOf(reply.ticketId) ? null : 'ticket';
}

function outboundMessages(page: HelpdeskPage, scope: ParentNode) {
  return [...scope.querySelectorAll(page.profile.selectors.outbound.join(','))].map((element) => ({
    element,
    message: readMessage(element, page.profile),
  }));
}

/** Types the reply into the ticket's own composer the way the agent would and presses its Send. */
function typeAndSend(page: HelpdeskPage, scope: ParentNode, composer: HTMLElement, text: string): boolean {
  const button = queryShown(scope, page.profile.selectors.sendButton) as HTMLElement | null;
  if (!button) return false;
  composer.focus();
  const selection = page.root.getSelection();
  selection?.selectAllChildren(composer);
  // insertText goes through the editor's own beforeinput/input handling, like typing.
  const inserted = page.root.execCommand('insertText', false, text);
  if (!inserted) {
    composer.textContent = text;
    composer.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
  }
  button.click();
  return true;
}

function composerIn(page: HelpdeskPage, scope: ParentNode): HTMLElement | null {
  return queryShown(scope, page.profile.selectors.composer) as HTMLElement | null;
}

// biome-ignore lint/performance/useDomNodeTextContent: the composer's text as typed, line breaks included.
const isBusy = (composer: HTMLElement) => composer.innerText.trim() !== '';

/**
 * Re-sends one kept reply through the helpdesk, in its own ticket's composer only. The
 * background's claim makes it the only sender; the record becomes `sent` only when the helpdesk
 * shows the reply delivered.
 */
export function retryReply(page: HelpdeskPage, ctx: ContentScriptContext, reply: QueuedReply): Promise<RetryOutcome> {
  // No lock in the page's origin (a page script could hold it forever): the worker's transactional
  // claim is what makes one tab, and one only, send a reply; this tab's banner runs its retries one by one.
  return retryClaimed(page, ctx, reply);
}

const refusal = (why: 'origin' | 'ticket' | 'customer'): RetryOutcome => (why === 'customer' ? 'wrong_customer' : 'wrong_ticket');

async function retryClaimed(page: HelpdeskPage, ctx: ContentScriptContext, reply: QueuedReply): Promise<RetryOutcome> {
  const mismatch = mismatchOnScreen(page, reply);
  if (mismatch) return refusal(mismatch);
  const scope = page.shownScopeOf(reply.ticketId);
  const composer = scope ? composerIn(page, scope) : null;
  if (!scope || !composer) return 'no_composer';
  if (isBusy(composer)) return 'composer_busy';

  const claim = await page.ask({ type: 'claim-reply', id: reply.id });
  if (!claim.ok) return claim.reason === REFUSED_UNCONFIRMED ? 'unconfirmed' : 'claimed_elsewhere';
  const record = claim.record;
  // The claim is renewed while this tab works; only this tab may release it or call it unconfirmed.
  const stop = holdClaim(page, ctx, record);
  try {
    return await sendHeld(page, ctx, scope, record);
  } finally {
    stop();
  }
}

async function sendHeld(page: HelpdeskPage, ctx: ContentScriptContext, scope: ParentNode, record: QueuedReply): Promise<RetryOutcome> {
  const token = record.claimToken ? { token: record.claimToken } : {};
  /** Tells the worker how this retry ended (with the claim's token); returns what the banner says. */
  const report = async <O extends RetryOutcome>(
    shown: O,
    outcome: 'delivered' | 'failed' | 'abandoned' | 'unconfirmed',
    extra: { messageId?: string; error?: { message?: string } } = {},
  ): Promise<O> => {
    await page.ask({ type: 'retry-result', id: record.id, outcome, ...token, ...extra });
    return shown;
  };
  // Is a copy already out there (delivered, still sending, or held by the helpdesk unseen)? The
  // worker decides and records it; `send` also renewed the claim: the last word before typing.
  const verdict = await checkBeforeResend(page, ctx, record, scope);
  if (verdict !== 'send') return verdict;
  // Checked again right before typing, in the same task as the typing: the agent may have switched
  // tickets (or the composer changed hands) while the claim and the check were on their way.
  const late = mismatchOnScreen(page, record) ?? (page.shownScopeOf(record.ticketId) !== scope ? 'ticket' : null);
  if (late) return report(refusal(late), 'abandoned');
  const target = composerIn(page, scope);
  if (!target) return report('no_composer', 'abandoned');
  if (isBusy(target)) return report('composer_busy', 'abandoned');

  const normalizedText = normalizeReplyText(record.text);
  const before = new Set(outboundMessages(page, scope).map(({ message }) => message.messageId ?? ''));
  const retry: InFlightRetry = { recordId: record.id, ticketId: record.ticketId, normalizedText, before };
  page.retries.set(record.id, retry);
  try {
    const outcome = waitForOutcome(page, ctx, retry, scope, await confirmWaitMs());
    if (!typeAndSend(page, scope, target, record.text)) return report('no_composer', 'abandoned');
    page.addSubmitted({ text: record.text, at: Date.now(), ticketId: record.ticketId });
    const result = await outcome;
    if (result.status === 'delivered') return report('delivered', 'delivered', result.messageId ? { messageId: result.messageId } : {});
    if (result.status === 'failed') {
      return report('failed', 'failed', {
        error: result.uiText ? { message: result.uiText.slice(0, 2000) } : {},
        ...(result.messageId ? { messageId: result.messageId } : {}),
      });
    }
    // No verdict in time: never claimable again by itself; the agent checks the conversation.
    return report('unconfirmed', 'unconfirmed', retry.messageId ? { messageId: retry.messageId } : {});
  } finally {
    page.retries.delete(record.id);
  }
}

type Observed = { status: 'delivered' | 'failed'; messageId?: string; uiText?: string } | { status: 'timeout' };

function waitForOutcome(
  page: HelpdeskPage,
  ctx: ContentScriptContext,
  retry: InFlightRetry,
  scope: ParentNode,
  timeoutMs: number,
): Promise<Observed> {
  return new Promise((resolve) => {
    const done = new AbortController();
    const signal = AbortSignal.any([ctx.signal, done.signal]);
    const finish = (value: Observed) => {
      resolve(value); // First: aborting below would otherwise settle the promise as a timeout.
      done.abort();
    };
    ctx.setTimeout(() => finish({ status: 'timeout' }), timeoutMs);
    signal.addEventListener('abort', () => resolve({ status: 'timeout' }));
    const onMessage = (element: Element) => {
      const message = readMessage(element, page.profile);
      const id = message.messageId ?? '';
      if (retry.before.has(id) || normalizeReplyText(message.text) !== retry.normalizedText) return;
      if (retry.messageId && retry.messageId !== id) return;
      if (id) retry.messageId = id;
      const status = page.statusOf(element);
      if (status === 'delivered') finish({ status, ...(id ? { messageId: id } : {}) });
      if (status === 'failed') {
        const uiText = readFailureText(element, page.profile) || page.cueFailures.get(element) || '';
        finish({ status, ...(id ? { messageId: id } : {}), uiText });
      }
    };
    page.logs.subscribe(onMessage, signal, scope instanceof Element ? scope : null);
    page.addEventListener('cue-failure', (event) => onMessage(event.detail.element), { signal });
  });
}

export type NoteOutcome = 'added' | 'composer_busy' | 'no_composer' | 'no_note_mode' | 'wrong_ticket';

/**
 * Adds an internal note (never a public reply) through the ticket's own composer, then switches
 * the composer back to public replies. Refuses if the agent is typing something, or if that
 * ticket is not the one on screen.
 */
export async function addInternalNote(page: HelpdeskPage, ticketId: string, text: string): Promise<NoteOutcome> {
  const scope = page.ticket?.ticketId === ticketId ? page.shownScopeOf(ticketId) : null;
  if (!scope) return 'wrong_ticket';
  const noteMode = queryShown(scope, page.profile.selectors.internalNoteMode ?? []) as HTMLElement | null;
  if (!noteMode) return 'no_note_mode';
  const before = composerIn(page, scope);
  if (!before) return 'no_composer';
  if (isBusy(before)) return 'composer_busy';
  noteMode.click();
  // Editors often re-render on a mode switch: look the composer up again.
  const composer = composerIn(page, scope);
  if (!composer || !typeAndSend(page, scope, composer, text)) return 'no_composer';
  (queryShown(scope, page.profile.selectors.publicReplyMode ?? []) as HTMLElement | null)?.click();
  return 'added';
}
