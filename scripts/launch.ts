import { mkdtempSync } from 'node:fs';
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
}): Promise<LaunchedExtension> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  const userDataDir = options.userDataDir ?? mkdtempSync(path.join(tmpdir(), 'send-guard-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: options.headless,
    args: [...CHROMIUM_ARGS, ...(options.args ?? []), `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
    viewport: { width: 1280, height: 860 },
    ...(options.env ? { env: { ...process.env, ...options.env } as Record<string, string> } : {}),
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return { context, extensionId, worker, userDataDir };
}
