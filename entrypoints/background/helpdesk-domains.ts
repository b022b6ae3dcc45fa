import { browser } from 'wxt/browser';
import { loadEffectiveSettings, watchEffectiveSettings } from '@/core/settings/effective-settings';
import {
  diffDomainScripts,
  domainScripts,
  matchPatternFor,
  type StaticContentScript,
  zendeskPageAllowed,
} from '@/core/settings/helpdesk-domains';
import { createSerialQueue } from '@/utils/serial';

// Custom helpdesk domains: the manifest's helpdesk scripts registered at run time on every domain
// in the settings whose host permission the user granted. Registered == granted custom domains.

const serial = createSerialQueue();
/** The settings the per-message Zendesk check reads: loaded once per change, not once per message. */
let tabSettings: ReturnType<typeof loadEffectiveSettings> | null = null;

/** Brings the registered scripts in line with the settings and the granted permissions; safe to call any time. */
export function reconcileDomainScripts(): Promise<void> {
  // One at a time: two overlapping runs would both register the same id ("Duplicate script ID").
  return serial(async () => {
    const settings = await loadEffectiveSettings();
    const patterns = (settings.customHelpdeskDomains ?? []).map(matchPatternFor);
    const granted: string[] = [];
    for (const pattern of new Set(patterns)) {
      if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
    }
    const staticScripts = (browser.runtime.getManifest().content_scripts ?? []) as StaticContentScript[];
    const wanted = domainScripts(staticScripts, granted);
    const { unregister, register } = diffDomainScripts(await browser.scripting.getRegisteredContentScripts(), wanted);
    if (unregister.length) await browser.scripting.unregisterContentScripts({ ids: unregister });
    if (register.length) await browser.scripting.registerContentScripts(register);
  });
}

/** Runs the reconciliation now and whenever what it depends on changes. Call synchronously at worker start. */
export function startDomainScripts(): void {
  const run = () => void reconcileDomainScripts().catch((error: unknown) => console.warn('Send Guard: custom domain scripts', error));
  browser.permissions.onAdded.addListener(run);
  browser.permissions.onRemoved.addListener(run);
  watchEffectiveSettings(() => {
    tabSettings = null;
    run();
  });
  run();
}

/**
 * The settings in force, as the per-message checks read them: loaded once per change of the
 * settings or the policy, not once per message (the failure path must not wait on storage).
 */
export function settingsForMessages(): ReturnType<typeof loadEffectiveSettings> {
  tabSettings ??= loadEffectiveSettings().catch((error: unknown) => {
    // Not cached: the next message reads storage again.
    tabSettings = null;
    throw error;
  });
  return tabSettings;
}

/** Whether the worker should serve a helpdesk tab at this URL (the Zendesk subdomain list, if any). */
export async function helpdeskTabAllowed(url: string | undefined): Promise<boolean> {
  // Settings are read only for Zendesk pages: no cost on every other helpdesk's messages.
  if (!url || !/^https:\/\/[^/]+\.zendesk\.com\//.test(url)) return true;
  return zendeskPageAllowed(url, await settingsForMessages());
}
