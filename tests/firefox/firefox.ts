import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import type { StoredReply } from '../e2e/harness';

// Firefox ESR with the sandbox build for Firefox installed, driven over WebDriver BiDi.

export const FIREFOX_EXTENSION_DIR = path.resolve(
  import.meta.dirname,
  '../..',
  process.env.SEND_GUARD_OUT_DIR ?? '.output',
  'firefox-mv3-sandbox',
);
export const GECKO_ID = 'send-guard@send-guard.dev';

export function findFirefox(): string {
  const candidates = [process.env.SEND_GUARD_FIREFOX, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('Firefox not found: install it (`sudo apt-get install -y firefox-esr`) or set SEND_GUARD_FIREFOX.');
  return found;
}

export async function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    defaultViewport: { width: 1280, height: 860 },
    extraPrefsFirefox: {
      // permissions.request() answers without the doorhanger a headless run cannot click; the
      // request itself still needs the page's user gesture (a real click here).
      'extensions.webextOptionalPermissionPrompts': false,
    },
  });
}

/** The page whose document (not puppeteer's cached URL, which misses extension tabs) is at `suffix`. */
export async function findPage(browser: Browser, test: (href: string) => boolean): Promise<Page | null> {
  for (const page of await browser.pages()) {
    const href = await page.evaluate(() => location.href).catch(() => '');
    if (test(href)) return page;
  }
  return null;
}

/**
 * Answers every request to Business Suite with a local stub (no internet here), for any tab, and
 * records the URLs asked for. Raw BiDi: puppeteer's own interception is per page, and the handoff
 * opens a new one.
 */
export async function stubBusinessSuite(browser: Browser): Promise<string[]> {
  const connection = (browser as unknown as { connection: BidiConnection }).connection;
  const urls: string[] = [];
  const {
    result: { intercept },
  } = await connection.send('network.addIntercept', {
    phases: ['beforeRequestSent'],
    urlPatterns: [{ type: 'pattern', protocol: 'https', hostname: 'business.facebook.com' }],
  });
  connection.on('network.beforeRequestSent', (event: BeforeRequestSent) => {
    if (!event.isBlocked || !event.intercepts?.includes(intercept)) return;
    urls.push(event.request.url);
    void connection.send('network.provideResponse', {
      request: event.request.request,
      statusCode: 200,
      reasonPhrase: 'OK',
      headers: [{ name: 'content-type', value: { type: 'string', value: 'text/html' } }],
      body: { type: 'string', value: '<!doctype html><title>Meta Business Suite (stub)</title>' },
    });
  });
  return urls;
}

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: { intercept: string } }>;
  on(event: string, handler: (event: BeforeRequestSent) => void): void;
}
interface BeforeRequestSent {
  isBlocked: boolean;
  intercepts?: string[];
  request: { request: string; url: string };
}

/** The active ticket's workspace: the parent of the visible conversation log (several may be mounted). */
export async function activeWorkspace(page: Page): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(() => {
    const logs = [...document.querySelectorAll('[data-test-id="omni-log-container"]')];
    return logs.find((log) => log.checkVisibility())?.parentElement ?? null;
  });
  return handle as ElementHandle<Element>;
}

/** Types a reply into the active ticket's composer like an agent and presses Send. */
export async function sendReply(page: Page, text: string): Promise<void> {
  const workspace = await activeWorkspace(page);
  const composer = await workspace.waitForSelector('[data-test-id="omnicomposer-rich-text"]');
  await composer?.click();
  await page.keyboard.type(text);
  const send = await workspace.waitForSelector('[data-test-id="omnichannel-send-button"]');
  await send?.click();
}

/** The delivery status the helpdesk shows on the active ticket's outbound message with this text. */
export async function deliveryStatus(page: Page, text: string): Promise<string | null> {
  const workspace = await activeWorkspace(page);
  return workspace.evaluate((root, wanted) => {
    const messages = [...root.querySelectorAll('[data-test-id="omni-log-item-message"][type="agent"]')];
    const match = messages.filter((m) => m.querySelector('[data-test-id="omni-log-message-content"]')?.textContent?.includes(wanted));
    return match.at(-1)?.getAttribute('data-delivery-status') ?? null;
  }, text);
}

/** The queue as the extension stores it, read in one of its own pages (the extension's origin). */
export async function readQueue(extensionPage: Page): Promise<StoredReply[]> {
  // A string, not a function: the test runner's transform adds helpers a page does not have.
  return extensionPage.evaluate(`(async () => {
    const names = await indexedDB.databases();
    if (!names.some((db) => db.name === 'send-guard')) return [];
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('send-guard');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      return await new Promise((resolve, reject) => {
        const request = db.transaction('replies').objectStore('replies').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  })()`) as Promise<StoredReply[]>;
}
