// Code that runs inside the helpdesk page's main world (passed to page.evaluate as functions).
// Kept free of imports and of named inner functions' helpers beyond `__name` (see run.ts's shim).

export interface WorkloadResult {
  wallMs: number;
  syncMs: number;
  mutations: number;
  items: number;
  /** Replies that turned pending → delivered (each one a `reply-delivered` report by the extension). */
  delivered: number;
}

/** Fills the sandbox ticket's log up to `total` items (delivered replies and customer messages). */
export function fillLog(total: number): Promise<number> {
  const log = document.querySelector('[data-test-id="omni-log-container"]') as HTMLElement;
  const make = (i: number) => {
    const agent = i % 2 === 0;
    const article = document.createElement('article');
    article.setAttribute('data-test-id', 'omni-log-item-message');
    article.setAttribute('type', agent ? 'agent' : 'end-user');
    article.setAttribute('data-message-id', `heavy-${i}`);
    article.className = 'log-item';
    if (agent) article.setAttribute('data-delivery-status', 'delivered');
    const head = document.createElement('div');
    head.className = 'log-item__head';
    const sender = document.createElement('span');
    sender.setAttribute('data-test-id', 'omni-log-item-sender');
    sender.textContent = agent ? 'Sam Rivera' : 'Anna Schmidt';
    const time = document.createElement('time');
    time.textContent = `${8 + (i % 10)}:${String(i % 60).padStart(2, '0')}`;
    head.append(sender, time);
    const content = document.createElement('div');
    content.setAttribute('data-test-id', 'omni-log-message-content');
    content.textContent = agent
      ? `Reply ${i}: thanks, I have updated your order and you will get a confirmation shortly.`
      : `Message ${i}: hi, where is my order? It was supposed to arrive yesterday.`;
    article.append(head, content);
    if (agent) {
      const status = document.createElement('div');
      status.setAttribute('data-test-id', 'omni-log-message-status');
      status.setAttribute('data-status', 'delivered');
      status.className = 'msg-status';
      const icon = document.createElement('span');
      icon.setAttribute('role', 'img');
      icon.setAttribute('aria-label', 'Delivered');
      icon.textContent = '✓';
      const label = document.createElement('span');
      label.textContent = 'Delivered';
      status.append(icon, label);
      article.append(status);
    }
    return article;
  };
  (window as unknown as { __benchMake: typeof make }).__benchMake = make;
  return new Promise((resolve) => {
    let i = log.querySelectorAll('article').length;
    const step = () => {
      const fragment = document.createDocumentFragment();
      for (let k = 0; k < 250 && i < total; k++, i++) fragment.append(make(i));
      log.append(fragment);
      if (i < total) setTimeout(step, 0);
      else resolve(log.querySelectorAll('article').length);
    };
    step();
  });
}

/**
 * A busy agent's day compressed: `mutations` DOM operations in batches of `batch` per task
 * (new messages in, statuses pending → delivered, edits, old items out, typing indicator,
 * sidebar counters, composer text). No failures: this is the extension's steady-state cost.
 * Between batches the page yields through a MessageChannel, so every MutationObserver
 * (the page's and the extension's) runs in between, inside the measured wall time.
 */
export function busyDay(args: { mutations: number; batch: number; seed: number; deliveries?: boolean }): Promise<WorkloadResult> {
  const make = (window as unknown as { __benchMake: (i: number) => HTMLElement }).__benchMake;
  const log = document.querySelector('[data-test-id="omni-log-container"]') as HTMLElement;
  const side = document.body;
  let rnd = args.seed >>> 0;
  const random = () => {
    rnd = (rnd * 1664525 + 1013904223) >>> 0;
    return rnd / 4294967296;
  };
  let next = 100_000 + args.seed * 20_000;
  const pending: HTMLElement[] = [];
  let delivered = 0;
  const typing = document.createElement('div');
  typing.className = 'bench-typing';
  const counter = document.createElement('span');
  counter.className = 'bench-counter';
  side.append(counter);
  const composer = document.querySelector('[data-test-id^="omnicomposer-"]') as HTMLElement | null;
  const op = (n: number) => {
    const r = random();
    if (r < 0.2) {
      // A new message arrives (half of them our own replies, still sending).
      const article = make(next++);
      if (article.getAttribute('type') === 'agent') {
        article.setAttribute('data-delivery-status', 'pending');
        const status = article.querySelector('[data-test-id="omni-log-message-status"]') as HTMLElement;
        status.setAttribute('data-status', 'pending');
        status.textContent = 'Sending…';
        pending.push(article);
      }
      log.append(article);
    } else if (r < 0.4) {
      // The oldest item leaves (keeps the log near its size).
      log.firstElementChild?.remove();
    } else if (r < 0.55 && pending.length > 0 && args.deliveries !== false) {
      // A reply goes out: status pending → delivered.
      const article = pending.shift() as HTMLElement;
      delivered++;
      article.setAttribute('data-delivery-status', 'delivered');
      const status = article.querySelector('[data-test-id="omni-log-message-status"]') as HTMLElement;
      status.setAttribute('data-status', 'delivered');
      status.textContent = 'Delivered';
    } else if (r < 0.65) {
      // A message's text is edited / re-rendered in place.
      const items = log.children;
      const item = items[Math.floor(random() * items.length)];
      const content = item?.querySelector('[data-test-id="omni-log-message-content"]');
      if (content) content.textContent = `Edited ${n}: ${content.textContent?.slice(0, 60)}`;
    } else if (r < 0.75) {
      // Typing indicator toggles.
      if (typing.isConnected) typing.remove();
      else {
        typing.textContent = 'Anna is typing…';
        log.after(typing);
      }
    } else if (r < 0.88) {
      // Sidebar / header counters tick.
      counter.textContent = `${n} open`;
    } else if (composer) {
      // The agent types.
      composer.textContent = `Draft ${n}`;
    } else {
      counter.setAttribute('data-n', String(n));
    }
  };
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    let done = 0;
    let syncMs = 0;
    const start = performance.now();
    channel.port1.onmessage = () => {
      const t = performance.now();
      for (let k = 0; k < args.batch && done < args.mutations; k++, done++) op(done);
      syncMs += performance.now() - t;
      if (done < args.mutations) channel.port2.postMessage(0);
      // One more turn so the last batch's observers have run before the clock stops.
      else
        setTimeout(() => {
          typing.remove();
          counter.remove();
          channel.port1.close();
          resolve({ wallMs: performance.now() - start, syncMs, mutations: done, items: log.children.length, delivered });
        }, 0);
    };
    channel.port2.postMessage(0);
  });
}

export interface SessionStep {
  messages: number;
  failures: number;
}

/**
 * One step of a long session in a virtualized log: `count` new messages arrive, the window
 * keeps the newest `keep`, and every `rerenderEvery`-th step re-renders every visible item as a
 * new element with the same message id (like sandbox `?log=virtual`). Message i is a failed
 * agent reply when i % failEvery === failEvery - 1.
 */
export function sessionStep(args: { from: number; count: number; keep: number; failEvery: number; rerender: boolean }): SessionStep {
  const log = document.querySelector('[data-test-id="omni-log-container"]') as HTMLElement;
  const state = window as unknown as { __session?: { model: number[] } };
  state.__session ??= { model: [] };
  const model = state.__session.model;
  const render = (i: number) => {
    const failed = i % args.failEvery === args.failEvery - 1;
    const agent = failed || i % 2 === 0;
    const article = document.createElement('article');
    article.setAttribute('data-test-id', 'omni-log-item-message');
    article.setAttribute('type', agent ? 'agent' : 'end-user');
    article.setAttribute('data-message-id', `session-${i}`);
    article.className = 'log-item';
    const content = document.createElement('div');
    content.setAttribute('data-test-id', 'omni-log-message-content');
    content.textContent = failed
      ? `Session reply ${i}: we have refunded the shipping fee, it shows on your card within 3 days.`
      : `Session message ${i}: a normal message in a long day of chatting with customers.`;
    const sender = document.createElement('span');
    sender.setAttribute('data-test-id', 'omni-log-item-sender');
    sender.textContent = agent ? 'Sam Rivera' : 'Anna Schmidt';
    article.append(sender, content);
    if (agent) {
      article.setAttribute('data-delivery-status', failed ? 'failed' : 'delivered');
      const status = document.createElement('div');
      status.setAttribute('data-test-id', 'omni-log-message-status');
      status.setAttribute('data-status', failed ? 'failed' : 'delivered');
      status.className = 'msg-status';
      if (failed) {
        const icon = document.createElement('span');
        icon.setAttribute('role', 'img');
        icon.setAttribute('aria-label', 'Message failed to send');
        icon.setAttribute('data-test-id', 'omni-log-message-failed-icon');
        icon.textContent = '!';
        const label = document.createElement('span');
        label.setAttribute('data-test-id', 'omni-log-message-failed-label');
        label.textContent = 'Not delivered';
        const detail = document.createElement('span');
        detail.setAttribute('data-test-id', 'omni-log-message-error');
        detail.textContent = 'Error code 2: (#2) Service temporarily unavailable';
        status.append(icon, label, detail);
      } else status.textContent = 'Delivered';
      article.append(status);
    }
    return article;
  };
  let failures = 0;
  for (let i = args.from; i < args.from + args.count; i++) {
    model.push(i);
    if (i % args.failEvery === args.failEvery - 1) failures++;
  }
  model.splice(0, Math.max(0, model.length - args.keep));
  if (args.rerender) log.replaceChildren(...model.map(render));
  else {
    for (let i = args.from; i < args.from + args.count; i++) log.append(render(i));
    while (log.children.length > args.keep) log.firstElementChild?.remove();
  }
  return { messages: args.count, failures };
}
