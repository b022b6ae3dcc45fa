import path from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { iconMap, writeIcons } from './scripts/icons';

// The sandbox (a local replica helpdesk) is only reachable in builds made for it.
const SANDBOX_MATCH = 'http://127.0.0.1/*';
// The same sandbox under another origin, for testing a custom helpdesk domain: optional, never static.
const SANDBOX_CUSTOM_DOMAIN = 'http://localhost/*';

export default defineConfig({
  // Separate output folders let parallel builds (e.g. a benchmark beside the tests) not collide.
  outDir: process.env.SEND_GUARD_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  // The code imports what it uses explicitly; nothing arrives by auto-import.
  imports: false,
  // The sources zip (for Firefox review) holds what builds the extension, not local run output.
  zip: { excludeSources: ['artifacts/**', 'docs/**', 'test-results/**', 'playwright-report/**', 'bench/results*.json', '.output*/**'] },
  vite: () => ({ plugins: [preact()] }),
  // Firefox too runs MV3 (128+: main-world content scripts, storage.session), like Chrome.
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            // Nothing is collected or sent to us: replies stay in this browser (see README, Privacy).
            // 140 / 142 (Android): the first versions that read data_collection_permissions.
            gecko: { id: 'send-guard@send-guard.dev', strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {
          // Admins push page mappings, status pages, webhook, auto-retry and retention by enterprise policy
          // (core/settings/settings-io.ts ManagedSettings). Firefox reads policies without a schema in the manifest.
          storage: { managed_schema: 'managed-schema.json' },
        }),
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // storage: the queue's settings; alarms: lease expiry and retention without timers in the worker.
    // notifications: the opt-in alert at an incident's start and end.
    // scripting: the helpdesk scripts registered at run time on custom helpdesk domains the user allowed.
    permissions: ['storage', 'alarms', 'notifications', 'scripting'],
    // Meta's status data, polled by default (core/status/sources.ts); Zendesk's status API
    // (status.zendesk.com) is already covered by the helpdesk match.
    host_permissions: ['https://*.zendesk.com/*', 'https://metastatus.com/*'],
    // Asked for one origin at a time, only when the user adds a status page, a team webhook or a custom helpdesk domain.
    optional_host_permissions: ['https://*/*'],
    // PNGs rendered from assets/icon.svg at build time (hooks below, scripts/icons.ts).
    icons: iconMap(),
    action: { default_title: '__MSG_extName__', default_icon: iconMap() },
    // Not in private windows: a private window promises to leave nothing behind, and Send Guard keeps
    // replies on disk. Shared with the regular profile ("spanning") it would keep them there; split,
    // they would vanish with the window. Neither is honest, so it does not run there (README, Privacy).
    incognito: 'not_allowed',
  }),
  hooks: {
    'build:publicAssets': (wxt, files) => {
      // Rendered into WXT's own generated folder, then copied into the package like a public file.
      for (const icon of writeIcons(path.join(wxt.config.wxtDir, 'icons'))) files.push(icon);
    },
    'vite:build:extendConfig': (entrypoints, config) => {
      // Content scripts run only in MV3 browsers, whose `chrome.*` (Chrome) and `browser.*` (Firefox)
      // return promises natively: they get WXT's plain `browser` instead of the polyfill, 9 KB less
      // in every helpdesk tab. Their message listeners answer through sendResponse, which both support.
      if (!entrypoints.every((entrypoint) => entrypoint.type === 'content-script')) return;
      config.resolve ??= {};
      const aliases = config.resolve.alias ?? [];
      const list = Array.isArray(aliases) ? aliases : Object.entries(aliases).map(([find, replacement]) => ({ find, replacement }));
      config.resolve.alias = [{ find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' }, ...list.filter((a) => a.find !== 'wxt/browser')];
    },
    'build:manifestGenerated': (wxt, manifest) => {
      if (wxt.config.mode !== 'sandbox') return;
      manifest.host_permissions = [...(manifest.host_permissions ?? []), SANDBOX_MATCH];
      manifest.optional_host_permissions = [...(manifest.optional_host_permissions ?? []), SANDBOX_CUSTOM_DOMAIN];
      for (const script of manifest.content_scripts ?? []) {
        script.matches = [...(script.matches ?? []), SANDBOX_MATCH];
      }
    },
  },
});
