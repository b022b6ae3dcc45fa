import { browser } from 'wxt/browser';
import { SETTINGS_KEY } from './page-settings';
import { loadSettings, type Settings } from './settings';
import { type ManagedSettings, mergeManaged, parseManaged } from './settings-io';

/** Where the sandbox build reads "managed" settings: Chrome's storage.managed is read-only in tests (sandbox/README.md). */
export const SANDBOX_MANAGED_KEY = 'sandbox:managed';

/** The admin's policy (enterprise `storage.managed`); empty when there is none, or it is unavailable or throws. */
export async function loadManagedSettings(): Promise<ManagedSettings> {
  try {
    const raw =
      import.meta.env.MODE === 'sandbox'
        ? (await browser.storage.local.get(SANDBOX_MANAGED_KEY))[SANDBOX_MANAGED_KEY]
        : await browser.storage.managed.get();
    return parseManaged(raw).managed;
  } catch {
    // Firefox without a policy file, or a browser without managed storage: local settings only.
    return {};
  }
}

/** What the extension runs with: the admin's managed values over the user's own. Read-only: never save this. */
export async function loadEffectiveSettings(): Promise<Settings> {
  const [local, managed] = await Promise.all([loadSettings(), loadManagedSettings()]);
  return mergeManaged(local, managed);
}

/**
 * Calls `onChange` after every write that may change the effective settings: the user's own, or the
 * admin's policy (storage.managed; in the sandbox build its stand-in in storage.local). Returns the unwatch.
 */
export function watchEffectiveSettings(onChange: () => void): () => void {
  // One listener, so a write of both keys at once is one call; managed storage has no per-area event everywhere.
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'managed' || (area === 'local' && (SETTINGS_KEY in changes || SANDBOX_MANAGED_KEY in changes))) onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
