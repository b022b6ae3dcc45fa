import { afterEach, describe, expect, it } from 'vitest';
import { observe } from '@/utils/observe';

// One MutationObserver per root serves every watcher: each batch of page changes must reach each
// watcher once per touched element, whatever the kind of change and however deep it happened.

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const stops: AbortController[] = [];

function watch(selector: string, attributes: string[] = []) {
  const stop = new AbortController();
  stops.push(stop);
  const seen: string[] = [];
  observe(selector, (element) => seen.push(element.id), { signal: stop.signal, attributes });
  return { seen, stop };
}

afterEach(() => {
  for (const stop of stops.splice(0)) stop.abort();
  document.body.replaceChildren();
});

describe('observe', () => {
  it('reports what matches now, then added matches, also nested inside an added subtree', async () => {
    document.body.innerHTML = '<ul id="log"><li class="msg" id="m1"><span>hi</span></li></ul>';
    const { seen } = watch('.msg');
    expect(seen).toEqual(['m1']);
    const wrapper = document.createElement('div');
    wrapper.innerHTML = '<li class="msg" id="m3"></li>';
    const direct = Object.assign(document.createElement('li'), { id: 'm2', className: 'msg' });
    document.getElementById('log')?.append(direct, wrapper);
    await flush();
    expect(seen.sort()).toEqual(['m1', 'm2', 'm3']);
  });

  it('reports the message around a text or attribute change, once per batch however many changes', async () => {
    document.body.innerHTML = '<li class="msg" id="m1"><span id="status" data-status="pending">Sending</span><b id="text">a</b></li>';
    const { seen } = watch('.msg', ['data-status']);
    seen.length = 0;
    const status = document.getElementById('status') as HTMLElement;
    status.setAttribute('data-status', 'failed');
    status.textContent = 'Not delivered';
    (document.getElementById('text')?.firstChild as Text).data = 'b';
    (document.getElementById('text')?.firstChild as Text).data = 'c';
    await flush();
    expect(seen).toEqual(['m1']);
  });

  it('ignores attributes no watcher reads, and changes outside every match', async () => {
    document.body.innerHTML = '<li class="msg" id="m1"></li><div id="side">0</div>';
    const { seen } = watch('.msg', ['data-status']);
    seen.length = 0;
    document.getElementById('m1')?.setAttribute('style', 'color: red');
    (document.getElementById('side') as HTMLElement).textContent = '1 open';
    await flush();
    expect(seen).toEqual([]);
  });

  it('serves two selectors from one batch, each with its own hits', async () => {
    document.body.innerHTML = '<header id="h"><span class="via" id="via">Email</span></header><ul id="log"></ul>';
    const messages = watch('.msg');
    const via = watch('.via');
    via.seen.length = 0;
    (document.getElementById('via') as HTMLElement).textContent = 'Messenger';
    document.getElementById('log')?.append(Object.assign(document.createElement('li'), { id: 'm9', className: 'msg' }));
    await flush();
    expect(messages.seen).toEqual(['m9']);
    expect(via.seen).toEqual(['via']);
  });

  it('stops calling a watcher once its signal is aborted', async () => {
    document.body.innerHTML = '<ul id="log"></ul>';
    const { seen, stop } = watch('.msg');
    stop.abort();
    document.getElementById('log')?.append(Object.assign(document.createElement('li'), { id: 'm1', className: 'msg' }));
    await flush();
    expect(seen).toEqual([]);
  });
});
