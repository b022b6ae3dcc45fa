import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { loadFallbackMessages, loadLanguageOverride, setLanguageOverride, t, uiLanguage } from '@/utils/i18n';

afterEach(() => setLanguageOverride(null));

describe('language override loaded through a loader (the content script asks the worker)', () => {
  it('uses the loaded German strings, with their placeholders', async () => {
    await loadLanguageOverride('de', async () => ({
      retryDelivered: { message: 'Zugestellt.' },
      popupTicket: { message: 'Ticket $p1$', placeholders: { p1: { content: '$1' } } },
    }));
    expect(uiLanguage()).toBe('de');
    expect(t('retryDelivered')).toBe('Zugestellt.');
    expect(t('popupTicket', '4711')).toBe('Ticket 4711');
  });

  it('keeps the browser language when the loader answers with something that is not a messages file', async () => {
    // An English override stands for "whatever was there before": a bad pack must not replace it.
    await loadLanguageOverride('en', async () => ({ retryDelivered: { message: 'Delivered.' } }));
    await loadLanguageOverride('de', async () => ({ retryDelivered: 'not an entry' }));
    expect(uiLanguage()).toBe('en');
    await loadLanguageOverride('de', async () => {
      throw new Error('worker restarting');
    });
    expect(uiLanguage()).toBe('en');
    expect(t('retryDelivered')).toBe('Delivered.');
  });
});

describe('fallback when getMessage answers "" (Chrome, a worker started with the browser)', () => {
  it('reads the browser language file once and fills notes from it; getMessage wins once it answers', async () => {
    vi.spyOn(browser.i18n, 'getUILanguage').mockReturnValue('de-AT');
    const getMessage = vi.spyOn(browser.i18n, 'getMessage').mockReturnValue('');
    const asked: string[] = [];
    const loader = async (language: string) => {
      asked.push(language);
      return {
        teamNoteAlsoFailing: {
          message: 'Fällt auch bei $p1$ aus seit $p2$ UTC, $p3$ Antworten aufbewahrt.',
          placeholders: { p1: { content: '$1' }, p2: { content: '$2' }, p3: { content: '$3' } },
        },
      };
    };
    await Promise.all([loadFallbackMessages(loader), loadFallbackMessages(loader)]);
    expect(asked).toEqual(['de']);
    expect(t('teamNoteAlsoFailing', ['Alex Kim', '20:14', '3'])).toBe(
      'Fällt auch bei Alex Kim aus seit 20:14 UTC, 3 Antworten aufbewahrt.',
    );
    // Not in the file either: the key, never a blank.
    expect(t('teamNoteKeptCode', ['a', 'b', 'c'])).toBe('teamNoteKeptCode');
    getMessage.mockReturnValue('Also failing for Alex Kim.');
    expect(t('teamNoteAlsoFailing', ['Alex Kim', '20:14', '3'])).toBe('Also failing for Alex Kim.');
    vi.restoreAllMocks();
  });
});
