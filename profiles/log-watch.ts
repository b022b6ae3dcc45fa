type ItemCallback = (item: Element) => void;

interface Subscription {
  callback: ItemCallback;
  /** Only items inside this element (a ticket's workspace), or every item. */
  scope: Element | null;
}

export interface LogWatchOptions {
  root: Document;
  /** The conversation logs' containers; every mounted one is watched. */
  logSelectors: readonly string[];
  /** Workspaces whose log may appear later (a ticket opened in a single-page app renders late). */
  workspaceSelectors: readonly string[];
  /** The items reported to subscribers (outbound messages). */
  itemSelector: string;
  /** The only attributes whose changes matter (the ones status cues are read from). */
  attributes: readonly string[];
}

export interface LogWatch {
  start(signal: AbortSignal): void;
  /** Calls `callback` for every item now, and whenever one is added or something inside it changes. */
  subscribe(callback: ItemCallback, signal: AbortSignal, scope?: Element | null): void;
  /** Called after the set of watched logs changed (a ticket's log rendered, replaced or removed). */
  onLogsChanged(callback: () => void, signal: AbortSignal): void;
  /** The logs watched now (empty while the whole document stands in). */
  watchedLogs(): readonly Element[];
  /** Looks for logs again at once (after an in-app navigation, say). */
  rescan(): void;
}

interface StructureTarget {
  node: Node;
  subtree: boolean;
}

/**
 * Watches only the conversation logs, not the whole page: one MutationObserver on every mounted
 * log container (children, text and the status attributes), and a cheap one on the logs'
 * ancestors (their direct children only) that notices a log replaced or a workspace mounted.
 * Until a page has any log, the whole document stands in for one, so nothing is missed.
 * (A closure, not a class: its inner names shrink in the build of the helpdesk tab's script.)
 */
export function createLogWatch(options: LogWatchOptions): LogWatch {
  const { root, logSelectors, workspaceSelectors, itemSelector, attributes } = options;
  const subscriptions = new Set<Subscription>();
  const logsListeners = new Set<() => void>();
  let logs: Element[] = [];
  let targets: Node[] = [];
  let structureTargets: StructureTarget[] = [];
  let scanQueued = false;
  let stopped = false;

  const announce = (items: Iterable<Element>) => {
    const current = [...subscriptions];
    for (const item of items) {
      for (const { callback, scope } of current) if (!scope || scope.contains(item)) callback(item);
    }
  };

  const dispatch = (records: MutationRecord[]) => {
    if (records.length === 0) return;
    // One pass over the batch; records of one batch often share a target, looked up once.
    const hits = new Set<Element>();
    const seen = new Set<Element>();
    for (const record of records) {
      const target = record.target instanceof Element ? record.target : record.target.parentElement;
      if (target && !seen.has(target)) {
        seen.add(target);
        const owner = target.closest(itemSelector);
        if (owner) hits.add(owner);
      }
      if (record.type !== 'childList') continue;
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches(itemSelector)) hits.add(node);
        // Only elements with children can hold a match: skips the common text-node/leaf case.
        if (node.firstElementChild) for (const inner of node.querySelectorAll(itemSelector)) hits.add(inner);
      }
    }
    announce([...hits].filter((item) => item.isConnected));
  };

  const items = new MutationObserver(dispatch);

  const scan = () => {
    if (stopped) return;
    const found = logSelectors.length > 0 ? [...root.querySelectorAll(logSelectors.join(','))] : [];
    // Only the outermost of nested matches is a log.
    const now = found.filter((log) => !found.some((other) => other !== log && other.contains(log)));
    const nextTargets: Node[] = now.length > 0 ? now : [root];
    const changed = !sameNodes(nextTargets, targets);
    if (changed) {
      const added = now.filter((log) => !logs.includes(log));
      // Records already queued for the old targets are dispatched, not dropped, before re-observing.
      dispatch(items.takeRecords());
      items.disconnect();
      for (const target of nextTargets) {
        items.observe(target, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: [...attributes] });
      }
      targets = nextTargets;
      logs = now;
      for (const log of added) announce(log.querySelectorAll(itemSelector));
    }
    // What tells us the logs changed: their ancestors' children; a workspace still without its log, whole.
    const next: StructureTarget[] = [];
    if (now.length === 0) next.push({ node: root, subtree: true });
    else {
      const ancestors = new Set<Node>();
      for (const log of now) for (let node = log.parentNode; node; node = node.parentNode) ancestors.add(node);
      for (const node of ancestors) next.push({ node, subtree: false });
      if (workspaceSelectors.length > 0) {
        for (const workspace of root.querySelectorAll(workspaceSelectors.join(','))) {
          if (!now.some((log) => workspace.contains(log))) next.push({ node: workspace, subtree: true });
        }
      }
    }
    if (!sameStructure(next, structureTargets)) {
      structure.disconnect();
      for (const { node, subtree } of next) structure.observe(node, { childList: true, subtree });
      structureTargets = next;
    }
    if (changed) for (const listener of [...logsListeners]) listener();
  };

  // Could these changes of the logs' ancestors (or of a workspace still without its log) have
  // added, replaced or removed a log? Most are the app's own chrome (counters, indicators, toasts):
  // those cost a few checks here, not a document-wide query.
  const structureSelector = [...logSelectors, ...workspaceSelectors].join(',');
  const workspaceSelector = workspaceSelectors.join(',');
  const holdsStructure = (node: Node): boolean =>
    node instanceof Element && (node.matches(structureSelector) || (!!node.firstElementChild && !!node.querySelector(structureSelector)));
  const touchesLogs = (records: MutationRecord[]): boolean => {
    if (logs.length === 0) return true;
    for (const record of records) {
      for (const node of record.removedNodes) {
        if (logs.some((log) => node === log || node.contains(log)) || holdsStructure(node)) return true;
      }
      for (const node of record.addedNodes) if (holdsStructure(node)) return true;
      // Inside a workspace still waiting for its log: the log may be rendering deeper down.
      const workspace = workspaceSelector && record.target instanceof Element ? record.target.closest(workspaceSelector) : null;
      if (workspace && !logs.some((log) => workspace.contains(log))) return true;
    }
    return false;
  };

  const structure = new MutationObserver((records) => {
    if (scanQueued || stopped || !touchesLogs(records)) return;
    scanQueued = true;
    queueMicrotask(() => {
      scanQueued = false;
      scan();
    });
  });

  return {
    start(signal) {
      signal.addEventListener('abort', () => {
        stopped = true;
        items.disconnect();
        structure.disconnect();
        subscriptions.clear();
        logsListeners.clear();
      });
      scan();
    },
    subscribe(callback, signal, scope = null) {
      if (signal.aborted || stopped) return;
      const subscription = { callback, scope };
      subscriptions.add(subscription);
      signal.addEventListener('abort', () => subscriptions.delete(subscription));
      for (const item of (scope ?? root).querySelectorAll(itemSelector)) callback(item);
    },
    onLogsChanged(callback, signal) {
      logsListeners.add(callback);
      signal.addEventListener('abort', () => logsListeners.delete(callback));
    },
    watchedLogs: () => logs,
    rescan: scan,
  };
}

function sameNodes(a: readonly Node[], b: readonly Node[]): boolean {
  return a.length === b.length && a.every((node, i) => node === b[i]);
}

function sameStructure(a: readonly StructureTarget[], b: readonly StructureTarget[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry.node === b[i]?.node && entry.subtree === b[i]?.subtree);
}
