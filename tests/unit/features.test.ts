import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SETTINGS_KEY } from '@/core/settings/page-settings';
import { DEFAULT_SETTINGS, saveSettings } from '@/core/settings/settings';
import { HelpdeskPage, type TicketContext } from '@/entrypoints/helpdesk.content/page';
import { zendeskProfile } from '@/profiles/zendesk';
import { clearDebugLog, DEBUG_LOG_KEY, loadDebugLog, logError, MAX_DEBUG_ENTRIES } from '@/utils/debug-log';
import { startFeatures } from '@/utils/features';

const NOW = Date.UTC(2026, 11, 2, 20, 14);

let warnings: unknown[][] = [];
beforeEach(() => {
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const debugLogOn = (on: boolean) => saveSettings({ ...DEFAULT_SETTINGS, ...(on ? { debugLog: true } : {}) });

describe('the feature runner', () => {
  it('logs a feature that throws under its name, and still starts the ones after it', async () => {
    const started: string[] = [];
    await startFeatures([
      { name: 'reply-capture', init: () => void started.push('reply-capture') },
      {
        name: 'failure-watcher',
        init: () => {
          throw new TypeError("Cannot read properties of null (reading 'closest')");
        },
      },
      { name: 'banner', init: () => void started.push('banner') },
    ]);
    expect(started).toEqual(['reply-capture', 'banner']);
    expect(warnings).toEqual([['Send Guard: failure-watcher:', expect.objectContaining({ name: 'TypeError' })]]);
  });

  it('logs an async feature that fails later under its name, without holding up the next one', async () => {
    const started: string[] = [];
    let fail: (error: Error) => void = () => undefined;
    const running = startFeatures([
      { name: 'banner', init: () => new Promise<void>((_, reject) => (fail = reject)) },
      { name: 'ticket-context', init: () => void started.push('ticket-context') },
    ]);
    // The slow feature has not settled, and the next one runs already.
    expect(started).toEqual(['ticket-context']);
    fail(new Error('the language pack did not come'));
    await running;
    expect(warnings).toEqual([['Send Guard: banner:', expect.objectContaining({ message: 'the language pack did not come' })]]);
  });

  it('keeps the error in the debug log only while the setting is on', async () => {
    const failing = [
      {
        name: 'toast-watcher',
        init: () => {
          throw new RangeError('toast list too long');
        },
      },
    ];
    await debugLogOn(false);
    await startFeatures(failing);
    expect(await fakeBrowser.storage.local.get(DEBUG_LOG_KEY)).toEqual({});
    expect(warnings).toHaveLength(1);

    await debugLogOn(true);
    await startFeatures(failing);
    const entries = await loadDebugLog();
    expect(entries).toEqual([
      { at: expect.any(Number), where: 'toast-watcher', message: 'RangeError: toast list too long', stack: expect.any(String) },
    ]);
    expect(warnings).toHaveLength(2);
  });
});

describe('the debug log', () => {
  it('keeps the newest entries, and clears', async () => {
    await debugLogOn(true);
    for (let i = 0; i < MAX_DEBUG_ENTRIES + 5; i++) void logError('status poll', new Error(`HTTP ${500 + i}`), NOW + i);
    await logError('status poll', 'a string, not an Error', NOW + 999);
    const entries = await loadDebugLog();
    expect(entries).toHaveLength(MAX_DEBUG_ENTRIES);
    expect(entries[0]).toMatchObject({ at: NOW + 6, message: 'Error: HTTP 506' });
    expect(entries.at(-1)).toEqual({ at: NOW + 999, where: 'status poll', message: 'a string, not an Error' });
    await clearDebugLog();
    expect(await loadDebugLog()).toEqual([]);
  });

  it('never throws, even when storage does', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { debugLog: true } });
    vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValue(new Error('QUOTA_BYTES quota exceeded'));
    await expect(logError('banner', new Error('boom'))).resolves.toBeUndefined();
    expect(warnings.map((w) => w[0])).toEqual(['Send Guard: banner:', 'Send Guard: the debug log could not be written:']);
  });
});

describe("the helpdesk page's events", () => {
  it('reach every listener when one of them throws, and the throw is logged with the event', () => {
    const page = new HelpdeskPage(zendeskProfile, document);
    const signal = new AbortController().signal;
    const heard: string[] = [];
    page.addEventListener('ticket', () => heard.push('first'), { signal });
    page.addEventListener(
      'ticket',
      () => {
        throw new Error('banner could not draw');
      },
      { signal },
    );
    page.addEventListener('ticket', () => heard.push('last'), { signal });
    const ticket: TicketContext = { helpdeskOrigin: location.origin, ticketId: '101', channel: 'messenger' };
    page.setTicket(ticket);
    expect(heard).toEqual(['first', 'last']);
    expect(page.ticket).toBe(ticket);
    expect(warnings).toEqual([['Send Guard: page event "ticket":', expect.objectContaining({ message: 'banner could not draw' })]]);
  });
});
