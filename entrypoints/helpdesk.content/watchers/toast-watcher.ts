import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { readMessage, textSaysFailed } from '@/profiles/read';
import { normalizeReplyText } from '@/utils/hash';
import type { HelpdeskPage } from '../page';

/** A send's failure toast comes within seconds; after this long with no Send, nothing is watched. */
const ARMED_MS = 60_000;
const MAX_TOAST_CHARS = 500;

/** Ticket numbers a toast names ("Ticket #4711: …", "ticket 4711"). */
export function ticketsNamedIn(text: string): string[] {
  const ids = new Set<string>();
  for (const match of text.matchAll(/#\s?(\d{1,15})\b|\b(?:ticket|anfrage)\s+#?(\d{1,15})\b/giu)) {
    const id = match[1] ?? match[2];
    if (id) ids.add(id);
  }
  return [...ids];
}

/**
 * The helpdesk's failure toast as a cue (Zendesk shows a failed social message "in the upper-right
 * portion of the agent interface" too, sometimes with no marker on the message). A failure toast
 * marks a reply failed only when it can be pinned: the ticket on screen, not another one the toast
 * names, and a reply the agent sent there moments ago whose status vanished (or, when nothing was
 * sent on any other ticket meanwhile, that is still pending). Otherwise it files nothing. Toasts are
 * only watched for a minute after a Send, so a quiet page pays nothing.
 */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const selectors = page.profile.selectors.toast ?? [];
  if (selectors.length === 0) return;
  const toastSelector = selectors.join(',');
  const inLog = [...page.profile.selectors.log, ...page.profile.selectors.message].join(',');
  const handled = new WeakSet<Element>();
  let observer: MutationObserver | null = null;
  let armedUntil = 0;

  const onToast = (toast: Element) => {
    if (handled.has(toast) || (inLog && toast.closest(inLog))) return;
    const text = (toast.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_TOAST_CHARS);
    // Not (yet) a failure: its words may still be rendering; read again on its next change.
    if (!textSaysFailed(text, page.profile)) return;
    handled.add(toast);
    const ticket = page.ticket;
    if (!ticket) return;
    const named = ticketsNamedIn(text);
    if (named.length > 0 && !named.includes(ticket.ticketId)) return;
    const scope = page.shownScopeOf(ticket.ticketId);
    if (!scope) return;
    const now = Date.now();
    const recent = page.submitted.filter((s) => now - s.at < ARMED_MS);
    const sentHere = new Set(recent.filter((s) => s.ticketId === ticket.ticketId).map((s) => normalizeReplyText(s.text)));
    const candidates = [...scope.querySelectorAll(page.profile.selectors.outbound.join(','))].filter((element) => {
      if (page.cueFailures.has(element)) return false;
      return sentHere.has(normalizeReplyText(readMessage(element, page.profile).text));
    });
    const vanished = candidates.filter((element) => page.statusOf(element) === 'unknown');
    const onlyHere = recent.every((s) => s.ticketId === ticket.ticketId);
    const pending = onlyHere ? candidates.filter((element) => page.statusOf(element) === 'pending') : [];
    const target = vanished[0] ?? pending[0];
    if (target) page.markFailedByCue(target, text);
  };

  const onRecords = (records: MutationRecord[]) => {
    if (Date.now() > armedUntil) {
      observer?.disconnect();
      observer = null;
      return;
    }
    const toasts = new Set<Element>();
    for (const record of records) {
      const target = record.target instanceof Element ? record.target : record.target.parentElement;
      const owner = target?.closest(toastSelector);
      if (owner) toasts.add(owner);
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches(toastSelector)) toasts.add(node);
        else if (node.firstElementChild) for (const inner of node.querySelectorAll(toastSelector)) toasts.add(inner);
      }
    }
    for (const toast of toasts) onToast(toast);
  };

  const arm = () => {
    armedUntil = Date.now() + ARMED_MS;
    if (observer) return;
    observer = new MutationObserver(onRecords);
    // Toasts live in a portal anywhere in the page: the whole document, but only while a send is under way.
    observer.observe(page.root.documentElement, { childList: true, subtree: true, characterData: true });
  };
  page.addEventListener('sending', arm, { signal: ctx.signal });
  ctx.signal.addEventListener('abort', () => observer?.disconnect());
}
