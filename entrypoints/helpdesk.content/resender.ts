import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { normalizeReplyText } from '@/utils/hash';
import { queryFirst, readFailureText, readMessage, readOutboundStatus } from '@/utils/helpdesk/read';
import { observe } from '@/utils/observe';
import type { QueuedReply } from '@/utils/queue/record';
import type { HelpdeskPage, InFlightRetry } from './page';

export type RetryOutcome = 'delivered' | 'delivered_late' | 'failed' | 'composer_busy' | 'no_composer' | 'claimed_elsewhere' | 'pending';

// The helpdesk confirms or fails a send within seconds; past this the claim's lease decides.
const OUTCOME_TIMEOUT_MS = 45_000;

function outboundMessages(page: HelpdeskPage) {
  return [...page.root.querySelectorAll(page.profile.selectors.outbound.join(','))].map((element) => ({
    element,
    message: readMessage(element, page.profile),
  }));
}

/**
 * A copy of the reply sent after it failed (an earlier retry, a late delivery): delivered means
 * it reached the customer; still pending means it may yet, so sending again could duplicate it.
 */
function findLaterCopy(page: HelpdeskPage, record: QueuedReply): { status: 'delivered' | 'pending'; messageId: string } | null {
  const text = normalizeReplyText(record.text);
  let pending: { status: 'pending'; messageId: string } | null = null;
  for (const { element, message } of outboundMessages(page)) {
    if (normalizeReplyText(message.text) !== text) continue;
    if (message.at !== null && message.at < record.firstFailedAt) continue;
    const status = readOutboundStatus(element, page.profile);
    if (status === 'delivered') return { status, messageId: message.messageId ?? 'unknown' };
    if (status === 'pending' && !(message.messageId && record.messageIds.includes(message.messageId))) {
      pending = { status, messageId: message.messageId ?? 'unknown' };
    }
  }
  return pending;
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
  if (!claim.ok) return 'claimed_elsewhere';
  const record = claim.record;

  const copy = findLaterCopy(page, record);
  if (copy?.status === 'delivered') {
    await page.ask({ type: 'retry-result', id: record.id, outcome: 'delivered_late', messageId: copy.messageId });
    return 'delivered_late';
  }
  if (copy?.status === 'pending') {
    // The helpdesk is still sending an earlier copy: wait for its verdict rather than risk a second.
    await page.ask({ type: 'retry-result', id: record.id, outcome: 'abandoned' });
    return 'pending';
  }
  // biome-ignore lint/performance/useDomNodeTextContent: the composer's text as typed, line breaks included.
  if (composer.innerText.trim()) {
    await page.ask({ type: 'retry-result', id: record.id, outcome: 'abandoned' });
    return 'composer_busy';
  }

  const normalizedText = normalizeReplyText(record.text);
  const before = new Set(outboundMessages(page).map(({ message }) => message.messageId ?? ''));
  const retry: InFlightRetry = { recordId: record.id, normalizedText, before };
  page.retries.set(record.id, retry);
  try {
    const outcome = waitForOutcome(page, ctx, retry);
    if (!typeAndSend(page, composer, record.text)) {
      await page.ask({ type: 'retry-result', id: record.id, outcome: 'abandoned' });
      return 'no_composer';
    }
    const result = await outcome;
    if (result.status === 'delivered') {
      await page.ask({
        type: 'retry-result',
        id: record.id,
        outcome: 'delivered',
        ...(result.messageId ? { messageId: result.messageId } : {}),
      });
      return 'delivered';
    }
    if (result.status === 'failed') {
      await page.ask({
        type: 'retry-result',
        id: record.id,
        outcome: 'failed',
        error: result.uiText ? { message: result.uiText } : {},
        ...(result.messageId ? { messageId: result.messageId } : {}),
      });
      return 'failed';
    }
    // Still pending: the lease keeps others off until it lapses; nothing is released early.
    return 'pending';
  } finally {
    page.retries.delete(record.id);
  }
}

type Observed = { status: 'delivered' | 'failed'; messageId?: string; uiText?: string } | { status: 'timeout' };

function waitForOutcome(
  page: HelpdeskPage,
  ctx: ContentScriptContext,
  retry: { normalizedText: string; before: ReadonlySet<string>; messageId?: string },
): Promise<Observed> {
  return new Promise((resolve) => {
    const done = new AbortController();
    const signal = AbortSignal.any([ctx.signal, done.signal]);
    const finish = (value: Observed) => {
      resolve(value); // First: aborting below would otherwise settle the promise as a timeout.
      done.abort();
    };
    ctx.setTimeout(() => finish({ status: 'timeout' }), OUTCOME_TIMEOUT_MS);
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
