import { browser } from 'wxt/browser';
import { type StorageItemKey, storage } from 'wxt/utils/storage';
import type { z } from 'zod';
import { createSerialQueue } from './serial';

// One value the extension keeps in browser storage: its key, its schema, and what it is when missing
// or damaged. Built on WXT's storage (plain keys, no version meta: these values have no migrations).

export interface StoredValue<T> {
  /** WXT's `area:key` form, e.g. `local:health:v1`. */
  readonly key: StorageItemKey;
  /** The stored value, or the fallback when it is missing or does not fit the schema (then the reason is logged). */
  get(): Promise<T>;
  /** Stores a value, in turn with `update`s already asked for. */
  set(value: T): Promise<void>;
  /**
   * Read, change, write, one at a time: updates never interleave, so none is lost. `change` may be
   * async; returning the value it was given (the same object) writes nothing. Resolves to the value now stored.
   */
  update(change: (current: T) => T | Promise<T>): Promise<T>;
  /** Removes the value (the next `get` answers the fallback), in turn with `update`s. */
  remove(): Promise<void>;
  /**
   * Called after every write of the value, by any context (read through the schema), even one that
   * stores what was there: a listener that re-derives something from it runs as it did on a raw
   * storage.onChanged. Returns the unwatch.
   */
  watch(callback: (value: T, previous: T) => void): () => void;
}

export interface StoredValueOptions<T> {
  key: StorageItemKey;
  schema: z.ZodType<T>;
  /** Given as a fresh copy each time, so a caller may change what it gets. */
  fallback: T;
}

export function defineStoredValue<T>({ key, schema, fallback }: StoredValueOptions<T>): StoredValue<T> {
  const serial = createSerialQueue();
  // Said once until the value reads well again: a damaged value is read on every event until rewritten.
  let warned = false;

  const read = (raw: unknown): T => {
    if (raw === null || raw === undefined) return structuredClone(fallback);
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      warned = false;
      return parsed.data;
    }
    if (!warned) {
      warned = true;
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
      console.warn(
        `[send-guard] stored ${key} does not fit its schema${where} (${issue?.message ?? 'invalid'}); using the default instead`,
      );
    }
    return structuredClone(fallback);
  };

  const get = async (): Promise<T> => read(await storage.getItem<unknown>(key));

  return {
    key,
    get,
    set: (value) => serial(() => storage.setItem(key, value)),
    update: (change) =>
      serial(async () => {
        const current = await get();
        const next = await change(current);
        if (next !== current) await storage.setItem(key, next);
        return next;
      }),
    remove: () => serial(() => storage.removeItem(key)),
    watch: (callback) => {
      // WXT's storage.watch skips writes of an equal value; this one must not (see above).
      const [area, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const listener = (changes: Record<string, { newValue?: unknown; oldValue?: unknown }>, changedArea: string) => {
        const change = changes[name];
        if (changedArea === area && change) callback(read(change.newValue), read(change.oldValue));
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
  };
}
