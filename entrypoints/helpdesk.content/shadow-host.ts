import type { ContentScriptContext } from 'wxt/utils/content-script-context';

/** The banner's place in the page: an open shadow root, so page styles stay out and ours stay in. */
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

/**
 * A few lines instead of WXT's `createShadowRootUi`, whose dependencies (style splitting,
 * element waiting, event isolation) this banner does not use and every helpdesk tab would load.
 * `css` should start with `:host { all: initial; }` so the page's inherited styles stop at the host.
 */
export function createShadowHost(ctx: ContentScriptContext, name: string, css: string, anchor: () => Element | null): ShadowHost {
  const host = document.createElement(name);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  const container = document.createElement('div');
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
