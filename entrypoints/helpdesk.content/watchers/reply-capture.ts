import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { matchesAny } from '@/profiles/read';
import { queryShown, workspaceOf } from '@/profiles/workspace';
import type { HelpdeskPage } from '../page';

/**
 * Keeps the exact text the agent sends, taken from the composer at the moment of Send, with the
 * ticket whose workspace the Send was pressed in. Only the agent's own presses count (`isTrusted`):
 * a page script clicking Send buys nothing.
 */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const signal = ctx.signal;
  const { composer: composerSelectors, sendButton } = page.profile.selectors;
  const capture = (from: Element) => {
    // The composer of the same workspace as the button (or key press), never another ticket's.
    const scope = workspaceOf(from, page.profile) ?? page.root;
    const composer = (matchesAny(from, composerSelectors) ? from : queryShown(scope, composerSelectors)) as HTMLElement | null;
    // biome-ignore lint/performance/useDomNodeTextContent: the composer's text as typed, line breaks included.
    const text = composer?.innerText.trim();
    if (!text || !composer) return;
    page.addSubmitted({ text, at: Date.now(), ticketId: page.ticketIdOf(composer, Date.now()) });
  };
  const sendSelector = sendButton.join(',');
  // Capture phase: the helpdesk clears the composer in its own handler.
  page.root.addEventListener(
    'click',
    (event) => {
      const button = event.target instanceof Element ? event.target.closest(sendSelector) : null;
      if (event.isTrusted && button) capture(button);
    },
    { capture: true, signal },
  );
  page.root.addEventListener(
    'keydown',
    (event) => {
      if (!event.isTrusted || event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
      const target = event.target instanceof Element ? event.target : null;
      const composer = target?.closest(composerSelectors.join(','));
      if (composer) capture(composer);
    },
    { capture: true, signal },
  );
}
