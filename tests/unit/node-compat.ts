// vitest 5 needs Node >= 22.12, while package.json allows Node >= 20.19 (this machine: 20.20).
// Its runner calls Object.groupBy / Map.groupBy (Node 21+) and Promise.withResolvers (Node 22+):
// without these, a failing test crashes the reporter instead of being printed. Remove with Node 20.
// TODO(2026-11-27): drop once engines.node is raised to the vitest requirement.

type KeyOf<T, K> = (item: T, index: number) => K;

function group<T, K>(items: Iterable<T>, keyOf: KeyOf<T, K>): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  let index = 0;
  for (const item of items) {
    const key = keyOf(item, index++);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const objectCtor = Object as unknown as { groupBy?: unknown };
if (typeof objectCtor.groupBy !== 'function') {
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value: <T>(items: Iterable<T>, keyOf: KeyOf<T, PropertyKey>) =>
      Object.assign(Object.create(null) as Record<PropertyKey, T[]>, Object.fromEntries(group(items, keyOf))),
  });
}

const mapCtor = Map as unknown as { groupBy?: unknown };
if (typeof mapCtor.groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', { configurable: true, writable: true, value: group });
}

const promiseCtor = Promise as unknown as { withResolvers?: unknown };
if (typeof promiseCtor.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: <T>() => {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
