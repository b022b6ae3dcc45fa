import { type BrowserContext, expect, type Page, type Worker } from '@playwright/test';
import { DEFAULT_DETECTOR_SETTINGS } from '../../core/health/detector';
import { DEFAULT_RETENTION } from '../../core/queue/retention';
import { DEFAULT_ALERT_SETTINGS, DEFAULT_STATUS_SETTINGS } from '../../core/status/settings';
import type { StatusSource } from '../../core/status/sources';
import { type StatusRequest, startSandbox } from '../../sandbox/server';
import { type LaunchedExtension, launchWithExtension } from '../../scripts/launch';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface SentMessage {
  recipient_id: string;
  text: string;
  message_id: string;
}

export async function setMode(sandbox: Sandbox, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/mode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
}

/** What the fake Send API accepted: the judge of "delivered exactly once". */
export async function sentLog(sandbox: Sandbox): Promise<SentMessage[]> {
  const response = await fetch(`${sandbox.url}/__sandbox/sent`);
  return (await response.json()) as SentMessage[];
}

export interface StoredReply {
  id: string;
  ticketId: string;
  channel: string;
  text: string;
  state: string;
  customerName?: string;
  pageId?: string;
  userId?: string;
  helpdeskOrigin: string;
  error: { errorClass: string; code?: number; subcode?: number; message?: string };
  attempts: { path: string; outcome: string }[];
}

/** Reads the queue straight from the extension's IndexedDB, in its service worker or an extension page. */
export async function readQueue(context: Worker | Page): Promise<StoredReply[]> {
  // Both evaluate in the extension's origin; one signature for both.
  const evaluate = context.evaluate.bind(context) as Worker['evaluate'];
  return evaluate(async () => {
    const names = await indexedDB.databases();
    // Opening a database that does not exist would create an empty one: look first.
    if (!names.some((db) => db.name === 'send-guard')) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('send-guard');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      return await new Promise<never[]>((resolve, reject) => {
        const request = db.transaction('replies').objectStore('replies').getAll();
        request.onsuccess = () => resolve(request.result as never[]);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  });
}

/**
 * The ticket workspace the agent sees: the sandbox helpdesk is a single-page app that keeps every
 * opened ticket's workspace mounted and hides the inactive ones.
 */
export function activeWorkspace(page: Page) {
  return page.locator('[data-side-conversations-anchor-id]').filter({ visible: true });
}

export function outboundMessage(page: Page, text: string) {
  return page.locator('[data-test-id="omni-log-item-message"][type="agent"]').filter({
    has: page.locator('[data-test-id="omni-log-message-content"]', { hasText: text }),
  });
}

/** Types a reply into the visible ticket's composer like an agent and presses Send. */
export async function sendReply(page: Page, text: string): Promise<void> {
  const workspace = activeWorkspace(page);
  await workspace.locator('[data-test-id="omnicomposer-rich-text"]').click();
  await page.keyboard.type(text);
  await workspace.locator('[data-test-id="omnichannel-send-button"]').click();
  await expect(outboundMessage(page, text).last()).toBeVisible();
}

export async function openTicket(context: BrowserContext, sandbox: Sandbox, id: string, query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/agent/tickets/${id}${query}`);
  await expect(activeWorkspace(page).locator('[data-test-id="omni-log-container"]')).toBeVisible();
  return page;
}

/** Opens (or switches to) a ticket inside the app, as an agent clicks it in a view or its tab: a history navigation. */
export async function switchTicket(page: Page, id: string): Promise<void> {
  const tab = page.locator(`[data-test-id="header-tab"][data-ticket-id="${id}"]`);
  if ((await tab.count()) > 0) await tab.click();
  else {
    await page.locator('[data-app-link="views"]').click();
    await page.locator(`[data-test-id="views-dashboard"] a[data-ticket-id="${id}"]`).click();
  }
  await expect(page).toHaveURL(new RegExp(`/agent/tickets/${id}(\\?|$)`));
  await expect(page.locator(`[data-side-conversations-anchor-id="${id}"] [data-test-id="omni-log-container"]`)).toBeVisible();
}

/** The Send Guard banner a person sees: the visible ticket's (other tickets' banners stay hidden in their workspaces). */
export function banner(page: Page) {
  return page.getByTestId('send-guard-banner').filter({ visible: true });
}

export interface Harness extends LaunchedExtension {
  sandbox: Sandbox;
  close(): Promise<void>;
}

/** No internet here: outside links land on a local stub that keeps the exact URL. */
export async function stubBusinessSuite(context: BrowserContext): Promise<void> {
  await context.route('https://business.facebook.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Meta Business Suite (stub)</title>' }),
  );
}

export async function startHarness(
  options: { env?: Record<string, string>; userDataDir?: string; extensionDir?: string } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0 });
  const launched = await launchWithExtension({ headless: true, ...options });
  await stubBusinessSuite(launched.context);
  return {
    ...launched,
    sandbox,
    async close() {
      await launched.context.close();
      await sandbox.close();
    },
  };
}

// The extension APIs the status helpers use inside an extension page (evaluated there, typed here).
declare const chrome: {
  storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
  runtime: { sendMessage(message: unknown): Promise<unknown> };
};

/** Sets what each of the sandbox's fake status pages answers (`auto`, `outage`, `hostile`, `html`, …). */
export async function forceStatus(sandbox: Sandbox, body: StatusRequest): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
}

/**
 * Points the status poller at the sandbox's status sources served from `origin` (the sandbox, or
 * a proxy in front of it; its port is new each run), through the stored settings. `page` is an
 * extension page. Also used by bench/run.ts.
 */
export async function pointStatusAt(
  page: Page,
  origin: string,
  patch: { activeIntervalMin?: number; notifications?: boolean } = {},
): Promise<void> {
  const defaults = {
    profile: 'auto',
    autoRetry: false,
    pageMappings: [],
    retention: DEFAULT_RETENTION,
    detector: DEFAULT_DETECTOR_SETTINGS,
    alerts: { ...DEFAULT_ALERT_SETTINGS, notifications: patch.notifications ?? DEFAULT_ALERT_SETTINGS.notifications },
  };
  const status = {
    ...DEFAULT_STATUS_SETTINGS,
    sources: sandboxSources(origin),
    activeIntervalMin: patch.activeIntervalMin ?? DEFAULT_STATUS_SETTINGS.activeIntervalMin,
  };
  await page.evaluate(
    async ({ defaults, status }) => {
      const stored = ((await chrome.storage.local.get('settings')).settings ?? {}) as Record<string, unknown>;
      await chrome.storage.local.set({ settings: { ...defaults, ...stored, status, alerts: defaults.alerts }, settings$: { v: 3 } });
    },
    { defaults, status },
  );
}

/** Points the status poller at this run's sandbox. */
export function pointStatusAtSandbox(page: Page, sandbox: Sandbox, patch?: Parameters<typeof pointStatusAt>[2]): Promise<void> {
  return pointStatusAt(page, sandbox.url, patch);
}

/** Asks the service worker to poll every status source now (from an extension page). */
export async function pollStatusNow(page: Page): Promise<void> {
  const answer = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'poll-status-now' }));
  expect(answer).toMatchObject({ ok: true });
}

/** The sandbox's fake status pages at a given origin (each test's sandbox has its own port). */
function sandboxSources(origin: string): StatusSource[] {
  return [
    {
      id: 'meta',
      provider: 'Meta',
      format: 'meta-orgs',
      url: `${origin}/status/meta/orgs.json`,
      // Ends in "/": the banner links to the affected org's page under it, as on metastatus.com.
      pageUrl: `${origin}/status/meta/`,
    },
    {
      id: 'zendesk',
      provider: 'Zendesk',
      format: 'zendesk-incidents',
      url: `${origin}/status/zendesk/api/incidents/active`,
      pageUrl: `${origin}/`,
    },
    { id: 'statuspage', provider: 'Meta', format: 'statuspage-summary', url: `${origin}/status/statuspage/api/v2/summary.json` },
  ];
}
