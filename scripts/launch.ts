import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Worker } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './find-chromium';

export const EXTENSION_DIR = path.resolve(import.meta.dirname, '..', process.env.SEND_GUARD_OUT_DIR ?? '.output', 'chrome-mv3-sandbox');

export interface LaunchedExtension {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  userDataDir: string;
}

/** Opens Chromium with the built Send Guard loaded, on a profile that can be reopened. */
export async function launchWithExtension(options: {
  headless: boolean;
  userDataDir?: string;
  env?: Record<string, string>;
  /** Another copy of the built extension (tests that change its manifest); default EXTENSION_DIR. */
  extensionDir?: string;
  /** More Chromium flags (a test that maps a helpdesk host name to a local server). */
  args?: string[];
  /** Leave the first-run page open (it opens on install, i.e. on a new profile); by default it is closed. */
  keepOnboarding?: boolean;
}): Promise<LaunchedExtension> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  const userDataDir = options.userDataDir ?? mkdtempSync(path.join(tmpdir(), 'send-guard-profile-'));
  // A new profile installs the extension, which opens its first-run page in a tab.
  const installs = !existsSync(userDataDir) || readdirSync(userDataDir).length === 0;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: options.headless,
    args: [...CHROMIUM_ARGS, ...(options.args ?? []), `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
    viewport: { width: 1280, height: 860 },
    ...(options.env ? { env: { ...process.env, ...options.env } as Record<string, string> } : {}),
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  if (installs && !options.keepOnboarding) {
    // Waited for, then closed: tests count the pages they open, and a page that fails to open on install fails here.
    const isOnboarding = (page: { url(): string }) => page.url().endsWith('/onboarding.html');
    const onboarding =
      context.pages().find(isOnboarding) ?? (await context.waitForEvent('page', { predicate: isOnboarding, timeout: 30_000 }));
    await onboarding.close();
  }
  return { context, extensionId, worker, userDataDir };
}
