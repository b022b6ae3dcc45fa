import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { normalizeReplyText } from '@/utils/hash';
import { queryFirst, readFailureText, readMessage } from '@/utils/helpdesk/read';
import { observe } from '@/utils/observe';
import type { QueuedReply } from '@/utils/queue/record';
import { REFUSED_UNCONFIRMED } from '@/utils/queue/states';
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
  | 'unchecked';

function outboundMessages(page: HelpdeskPage) {
  return [...page.root.querySelectorAll(page.profile.selectors.outbound.join(','))].map((element) => ({
    element,
    message: readMessage(element, page.profile),
  }));
}

/** Types the reply into the composer the way the agent would and presses Send. */
function typeAndSend(page: HelpdeskPage, composer: HTMLElement, text: string): boolean {
  composer.focus();
  const selection = page.root.getSelection();
  selection?.selectAllChildren(composer);
  // insertText goes through the editor's own beforeinput/input handling, like typing.
  const inserted = page.root.execCommand('insertText', false, text);
  if (!inserted) {
    composer.textContent = text;
    composer.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
  }
  const button = queryFirst(page.root, page.profile.selectors.sendButton) as HTMLElement | null;
  if (!button) return false;
  button.click();
  return true;
}

/**
 * Re-sends one kept reply through the helpdesk. The background's claim makes it the only
 * sender; the record becomes `sent` only when the helpdesk shows the reply delivered.
 */
export function retryReply(page: HelpdeskPage, ctx: ContentScriptContext, recordId: string): Promise<RetryOutcome> {
  // One retry per ticket at a time across this helpdesk's tabs (Web Locks are per origin);
  // the background's transactional claim then makes sure only one of them ever sends.
  const ticket = page.ticket?.ticketId ?? 'unknown';
  return navigator.locks.request(`send-guard:retry:${ticket}`, () => retryLocked(page, ctx, recordId));
}

async function retryLocked(page: HelpdeskPage, ctx: ContentScriptContext, recordId: string): Promise<RetryOutcome> {
  const composer = queryFirst(page.root, page.profile.selectors.composer) as HTMLElement | null;
  if (!composer) return 'no_composer';
  // biome-ignore lint/performance/useDomNodeTextContent: the composer's text as typed, line breaks included.
  if (composer.innerText.trim()) return 'composer_busy';

  const claim = await page.ask({ type: 'claim-reply', id: recordId });
  if (!claim.ok) return claim.reason === REFUSED_UNCONFIRMED ? 'unconfirmed' : 'claimed_elsewhere';
  const record = claim.record;
  // The claim is renewed while this tab works; only this tab may release it or call it unconfirmed.
  const stop = holdClaim(page, ctx, record);
  try {
    return await sendHeld(page, ctx, composer, record);
  } finally {
    stop();
  }
}

async function sendHeld(page: HelpdeskPage, ctx: ContentScriptContext, composer: HTMLElement, record: QueuedReply): Promise<RetryOutcome> {
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
  const verdict = await checkBeforeResend(page, ctx, record);
  if (verdict !== 'send') return verdict;
  // biome-ignore lint/performance/useDomNodeTextContent: the composer's text as typed, line breaks included.
  if (composer.innerText.trim()) return report('composer_busy', 'abandoned');

  const normalizedText = normalizeReplyText(record.text);
  const before = new Set(outboundMessages(page).map(({ message }) => message.messageId ?? ''));
  const retry: InFlightRetry = { recordId: record.id, normalizedText, before };
  page.retries.set(record.id, retry);
  try {
    const outcome = waitForOutcome(page, ctx, retry, await confirmWaitMs());
    if (!typeAndSend(page, composer, record.text)) return report('no_composer', 'abandoned');
    const result = await outcome;
    if (result.status === 'delivered') return report('delivered', 'delivered', result.messageId ? { messageId: result.messageId } : {});
    if (result.status === 'failed') {
      return report('failed', 'failed', {
        error: result.uiText ? { message: result.uiText } : {},
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
  retry: { normalizedText: string; before: ReadonlySet<string>; messageId?: string },
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
    observe(
      page.profile.selectors.outbound.join(','),
      (element) => {
        const message = readMessage(element, page.profile);
        const id = message.messageId ?? '';
        if (retry.before.has(id) || normalizeReplyText(message.text) !== retry.normalizedText) return;
        if (retry.messageId && retry.messageId !== id) return;
        if (id) retry.messageId = id;
        const status = page.statusOf(element);
        if (status === 'delivered') finish({ status, ...(id ? { messageId: id } : {}) });
        if (status === 'failed') finish({ status, ...(id ? { messageId: id } : {}), uiText: readFailureText(element, page.profile) });
      },
      { signal, attributes: page.watchedAttributes },
    );
  });
}

export type NoteOutcome = 'added' | 'composer_busy' | 'no_composer' | 'no_note_mode';

/**
 * Adds an internal note (never a public reply) through the helpdesk's own composer, then
 * switches the composer back to public replies. Refuses if the agent is typing something.
 */
export async function addInternalNote(page: HelpdeskPage, text: string): Promise<NoteOutcome> {
  const noteMode = queryFirst(page.root, page.profile.selectors.internalNoteMode ?? []) as HTMLElement | null;
  if (!noteMode) return 'no_note_mode';
  const before = queryFirst(page.root, page.profile.selectors.composer) as HTMLElement | null;
  if (!before) return 'no_composer';
  // biome-ignore lint/performance/useDomNodeTextContent: the composer's text as typed, line breaks included.
  if (before.innerText.trim()) return 'composer_busy';
  noteMode.click();
  // Editors often re-render on a mode switch: look the composer up again.
  const composer = queryFirst(page.root, page.profile.selectors.composer) as HTMLElement | null;
  if (!composer || !typeAndSend(page, composer, text)) return 'no_composer';
  (queryFirst(page.root, page.profile.selectors.publicReplyMode ?? []) as HTMLElement | null)?.click();
  return 'added';
}
