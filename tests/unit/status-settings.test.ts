import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, loadSettings, settingsItem } from '@/core/settings/settings';
import { DEFAULT_STATUS_SETTINGS } from '@/core/status/settings';
import { statuspageSourceFromUrl } from '@/core/status/sources';

describe('settings v3: status polling and alerts', () => {
  it('migrates a version 2 value, keeping every choice and adding polling every 2 / 10 minutes, alerts off', async () => {
    const v2 = {
      profile: 'zendesk',
      autoRetry: true,
      pageMappings: [{ helpdeskOrigin: 'https://acme.zendesk.com', channel: 'messenger', pageId: '104857600123456' }],
      retention: DEFAULT_SETTINGS.retention,
      detector: { ...DEFAULT_SETTINGS.detector, degradedFailures: 4 },
    };
    await fakeBrowser.storage.local.set({ settings: v2, settings$: { v: 2 } });
    await settingsItem.migrate();
    const loaded = await loadSettings();
    expect(loaded).toEqual({ ...v2, status: DEFAULT_STATUS_SETTINGS, alerts: { notifications: false, webhookFormat: 'slack' } });
    expect(loaded.status).toMatchObject({ activeIntervalMin: 2, idleIntervalMin: 10, customStatuspages: [] });
    expect(await settingsItem.getMeta()).toMatchObject({ v: 3 });
  });

  it('turns a user-added Statuspage URL into its summary endpoint, refusing other schemes', () => {
    expect(statuspageSourceFromUrl('https://status.example.com')).toMatchObject({
      url: 'https://status.example.com/api/v2/summary.json',
      provider: 'status.example.com',
      format: 'statuspage-summary',
    });
    expect(statuspageSourceFromUrl('https://status.example.com/api/v2/status.json')?.url).toBe(
      'https://status.example.com/api/v2/summary.json',
    );
    expect(statuspageSourceFromUrl('javascript:alert(1)')).toBeNull();
    expect(statuspageSourceFromUrl('not a url')).toBeNull();
  });
});
