import { describe, expect, it } from 'vitest';
import {
  checkCustomDomain,
  checkZendeskSubdomain,
  diffDomainScripts,
  domainScripts,
  hostAccessStillUsed,
  matchPatternFor,
  zendeskPageAllowed,
} from '@/core/settings/helpdesk-domains';
import { DEFAULT_SETTINGS, type Settings } from '@/core/settings/settings';
import { exportSettings, mergeManaged, parseManaged, parseSettingsFile } from '@/core/settings/settings-io';

// Options page, helpdesk domains: what a typed address becomes, which scripts a granted domain
// gets, and the fields in export/import and the admin's policy.

// The content scripts of the built manifest (chrome-mv3, in the order WXT writes them).
const MANIFEST_SCRIPTS = [
  {
    matches: ['https://*.zendesk.com/agent/*'],
    run_at: 'document_start',
    js: ['content-scripts/helpdesk-network.js'],
    world: 'MAIN',
  },
  { matches: ['https://*.zendesk.com/agent/*'], run_at: 'document_idle', js: ['content-scripts/helpdesk.js'] },
];

describe('a custom helpdesk domain as typed', () => {
  it('keeps the origin only, lowercase, without a trailing slash', () => {
    expect(checkCustomDomain(' https://Help.Example.com/ ')).toEqual({ ok: true, value: 'https://help.example.com' });
    expect(checkCustomDomain('https://help.example.com:8443')).toEqual({ ok: true, value: 'https://help.example.com:8443' });
    expect(checkCustomDomain('https://help.example.com:443')).toEqual({ ok: true, value: 'https://help.example.com' });
    expect(checkCustomDomain('https://*.support.example.com')).toEqual({ ok: true, value: 'https://*.support.example.com' });
  });

  it('refuses a path, a query, a wildcard inside the name, a bare name or a user name', () => {
    for (const text of [
      'https://help.example.com/agent',
      'https://help.example.com/?x=1',
      'https://help.*.example.com',
      'help.example.com',
      'https://user@help.example.com',
      'https://localhost',
      '',
    ]) {
      expect(checkCustomDomain(text), text).toEqual({ ok: false, reason: 'format' });
    }
  });

  it('asks for https, and sends Zendesk addresses to the subdomain list', () => {
    expect(checkCustomDomain('http://help.example.com')).toEqual({ ok: false, reason: 'https' });
    expect(checkCustomDomain('ftp://help.example.com')).toEqual({ ok: false, reason: 'https' });
    // Plain http on loopback is for the sandbox build only.
    expect(checkCustomDomain('http://localhost:4870')).toEqual({ ok: false, reason: 'https' });
    expect(checkCustomDomain('https://acme.zendesk.com')).toEqual({ ok: false, reason: 'zendesk' });
    expect(checkCustomDomain('https://*.zendesk.com')).toEqual({ ok: false, reason: 'zendesk' });
  });

  it('asks for access per host: the port is left out of the match pattern', () => {
    expect(matchPatternFor('https://help.example.com')).toBe('https://help.example.com/*');
    expect(matchPatternFor('https://help.example.com:8443')).toBe('https://help.example.com/*');
    expect(matchPatternFor('https://*.support.example.com')).toBe('https://*.support.example.com/*');
    expect(matchPatternFor('http://localhost:4870')).toBe('http://localhost/*');
  });
});

describe('Zendesk subdomains', () => {
  it('reads the label from a subdomain, a host name or an address', () => {
    for (const text of ['acme', 'ACME.zendesk.com', 'https://acme.zendesk.com/agent/tickets/1']) {
      expect(checkZendeskSubdomain(text)).toEqual({ ok: true, value: 'acme' });
    }
    expect(checkZendeskSubdomain('acme corp')).toEqual({ ok: false });
    expect(checkZendeskSubdomain('-acme')).toEqual({ ok: false });
  });

  it('with a list, only the listed Zendesk accounts are served; other helpdesks are untouched', () => {
    const settings = { zendeskSubdomains: ['acme'] };
    expect(zendeskPageAllowed('https://acme.zendesk.com/agent/tickets/1', settings)).toBe(true);
    expect(zendeskPageAllowed('https://other.zendesk.com/agent/tickets/1', settings)).toBe(false);
    expect(zendeskPageAllowed('https://help.example.com/agent/tickets/1', settings)).toBe(true);
    expect(zendeskPageAllowed('https://other.zendesk.com/agent/tickets/1', { zendeskSubdomains: [] })).toBe(true);
    expect(zendeskPageAllowed('https://other.zendesk.com/agent/tickets/1', {})).toBe(true);
  });
});

describe('scripts for granted custom domains', () => {
  it('registers the manifest’s own helpdesk scripts, same files, run_at and world, on each granted domain', () => {
    const scripts = domainScripts(MANIFEST_SCRIPTS, ['https://help.example.com/*']);
    expect(scripts).toEqual([
      {
        id: 'helpdesk-domain https://help.example.com/* content-scripts/helpdesk-network.js',
        js: ['content-scripts/helpdesk-network.js'],
        matches: ['https://help.example.com/*'],
        runAt: 'document_start',
        world: 'MAIN',
        allFrames: false,
        persistAcrossSessions: true,
      },
      {
        id: 'helpdesk-domain https://help.example.com/* content-scripts/helpdesk.js',
        js: ['content-scripts/helpdesk.js'],
        matches: ['https://help.example.com/*'],
        runAt: 'document_idle',
        world: 'ISOLATED',
        allFrames: false,
        persistAcrossSessions: true,
      },
    ]);
  });

  it('diffs against what is registered: nothing to do when equal, stale ones replaced, others’ scripts left alone', () => {
    const wanted = domainScripts(MANIFEST_SCRIPTS, ['https://help.example.com/*']);
    const asRegistered = wanted.map(({ persistAcrossSessions: _p, ...s }) => s);
    expect(diffDomainScripts(asRegistered, wanted)).toEqual({ unregister: [], register: [] });

    const renamed = asRegistered.map((s) => (s.world === 'MAIN' ? { ...s, js: ['content-scripts/old.js'] } : s));
    const diff = diffDomainScripts([...renamed, { id: 'someone-else', js: ['x.js'] }], wanted);
    expect(diff.unregister).toEqual([wanted[0]?.id]);
    expect(diff.register).toEqual([wanted[0]]);

    // A domain no longer granted (or removed from the settings): both its scripts go.
    expect(diffDomainScripts(asRegistered, [])).toEqual({ unregister: wanted.map((s) => s.id), register: [] });
  });

  it('offers to withdraw a host’s access only when no status page, webhook or other domain uses it', () => {
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      customHelpdeskDomains: ['https://help.example.com'],
      status: { ...DEFAULT_SETTINGS.status, customStatuspages: ['https://status.example.org'] },
    };
    expect(hostAccessStillUsed(settings, 'https://help.example.com/*', 'https://help.example.com')).toBe(false);
    expect(hostAccessStillUsed(settings, 'https://status.example.org/*', 'https://status.example.org')).toBe(true);
  });
});

describe('helpdesk domains in the settings file and the admin’s policy', () => {
  const anySelector = () => null;
  const own: Settings = { ...DEFAULT_SETTINGS, zendeskSubdomains: ['acme'], customHelpdeskDomains: ['https://help.example.com'] };

  it('an exported file carries them and imports back the same', () => {
    expect(parseSettingsFile(exportSettings(own), anySelector)).toEqual({ ok: true, settings: own });
  });

  it('a file with a bad domain is refused as a whole, naming the field', () => {
    const file = JSON.parse(exportSettings(own)) as { settings: Record<string, unknown> };
    file.settings.customHelpdeskDomains = ['https://help.example.com/agent'];
    file.settings.autoRetry = true;
    const result = parseSettingsFile(JSON.stringify(file), anySelector);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual(['settings.customHelpdeskDomains.0']);
  });

  it('managed domains are added to the agent’s own; managed subdomains replace the agent’s list', () => {
    const { managed, rejected } = parseManaged({
      customHelpdeskDomains: ['https://desk.corp.example', 'https://help.example.com'],
      zendeskSubdomains: ['corp'],
    });
    expect(rejected).toEqual([]);
    const merged = mergeManaged(own, managed);
    expect(merged.customHelpdeskDomains).toEqual(['https://desk.corp.example', 'https://help.example.com']);
    expect(merged.zendeskSubdomains).toEqual(['corp']);
  });

  it('a bad managed domain list is dropped and named; the agent’s own list stays', () => {
    const { managed, rejected } = parseManaged({ customHelpdeskDomains: ['http://desk.corp.example'], autoRetry: true });
    expect(rejected).toEqual(['customHelpdeskDomains']);
    expect(mergeManaged(own, managed)).toEqual({ ...own, autoRetry: true });
  });
});
