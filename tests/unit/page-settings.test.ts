import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadPageSettings, readPageSettings, SETTINGS_KEY } from '@/core/settings/page-settings';
import { DEFAULT_SETTINGS, saveSettings } from '@/core/settings/settings';

// A helpdesk tab reads its profile choice and language without the settings schema: it must
// read exactly what the options page saved, and fall back to the defaults on anything else.
describe('loadPageSettings', () => {
  it('reads the profile and language the settings item saved', async () => {
    await saveSettings({ ...DEFAULT_SETTINGS, profile: 'chatwoot', language: 'de' });
    expect(await loadPageSettings()).toEqual({ profile: 'chatwoot', language: 'de' });
  });

  it('reads a custom profile choice written by the first settings version', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: { profile: 'custom', customProfile: '{}' } });
    expect(await loadPageSettings()).toEqual({ profile: 'custom', language: 'auto' });
  });

  it('gives the defaults when nothing is stored', async () => {
    expect(await loadPageSettings()).toEqual({ profile: 'auto', language: 'auto' });
  });
});

describe('readPageSettings', () => {
  it.each([
    ['a string', 'zendesk'],
    ['null', null],
    ['an array', ['custom']],
    ['an unknown profile and language', { profile: 'freshdesk', language: 'fr' }],
    ['values of the wrong type', { profile: 1, language: true }],
  ])('falls back to the defaults for %s', (_label, stored) => {
    expect(readPageSettings(stored)).toEqual({ profile: 'auto', language: 'auto' });
  });

  it('keeps a valid value beside an invalid one', () => {
    expect(readPageSettings({ profile: 'zendesk', language: 'xx' })).toEqual({ profile: 'zendesk', language: 'auto' });
  });
});
