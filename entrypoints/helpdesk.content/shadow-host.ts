import type { ContentScriptContext } from 'wxt/utils/content-script-context';

/**
 * The banner's place in the page: a closed shadow root, so page styles stay out, ours stay in, and
 * no script of the page can read a kept reply or reach a button. Only the agent's own input acts:
 * events a script makes (`isTrusted` false) stop at the root.
 */
export interface ShadowHost {
  readonly host: HTMLElement;
  /** Where the banner renders. */
  readonly container: HTMLElement;
  /** Whether the host sits right before the current anchor (the page may have replaced it). */
  mounted(): boolean;
  /** Inserts the host before the anchor; false while the page has no anchor. */
  mount(): boolean;
  remove(): void;
}

/** Everything the banner acts on; any other event does nothing in it. */
const UNTRUSTED_STOPPED = [
  'click',
  'submit',
  'input',
  'change',
  'keydown',
  'keyup',
  'keypress',
  'pointerdown',
  'pointerup',
  'mousedown',
  'mouseup',
];

/**
 * A few lines instead of WXT's `createShadowRootUi`, whose dependencies (style splitting,
 * element waiting, event isolation) this banner does not use and every helpdesk tab would load.
 * `css` should start with `:host { all: initial; }` so the page's inherited styles stop at the host.
 */
export function createShadowHost(ctx: ContentScriptContext, name: string, css: string, anchor: () => Element | null): ShadowHost {
  const host = document.createElement(name);
  // Sandbox builds only: open, so the end-to-end tests (Playwright, axe) can read and click the banner.
  // Production builds (the store packages, and tests/e2e/hostile-page.spec.ts) are closed.
  const shadow = host.attachShadow({ mode: import.meta.env.MODE === 'sandbox' ? 'open' : 'closed' });
  const style = document.createElement('style');
  style.textContent = css;
  const container = document.createElement('div');
  // Capture phase at the root: a synthetic event never reaches a button's or a field's handler.
  for (const type of UNTRUSTED_STOPPED) {
    container.addEventListener(
      type,
      (event) => {
        if (event.isTrusted) return;
        event.stopImmediatePropagation();
        event.preventDefault();
      },
      { capture: true },
    );
  }
  shadow.append(style, container);
  const shadowHost: ShadowHost = {
    host,
    container,
    mounted() {
      const before = anchor();
      return before !== null && host.isConnected && host.nextElementSibling === before;
    },
    mount() {
      const before = anchor();
      if (!before) return false;
      before.before(host);
      return true;
    },
    remove() {
      host.remove();
    },
  };
  ctx.onInvalidated(() => shadowHost.remove());
  return shadowHost;
}
