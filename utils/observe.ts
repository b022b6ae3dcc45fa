type Callback = (element: Element) => void;

interface Subscription {
  selector: string;
  callback: Callback;
}

const registries = new WeakMap<Node, Set<Subscription>>();

/**
 * Calls `callback` for every element matching `selector` now, whenever one is added, and
 * whenever something inside one changes. One MutationObserver per root serves every
 * feature, so each page mutation is walked once.
 */
export function observe(selector: string, callback: Callback, options: { signal: AbortSignal; root?: Node }): void {
  const root = options.root ?? document;
  if (options.signal.aborted) return;
  let subscriptions = registries.get(root);
  if (!subscriptions) {
    const subs = new Set<Subscription>();
    subscriptions = subs;
    registries.set(root, subs);
    const observer = new MutationObserver((records) => dispatch(records, subs));
    observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
    observers.set(root, observer);
  }
  const subscription = { selector, callback };
  subscriptions.add(subscription);
  options.signal.addEventListener('abort', () => {
    subscriptions.delete(subscription);
    if (subscriptions.size === 0) {
      observers.get(root)?.disconnect();
      observers.delete(root);
      registries.delete(root);
    }
  });
  for (const element of (root as ParentNode).querySelectorAll(selector)) callback(element);
}

const observers = new WeakMap<Node, MutationObserver>();

function dispatch(records: MutationRecord[], subscriptions: Set<Subscription>): void {
  for (const { selector, callback } of [...subscriptions]) {
    const hits = new Set<Element>();
    for (const record of records) {
      const target = record.target instanceof Element ? record.target : record.target.parentElement;
      const owner = target?.closest(selector);
      if (owner) hits.add(owner);
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches(selector)) hits.add(node);
        for (const inner of node.querySelectorAll(selector)) hits.add(inner);
      }
    }
    for (const element of hits) if (element.isConnected) callback(element);
  }
}
