import { browser } from 'wxt/browser';
import { isDebugLogOn } from '../core/settings/page-settings';

// Send Guard's own errors, with where they happened. Every context (helpdesk tab, worker, pages) logs
// through here: always a console warning; with the setting on (Advanced → debug log), also a bounded
// list in storage.local that the options page shows. Zod-free: the helpdesk tab loads it.

/** The storage.local key of the debug log. */
export const DEBUG_LOG_KEY = 'debugLog';
/** Entries kept, the oldest dropped first. */
export const MAX_DEBUG_ENTRIES = 200;

export interface DebugEntry {
  at: number;
  /** The feature or the job that failed, e.g. `banner`, `status poll`. */
  where: string;
  /** The error's name and message, cut short: never reply text (nothing logged here holds any). */
  message: string;
  /** Where in Send Guard's code it was thrown (extension file names and lines). */
  stack?: string;
}

function entryOf(where: string, error: unknown, at: number): DebugEntry {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = error instanceof Error ? error.stack?.slice(0, 2000) : undefined;
  return { at, where: where.slice(0, 100), message: message.slice(0, 300), ...(stack ? { stack } : {}) };
}

/** Entries as stored, oldest first; anything that is not an entry is left out. */
export function readDebugLog(stored: unknown): DebugEntry[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(
    (e): e is DebugEntry =>
      typeof e === 'object' && e !== null && typeof e.at === 'number' && typeof e.where === 'string' && typeof e.message === 'string',
  );
}

// One append at a time in this context, so two errors in a row both land (two contexts writing in the
// same instant may keep only one of theirs: a debugging aid, not a record).
let writing: Promise<void> = Promise.resolve();

/**
 * Logs an error of Send Guard's own with where it happened: a console warning, and with the debug log
 * turned on an entry in it. Never throws; resolves when the entry is stored (or was not wanted).
 */
export function logError(where: string, error: unknown, now = Date.now()): Promise<void> {
  console.warn(`Send Guard: ${where}:`, error);
  const append = async () => {
    if (!(await isDebugLogOn())) return;
    const entries = readDebugLog((await browser.storage.local.get(DEBUG_LOG_KEY))[DEBUG_LOG_KEY]);
    await browser.storage.local.set({ [DEBUG_LOG_KEY]: [...entries, entryOf(where, error, now)].slice(-MAX_DEBUG_ENTRIES) });
  };
  writing = writing.then(append).catch((failure: unknown) => {
    // Storage itself failed (e.g. the extension was updated under this tab): the warning above has the error.
    console.warn('Send Guard: the debug log could not be written:', failure);
  });
  return writing;
}

/** A `.catch` handler that logs the error under `where` and answers `fallback` (what the caller goes on with). */
export function loggedAs<T>(where: string, fallback: T): (error: unknown) => T {
  return (error) => {
    void logError(where, error);
    return fallback;
  };
}

/** The stored entries, oldest first (the options page shows them). */
export async function loadDebugLog(): Promise<DebugEntry[]> {
  return readDebugLog((await browser.storage.local.get(DEBUG_LOG_KEY))[DEBUG_LOG_KEY]);
}

export async function clearDebugLog(): Promise<void> {
  await browser.storage.local.remove(DEBUG_LOG_KEY);
}
