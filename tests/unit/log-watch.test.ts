import { afterEach, describe, expect, it } from 'vitest';
import { createLogWatch } from '@/profiles/log-watch';

// Only the conversation logs are watched, not the whole page. Each batch of changes inside a log
// reaches the subscribers once per touched message; a log that is replaced, or a ticket's log that
// renders late inside a workspace mounted later, is found and watched too.

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const stops: AbortController[] = [];

function start(attributes: string[] = ['data-status']) {
  const stop = new AbortController();
  stops.push(stop);
  const watch = createLogWatch({
    root: document,
    logSelectors: ['.log'],
    workspaceSelectors: ['.ws'],
    itemSelector: '.msg',
    attributes,
  });
  watch.start(stop.signal);
  const seen: string[] = [];
  watch.subscribe((item) => seen.push(item.id), stop.signal);
  let logsChanged = 0;
  watch.onLogsChanged(() => logsChanged++, stop.signal);
  return { watch, seen, stop, changes: () => logsChanged };
}

const li = (id: string) => Object.assign(document.createElement('li'), { id, className: 'msg' });

afterEach(() => {
  for (const stop of stops.splice(0)) stop.abort();
  document.body.replaceChildren();
});

describe('LogWatch', () => {
  it('reports what is in the log now, then added messages, also nested inside an added subtree', async () => {
    document.body.innerHTML = '<ul class="log" id="log"><li class="msg" id="m1"><span>hi</span></li></ul>';
    const { seen } = start();
    expect(seen).toEqual(['m1']);
    const wrapper = document.createElement('div');
    wrapper.innerHTML = '<li class="msg" id="m3"></li>';
    document.getElementById('log')?.append(li('m2'), wrapper);
    await flush();
    expect(seen.sort()).toEqual(['m1', 'm2', 'm3']);
  });

  it('reports the message around a text or status attribute change, once per batch however many changes', async () => {
    document.body.innerHTML =
      '<ul class="log"><li class="msg" id="m1"><span id="status" data-status="pending">Sending</span><b id="text">a</b></li></ul>';
    const { seen } = start();
    seen.length = 0;
    const status = document.getElementById('status') as HTMLElement;
    status.setAttribute('data-status', 'failed');
    status.textContent = 'Not delivered';
    (document.getElementById('text')?.firstChild as Text).data = 'b';
    (document.getElementById('text')?.firstChild as Text).data = 'c';
    await flush();
    expect(seen).toEqual(['m1']);
  });

  it('ignores attributes no cue reads, and every change outside the logs', async () => {
    document.body.innerHTML = '<ul class="log"><li class="msg" id="m1"></li></ul><div id="side">0</div><ul id="elsewhere"></ul>';
    const { seen } = start();
    seen.length = 0;
    document.getElementById('m1')?.setAttribute('style', 'color: red');
    (document.getElementById('side') as HTMLElement).textContent = '1 open';
    // A message-like element outside any log (a search result, a preview) is not a reply in a conversation.
    document.getElementById('elsewhere')?.append(li('x1'));
    await flush();
    expect(seen).toEqual([]);
  });

  it('follows a log the app replaces, and drops the old one', async () => {
    document.body.innerHTML = '<main id="main"><ul class="log" id="old"><li class="msg" id="m1"></li></ul></main>';
    const { seen, watch, changes } = start();
    const old = document.getElementById('old') as HTMLElement;
    const fresh = Object.assign(document.createElement('ul'), { className: 'log', id: 'new' });
    fresh.append(li('m2'));
    old.replaceWith(fresh);
    await flush();
    expect(watch.watchedLogs().map((log) => log.id)).toEqual(['new']);
    expect(seen).toEqual(['m1', 'm2']);
    expect(changes()).toBe(1);
    fresh.append(li('m3'));
    old.append(li('ghost'));
    await flush();
    expect(seen).toEqual(['m1', 'm2', 'm3']);
  });

  it('finds the log of a workspace mounted later whose content renders later still', async () => {
    document.body.innerHTML =
      '<div id="spaces"><section class="ws" data-id="1"><ul class="log"><li class="msg" id="a1"></li></ul></section></div>';
    const { seen, watch } = start();
    const second = Object.assign(document.createElement('section'), { className: 'ws' });
    second.textContent = 'Loading…';
    document.getElementById('spaces')?.append(second);
    await flush();
    expect(watch.watchedLogs()).toHaveLength(1);
    // The workspace renders its log in another task, as a single-page app does after the URL changed.
    const log = Object.assign(document.createElement('ul'), { className: 'log' });
    log.append(li('b1'));
    second.replaceChildren(log);
    await flush();
    expect(watch.watchedLogs()).toHaveLength(2);
    log.append(li('b2'));
    await flush();
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  it('watches the whole page while it has no log, then only the log once one appears', async () => {
    document.body.innerHTML = '<div id="app"></div>';
    const { seen, watch } = start();
    const log = Object.assign(document.createElement('ul'), { className: 'log' });
    log.append(li('m1'));
    document.getElementById('app')?.append(log);
    await flush();
    expect(watch.watchedLogs()).toHaveLength(1);
    expect(seen).toContain('m1');
  });

  it('does not search the page again for changes of the app around the log, yet still notices a log removed', async () => {
    document.body.innerHTML = '<div id="app"><aside id="side"></aside><div class="ws" id="ws"><ul class="log" id="log"></ul></div></div>';
    const { changes } = start();
    const searches: string[] = [];
    const original = document.querySelectorAll.bind(document);
    document.querySelectorAll = ((selector: string) => {
      searches.push(selector);
      return original(selector);
    }) as typeof document.querySelectorAll;
    try {
      // Counters, typing indicators, toasts: children of the log's ancestors, none a log or a workspace.
      for (let i = 0; i < 20; i++) {
        document.getElementById('app')?.append(Object.assign(document.createElement('span'), { textContent: String(i) }));
        document.body.append(document.createElement('div'));
        await flush();
      }
      expect(searches).toEqual([]);
      document.getElementById('log')?.remove();
      await flush();
      expect(searches).toContain('.log');
      expect(changes()).toBe(1);
    } finally {
      document.querySelectorAll = original as typeof document.querySelectorAll;
    }
  });

  it('stops calling a subscriber once its signal is aborted', async () => {
    document.body.innerHTML = '<ul class="log" id="log"></ul>';
    const { seen, stop } = start();
    stop.abort();
    document.getElementById('log')?.append(li('m1'));
    await flush();
    expect(seen).toEqual([]);
  });
});
