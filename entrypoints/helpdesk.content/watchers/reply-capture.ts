import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { queryFirst } from '@/utils/helpdesk/read';
import type { HelpdeskPage } from '../page';

const KEEP = 20;

/** Keeps the exact text the agent sends, taken from the composer at the moment of Send. */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  const signal = ctx.signal;
  const capture = () => {
    const composer = queryFirst(page.root, page.profile.selectors.composer) as HTMLElement | null;
    // biome-ignore lint/performance/useDomNodeTextContent: the composer's text as typed, line breaks included.
    const text = composer?.innerText.trim();
    if (!text) return;
    page.submitted.push({ text, at: Date.now() });
    if (page.submitted.length > KEEP) page.submitted.shift();
  };
  const sendSelector = page.profile.selectors.sendButton.join(',');
  // Capture phase: the helpdesk clears the composer in its own handler.
  page.root.addEventListener(
    'click',
    (event) => {
      if (event.target instanceof Element && event.target.closest(sendSelector)) capture();
    },
    { capture: true, signal },
  );
  page.root.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) capture();
    },
    { capture: true, signal },
  );
}
