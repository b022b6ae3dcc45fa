import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadEffectiveSettings } from '@/core/settings/effective-settings';
import { DEFAULT_SETTINGS, type Settings, saveSettings } from '@/core/settings/settings';
import { checkNumber, checkOrigin, checkPageId } from '@/core/settings/settings-form';
import { exportSettings, mergeManaged, parseManaged, parseSettingsFile, planImport } from '@/core/settings/settings-io';
import { customProfileFrom } from '@/profiles/custom-profile';
import type { SelectorCheck } from '@/profiles/profile';
import { zendeskProfile } from '@/profiles/zendesk';
import { formatMessage } from '@/utils/i18n';

// Issue 6: settings crossing boundaries (an exported file, an admin's policy) and the form's field checks.

const HOUR = 3600_000;
const acme = { helpdeskOrigin: 'https://acme.zendesk.com', channel: 'messenger' as const, pageId: '104857600123456' };
const local: Settings = {
  ...DEFAULT_SETTINGS,
  autoRetry: false,
  pageMappings: [acme],
  status: { ...DEFAULT_SETTINGS.status, customStatuspages: ['https://status.acme.com'] },
  alerts: { notifications: true, webhookFormat: 'slack', webhookUrl: 'https://hooks.acme.com/own' },
};
// Only syntax matters here; the browser's own parser checks selectors in the options page.
const anySelector: SelectorCheck = () => null;

describe('managed settings', () => {
  it('puts every managed value over the local one and keeps the rest', () => {
    const { managed, rejected } = parseManaged({
      pageMappings: [{ helpdeskOrigin: 'https://corp.zendesk.com', channel: 'instagram', pageId: '17841400000000001' }],
      customStatuspages: ['https://status.corp.com'],
      webhookUrl: 'https://hooks.corp.com/it',
      webhookFormat: 'json',
      autoRetry: true,
      retentionDoneHours: 2,
      retentionMaxAgeHours: 48,
    });
    expect(rejected).toEqual([]);
    const merged = mergeManaged(local, managed);
    expect(merged.pageMappings).toEqual([
      { helpdeskOrigin: 'https://corp.zendesk.com', channel: 'instagram', pageId: '17841400000000001' },
    ]);
    expect(merged.status.customStatuspages).toEqual(['https://status.corp.com']);
    expect(merged.alerts).toEqual({ notifications: true, webhookFormat: 'json', webhookUrl: 'https://hooks.corp.com/it' });
    expect(merged.autoRetry).toBe(true);
    // The tombstone horizon is no policy field: the agent's own stays.
    expect(merged.retention).toEqual({ doneMs: 2 * HOUR, maxAgeMs: 48 * HOUR, tombstoneMs: local.retention.tombstoneMs });
    expect(merged.detector).toEqual(local.detector);
    expect(merged.profile).toBe(local.profile);
  });

  it('with no policy, the local settings run unchanged', () => {
    expect(mergeManaged(local, parseManaged(undefined).managed)).toEqual(local);
    expect(mergeManaged(local, parseManaged({}).managed)).toEqual(local);
  });

  it('drops a bad policy field (and names it) but still applies the good ones', () => {
    const { managed, rejected } = parseManaged({
      pageMappings: [{ ...acme, pageId: 'not-a-number' }],
      autoRetry: true,
      webhookUrl: 'http://x',
    });
    expect(rejected.sort()).toEqual(['pageMappings', 'webhookUrl']);
    const merged = mergeManaged(local, managed);
    expect(merged.pageMappings).toEqual([acme]);
    expect(merged.alerts.webhookUrl).toBe('https://hooks.acme.com/own');
    expect(merged.autoRetry).toBe(true);
  });

  it('loadEffectiveSettings puts the admin’s storage.managed values over the stored ones', async () => {
    await saveSettings(local);
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockImplementation(async () => ({ autoRetry: true, retentionDoneHours: 3 }));
    expect(await loadEffectiveSettings()).toEqual({ ...local, autoRetry: true, retention: { ...local.retention, doneMs: 3 * HOUR } });
    vi.restoreAllMocks();
  });

  it('loadEffectiveSettings falls back to local settings when storage.managed throws', async () => {
    await saveSettings(local);
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockRejectedValue(new Error('Managed storage manifest not found'));
    expect(await loadEffectiveSettings()).toEqual(local);
    vi.restoreAllMocks();
  });
});

describe('import and export', () => {
  it('an exported file imports back to the same settings', () => {
    const withProfile: Settings = {
      ...local,
      profile: 'custom',
      customProfile: JSON.stringify(customProfileFrom(zendeskProfile)),
      language: 'de',
    };
    expect(parseSettingsFile(exportSettings(withProfile, { includeSecrets: true }), anySelector)).toEqual({
      ok: true,
      settings: withProfile,
    });
  });

  it('leaves the webhook address (a secret) out of an export unless asked', () => {
    expect(exportSettings(local)).not.toContain('hooks.acme.com');
    expect(exportSettings(local, { includeSecrets: true })).toContain('https://hooks.acme.com/own');
    const result = parseSettingsFile(exportSettings(local), anySelector);
    expect(result.ok && result.settings.alerts).toEqual({ notifications: true, webhookFormat: 'slack' });
  });

  it('refuses a file that is not JSON', () => {
    const result = parseSettingsFile('{"sendGuardSettings": 3,', anySelector);
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ ok: false, issues: [{ kind: 'not_json' }] });
  });

  it('refuses a bad field and says which one', () => {
    const file = JSON.parse(exportSettings(local)) as { settings: { pageMappings: { pageId: string }[] } };
    const first = file.settings.pageMappings[0];
    if (first) first.pageId = 'facebook.com/acme';
    const result = parseSettingsFile(JSON.stringify(file), anySelector);
    expect(result).toMatchObject({ ok: false, issues: [{ path: 'settings.pageMappings.0.pageId', kind: 'invalid_value' }] });
    if (!result.ok) expect(result.issues[0]?.detail).toContain('a Page id is a number');
  });

  it('refuses a file that is not a Send Guard settings file', () => {
    expect(parseSettingsFile(JSON.stringify(local), anySelector)).toEqual({
      ok: false,
      issues: [{ path: '', kind: 'not_settings_file', detail: '' }],
    });
  });

  it('refuses a custom profile that does not pass the profile check', () => {
    const text = exportSettings({ ...local, profile: 'custom', customProfile: '{"ticketPath": "/t/(\\\\d+)"}' });
    const result = parseSettingsFile(text, anySelector);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues.every((i) => i.kind === 'custom_profile' && i.path.startsWith('settings.customProfile'))).toBe(true);
    expect(parseSettingsFile(exportSettings({ ...local, profile: 'custom' }), anySelector)).toMatchObject({
      ok: false,
      issues: [{ path: 'settings.customProfile', kind: 'custom_profile' }],
    });
  });
});

describe('import preview', () => {
  it('lists every change before anything is saved', () => {
    const imported: Settings = { ...local, autoRetry: true, retention: { ...local.retention, maxAgeMs: 2 * HOUR } };
    const plan = planImport(local, imported);
    expect(plan.changes).toEqual([
      { path: 'autoRetry', before: 'false', after: 'true' },
      { path: 'retention.maxAgeMs', before: String(local.retention.maxAgeMs), after: String(2 * HOUR) },
    ]);
    expect(plan.settings.autoRetry).toBe(true);
    expect(planImport(local, local).changes).toEqual([]);
  });

  it("a list that gains entries shows those entries, and a list emptied shows each entry going, never also '[] → —'", () => {
    const mapping = { helpdeskOrigin: 'https://acme.zendesk.com', channel: 'messenger' as const, pageId: '104857600123456' };
    const empty: Settings = { ...local, pageMappings: [] };
    const one: Settings = { ...local, pageMappings: [mapping] };
    expect(planImport(empty, one).changes).toEqual([
      { path: 'pageMappings.0.channel', before: '', after: 'messenger' },
      { path: 'pageMappings.0.helpdeskOrigin', before: '', after: 'https://acme.zendesk.com' },
      { path: 'pageMappings.0.pageId', before: '', after: '104857600123456' },
    ]);
    expect(planImport(one, empty).changes.map((c) => [c.path, c.after])).toEqual([
      ['pageMappings.0.channel', ''],
      ['pageMappings.0.helpdeskOrigin', ''],
      ['pageMappings.0.pageId', ''],
    ]);
  });

  it('never takes status pages from a file: they come only through the options page and its permission prompt', () => {
    const hostile: Settings = {
      ...local,
      status: {
        ...local.status,
        customStatuspages: ['http://status.evil.example'],
        sources: [{ id: 'meta', provider: 'Meta', format: 'meta-orgs', url: 'http://evil.example/orgs.json' } as never],
      },
    };
    const plan = planImport(local, hostile);
    expect(plan.ignored).toEqual(['status.sources', 'status.customStatuspages']);
    expect(plan.settings.status.customStatuspages).toEqual(['https://status.acme.com']);
    expect(plan.settings.status.sources).toBeUndefined();
    expect(plan.changes).toEqual([]);
  });

  it('a file exported without secrets keeps the webhook address in force', () => {
    const file = parseSettingsFile(exportSettings({ ...local, autoRetry: true }), anySelector);
    if (!file.ok) throw new Error('export did not import');
    const plan = planImport(local, file.settings);
    expect(plan.settings.alerts.webhookUrl).toBe('https://hooks.acme.com/own');
    expect(plan.changes.map((c) => c.path)).toEqual(['autoRetry']);
  });
});

describe('options form fields', () => {
  it('accepts a helpdesk address only without a path', () => {
    expect(checkOrigin('https://acme.zendesk.com/')).toEqual({ ok: true, value: 'https://acme.zendesk.com' });
    expect(checkOrigin('https://acme.zendesk.com/agent')).toEqual({ ok: false, error: 'optionsErrOrigin' });
    expect(checkOrigin('acme')).toEqual({ ok: false, error: 'optionsErrOrigin' });
  });

  it('accepts a Page ID of digits only', () => {
    expect(checkPageId(' 104857600123456 ')).toEqual({ ok: true, value: '104857600123456' });
    expect(checkPageId('acme-page')).toEqual({ ok: false, error: 'optionsErrPageId' });
  });

  it('reads numbers in the form’s units and refuses what the schema refuses', () => {
    expect(checkNumber('windowMs', '5')).toEqual({ ok: true, value: 5 * 60_000 });
    expect(checkNumber('maxAgeMs', '7')).toEqual({ ok: true, value: 7 * 24 * HOUR });
    expect(checkNumber('degradedFailures', '0')).toEqual({ ok: false, error: 'optionsErrWhole' });
    expect(checkNumber('doneMs', '1.5')).toEqual({ ok: false, error: 'optionsErrHours' });
    expect(checkNumber('activeIntervalMin', '61')).toEqual({ ok: false, error: 'optionsErrActiveInterval' });
    expect(checkNumber('idleIntervalMin', '240')).toEqual({ ok: true, value: 240 });
  });
});

describe('language override substitution', () => {
  const entry = {
    message: '$p1$-Antworten schlagen hier seit $p2$ ($P3$ UTC) fehl. 100 $$',
    placeholders: { p1: { content: '$1' }, p2: { content: '$2' }, p3: { content: '$3' } },
  };

  it('fills placeholders like Chrome does (names case-insensitive, $$ is a dollar)', () => {
    expect(formatMessage(entry, ['Messenger', '14:02', '13:02'])).toBe(
      'Messenger-Antworten schlagen hier seit 14:02 (13:02 UTC) fehl. 100 $',
    );
  });

  it('takes one string as the first substitution and leaves missing ones empty', () => {
    expect(formatMessage(entry, 'Instagram')).toBe('Instagram-Antworten schlagen hier seit  ( UTC) fehl. 100 $');
  });

  it('does not expand placeholders inside a substitution', () => {
    expect(formatMessage({ message: 'Hi $name$', placeholders: { name: { content: '$1' } } }, '$1 $name$')).toBe('Hi $1 $name$');
  });
});
