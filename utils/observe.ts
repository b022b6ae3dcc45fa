type Callback = (element: Element) => void;

interface Subscription {
  selector: string;
  callback: Callback;
}

const registries = new WeakMap<Node, Set<Subscription>>();
const watchedAttributes = new WeakMap<Node, Set<string>>();

/**
 * Calls `callback` for every element matching `selector` now, whenever one is added, and
 * whenever something inside one changes (children, text, or one of `attributes`). One
 * MutationObserver per root serves every feature, so each page mutation is walked once; only
 * the attributes a feature reads are watched, so a page's class and style churn costs nothing.
 */
export function observe(
  selector: string,
  callback: Callback,
  options: { signal: AbortSignal; root?: Node; attributes?: readonly string[] },
): void {
  const root = options.root ?? document;
  if (options.signal.aborted) return;
  let subscriptions = registries.get(root);
  if (!subscriptions) {
    const subs = new Set<Subscription>();
    subscriptions = subs;
    registries.set(root, subs);
    observers.set(root, new MutationObserver((records) => dispatch(records, subs)));
    watchedAttributes.set(root, new Set());
  }
  const names = watchedAttributes.get(root) ?? new Set<string>();
  const before = names.size;
  for (const name of options.attributes ?? []) names.add(name);
  if (before === 0 || names.size !== before) {
    // Observing the same root again replaces its options: the union of every feature's attributes.
    observers.get(root)?.observe(root, {
      childList: true,
      subtree: true,
      characterData: true,
      ...(names.size > 0 ? { attributes: true, attributeFilter: [...names] } : {}),
    });
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
  // Features often watch the same selector: find each selector's hits once per batch, in one pass
  // over the records. Records of one batch often share a target, and `closest` answers the same
  // for it (the DOM is read after the whole batch), so each target is looked up once.
  const selectors = [...new Set([...subscriptions].map((s) => s.selector))];
  const hits = selectors.map(() => new Set<Element>());
  const targets = new Set<Element>();
  for (const record of records) {
    const target = record.target instanceof Element ? record.target : record.target.parentElement;
    if (target && !targets.has(target)) {
      targets.add(target);
      selectors.forEach((selector, i) => {
        const owner = target.closest(selector);
        if (owner) hits[i]?.add(owner);
      });
    }
    if (record.type !== 'childList') continue;
    for (const node of record.addedNodes) {
      if (!(node instanceof Element)) continue;
      selectors.forEach((selector, i) => {
        if (node.matches(selector)) hits[i]?.add(node);
        // Only elements with children can hold a match: skips the common text-node/leaf case.
        if (node.firstElementChild) for (const inner of node.querySelectorAll(selector)) hits[i]?.add(inner);
      });
    }
  }
  const hitsBySelector = new Map(selectors.map((selector, i) => [selector, hits[i] ?? new Set<Element>()]));
  for (const { selector, callback } of [...subscriptions]) {
    for (const element of hitsBySelector.get(selector) ?? []) if (element.isConnected) callback(element);
  }
}
