import { defineContentScript } from 'wxt/utils/define-content-script';
import {
  findNetworkFailure,
  MAX_ERROR_BODY_CHARS,
  NETWORK_SIGNAL_TAG,
  type NetworkFailure,
  readNetworkFailure,
  ticketFromPath,
} from '@/core/failures/network-signal';

// Main world, before the page's own scripts: sees the helpdesk's fetch/XHR/WebSocket answers and
// forwards only {code, subcode, type, ticket} of failed sends. Kept tiny; must never change or
// delay what the page receives, and never throw into it.
export default defineContentScript({
  // Same as helpdesk.content (the sandbox build adds its origin to both).
  matches: ['https://*.zendesk.com/agent/*'],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    installNetworkSignal(window);
  },
});

const JSONISH = /json/i;
const noop = () => undefined;

function installNetworkSignal(w: Window & typeof globalThis): void {
  const flag = Symbol.for('send-guard.network-signal');
  const marks = w as unknown as Record<symbol, boolean>;
  if (marks[flag]) return;
  marks[flag] = true;
  const defer = w.setTimeout.bind(w);
  const post = w.postMessage.bind(w);

  const report = (failure: NetworkFailure | null) => {
    const ticket = failure && ticketFromPath(w.location.pathname);
    if (ticket) post({ ...failure, tag: NETWORK_SIGNAL_TAG, ticket }, w.location.origin);
  };
  // Parsing waits for a later task, so the page's own handlers run first and undelayed.
  const inspect = (payload: unknown) => {
    if (typeof payload === 'string' && (payload.length > MAX_ERROR_BODY_CHARS || !payload.includes('"error"'))) return;
    defer(() => {
      try {
        report(typeof payload === 'string' ? readNetworkFailure(payload) : findNetworkFailure(payload));
      } catch {
        // Never into the page.
      }
    }, 0);
  };
  const tooLarge = (length: string | null) => Number(length) > MAX_ERROR_BODY_CHARS;

  const readClone = async (response: Response) => {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return inspect(text + decoder.decode());
      text += decoder.decode(value, { stream: true });
      // Only our clone is cancelled: a failure here leaves the page's response as it was.
      if (text.length > MAX_ERROR_BODY_CHARS) return void reader.cancel().catch(noop);
    }
  };

  const nativeFetch = w.fetch;
  if (typeof nativeFetch === 'function') {
    w.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
      const pending = nativeFetch.apply(this, args);
      // The page gets the very same promise and response; only a clone's copy of the body is read.
      pending.then((response) => {
        try {
          const type = response.headers.get('content-type') ?? '';
          if (!JSONISH.test(type) || !response.body || response.bodyUsed || tooLarge(response.headers.get('content-length'))) return;
          readClone(response.clone()).catch(noop); // A clone that cannot be read is only missed here; never into the page.
        } catch {
          // Never into the page.
        }
      }, noop); // The page gets the rejection itself, through the same promise.
      return pending;
    } as typeof fetch;
  }

  const xhr = w.XMLHttpRequest?.prototype;
  if (xhr) {
    const nativeSend = xhr.send;
    function onLoad(this: XMLHttpRequest) {
      try {
        if (!JSONISH.test(this.getResponseHeader('content-type') ?? '') || tooLarge(this.getResponseHeader('content-length'))) return;
        const kind = this.responseType;
        if (kind === 'json') inspect(this.response);
        else if (kind === '' || kind === 'text') inspect(this.responseText);
      } catch {
        // Never into the page.
      }
    }
    xhr.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
      try {
        this.addEventListener('load', onLoad);
      } catch {
        // Never into the page.
      }
      return nativeSend.call(this, body);
    };
  }

  const NativeSocket = w.WebSocket;
  if (typeof NativeSocket === 'function') {
    const onMessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') inspect(event.data);
    };
    w.WebSocket = class extends NativeSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', onMessage);
      }
    };
  }
}
