import { afterEach, describe, expect, it } from 'vitest';
import { loadLanguageOverride, setLanguageOverride, t, uiLanguage } from '@/utils/i18n';

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
