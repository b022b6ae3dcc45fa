import type { Page, Worker } from '@playwright/test';

/** One channel's detector state as the background stores it (`health:v1` in storage.local). */
export interface StoredHealth {
  level: 'operational' | 'degraded' | 'outage';
  cause?: string;
  since?: number;
  events: { at: number; outcome: string; errorClass?: string; conversation: string }[];
}

/** Reads the detector's per-channel state straight from the service worker's storage. */
export async function readHealth(worker: Worker): Promise<Record<string, StoredHealth | undefined>> {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };
    };
    return ((await chrome.storage.local.get('health:v1'))['health:v1'] ?? {}) as never;
  });
}

/** What the page saw, with the page's own clock: when each outbound reply turned failed, and every banner change. */
export interface ProbeLog {
  failed: Record<string, number>;
  banner: { at: number; health: string; kept: string }[];
}

/**
 * Installs a MutationObserver in the page (main world) that timestamps failure markers
 * (`data-delivery-status="failed"`) and every change of the banner's health and kept lines,
 * inside its open shadow root. Measures only; it changes nothing on the page.
 */
export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __sendGuardProbe?: ProbeLog };
    if (w.__sendGuardProbe) return;
    const probe: ProbeLog = { failed: {}, banner: [] };
    w.__sendGuardProbe = probe;
    const watched = new WeakSet<ShadowRoot>();
    const options = { subtree: true, childList: true, attributes: true, characterData: true };
    let last = '|';
    const observer = new MutationObserver(() => check());
    function check() {
      const now = Date.now();
      for (const article of document.querySelectorAll('[type="agent"][data-delivery-status="failed"][data-message-id]')) {
        const id = article.getAttribute('data-message-id') ?? '';
        if (!(id in probe.failed)) probe.failed[id] = now;
      }
      const root = document.querySelector('send-guard-banner')?.shadowRoot;
      if (root && !watched.has(root)) {
        watched.add(root);
        observer.observe(root, options);
      }
      const health = root?.querySelector('.sg-health')?.textContent ?? '';
      const kept = root?.querySelector('[data-testid="send-guard-kept"]')?.textContent ?? '';
      if (`${health}|${kept}` !== last) {
        last = `${health}|${kept}`;
        probe.banner.push({ at: now, health, kept });
      }
    }
    observer.observe(document, options);
    check();
  });
}

export async function readProbe(page: Page): Promise<ProbeLog> {
  return page.evaluate(() => (window as unknown as { __sendGuardProbe: ProbeLog }).__sendGuardProbe);
}

/** Milliseconds from a reply's failure marker to the first banner state whose health line contains `wording`. */
export function markerToBanner(log: ProbeLog, messageId: string, wording: string): number | null {
  const failedAt = log.failed[messageId];
  if (failedAt === undefined) return null;
  const shown = log.banner.find((entry) => entry.at >= failedAt && entry.health.includes(wording));
  return shown ? shown.at - failedAt : null;
}
