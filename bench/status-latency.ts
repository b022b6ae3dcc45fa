// Provider-status latency, measured (not a test): from the detector's stored state turning `outage`
// (seen by a storage.onChanged listener in an extension page; its `since` is the episode's start, not
// the escalation) to (a) the banner in a ticket tab showing the outage line
// and (b) the toolbar badge turning the outage color. Real sends against the sandbox's fake Send API.
//
//   SEND_GUARD_OUT_DIR=.output-e npx wxt build --mode sandbox
//   SEND_GUARD_OUT_DIR=.output-e npx tsx bench/status-latency.ts [--episodes 20]
//
// Each episode: Send API down → replies fail on tickets 101 and 102 until the detector says outage →
// measure → Send API back → three delivered replies end the episode. All clocks: one machine.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startSandbox } from '../sandbox/server';
import { launchWithExtension } from '../scripts/launch';

const arg = process.argv.indexOf('--episodes');
const EPISODES = arg > 0 ? Number(process.argv[arg + 1]) : 20;
const OUT = path.resolve(import.meta.dirname, 'results-status.json');
const OUTAGE_WORDING = 'looks down';
const RED = '204,51,64,255';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? null : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function setMode(url: string, body: Record<string, unknown>) {
  await fetch(`${url}/__sandbox/mode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function send(page: Page, text: string, status: 'failed' | 'delivered') {
  await page.locator('[data-test-id="omnicomposer-rich-text"]').click();
  await page.keyboard.type(text);
  await page.locator('[data-test-id="omnichannel-send-button"]').click();
  await page
    .locator('[data-test-id="omni-log-item-message"][type="agent"]', { hasText: text })
    .last()
    .locator(`[data-status="${status}"]`)
    .waitFor({ timeout: 15_000 });
}

async function main() {
  const sandbox = await startSandbox({ port: 0 });
  const { context, extensionId } = await launchWithExtension({ headless: true });
  const ext = await context.newPage();
  await ext.goto(`chrome-extension://${extensionId}/popup.html`);
  await ext.evaluate('globalThis.__name = (fn) => fn');
  const open = async (id: string) => {
    const page = await context.newPage();
    await page.goto(`${sandbox.url}/agent/tickets/${id}`);
    await page.evaluate('globalThis.__name = (fn) => fn');
    // Page side: every change of the banner's health line, timestamped with the page's clock.
    await page.evaluate(`(() => {
      const log = (window.__sgHealth = []);
      let last = '';
      const check = () => {
        const text = document.querySelector('send-guard-banner')?.shadowRoot?.querySelector('.sg-health')?.textContent ?? '';
        if (text !== last) { last = text; log.push({ at: Date.now(), text }); }
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      setInterval(check, 5);
    })()`);
    return page;
  };
  const t101 = await open('101');
  const t102 = await open('102');
  const samples: { since: number; bannerMs: number | null; backgroundTabBannerMs: number | null; badgeMs: number | null }[] = [];

  for (let episode = 1; episode <= EPISODES; episode++) {
    // Extension page side: badge color sampled every 5 ms (there is no change event for it).
    await ext.evaluate(`(() => {
      window.__sgBadge = null;
      window.__sgOutage = null;
      if (!window.__sgListening) {
        window.__sgListening = true;
        chrome.storage.onChanged.addListener((changes, area) => {
          const next = changes['health:v1']?.newValue?.messenger?.level;
          const prev = changes['health:v1']?.oldValue?.messenger?.level;
          if (area === 'local' && next === 'outage' && prev !== 'outage' && window.__sgOutage === null) window.__sgOutage = Date.now();
        });
      }
      clearInterval(window.__sgBadgeTimer);
      window.__sgBadgeTimer = setInterval(async () => {
        const c = String(await chrome.action.getBadgeBackgroundColor({}));
        if (c === '${RED}' && window.__sgBadge === null) window.__sgBadge = Date.now();
      }, 5);
    })()`);
    // Ticket 101 is the agent's front tab; 102 stays open behind it (background tabs are throttled).
    await t101.bringToFront();
    await setMode(sandbox.url, { mode: 'outage', outageKind: 'code2' });
    let n = 0;
    let health: { level: string; since?: number } | undefined;
    while (n < 12) {
      n += 1;
      await send(n % 2 ? t101 : t102, `Episode ${episode}, failing reply ${n}.`, 'failed');
      await sleep(300);
      health = (await ext.evaluate(`chrome.storage.local.get('health:v1').then((r) => r['health:v1']?.messenger)`)) as typeof health;
      if (health?.level === 'outage') break;
    }
    if (health?.level !== 'outage') throw new Error(`episode ${episode}: no outage after ${n} failures`);
    const since = (await ext.evaluate('window.__sgOutage')) as number | null;
    if (since === null) throw new Error(`episode ${episode}: outage not seen by the storage listener`);
    const deadline = Date.now() + 10_000;
    let bannerAt: number | null = null;
    let backAt: number | null = null;
    let badgeAt: number | null = null;
    const shownAt = async (page: Page) =>
      ((await page.evaluate('window.__sgHealth')) as { at: number; text: string }[]).find(
        (e) => e.at >= since && e.text.includes(OUTAGE_WORDING),
      )?.at ?? null;
    while (Date.now() < deadline && (bannerAt === null || badgeAt === null || backAt === null)) {
      bannerAt = await shownAt(t101);
      backAt = await shownAt(t102);
      badgeAt = (await ext.evaluate('window.__sgBadge')) as number | null;
      await sleep(50);
    }
    samples.push({
      since,
      bannerMs: bannerAt === null ? null : bannerAt - since,
      backgroundTabBannerMs: backAt === null ? null : backAt - since,
      badgeMs: badgeAt === null ? null : badgeAt - since,
    });
    const last = samples.at(-1);
    console.log(
      `episode ${episode}: banner ${last?.bannerMs} ms (background tab ${last?.backgroundTabBannerMs}), badge ${last?.badgeMs} ms (${n} failures)`,
    );

    // End the episode: Send API back, three deliveries.
    await setMode(sandbox.url, { mode: 'healthy' });
    for (let i = 1; i <= 3; i++) await send(t101, `Episode ${episode}, delivered reply ${i}.`, 'delivered');
    // Wait until the episode is over everywhere: detector operational and the badge no longer red.
    for (let i = 0; i < 100; i++) {
      const h = (await ext.evaluate(`chrome.storage.local.get('health:v1').then((r) => r['health:v1']?.messenger)`)) as { level: string };
      const color = String(await ext.evaluate('chrome.action.getBadgeBackgroundColor({})'));
      if (h.level === 'operational' && color !== RED) break;
      await sleep(100);
    }
  }

  const banner = samples.flatMap((s) => (s.bannerMs === null ? [] : [s.bannerMs]));
  const badge = samples.flatMap((s) => (s.badgeMs === null ? [] : [s.badgeMs]));
  const back = samples.flatMap((s) => (s.backgroundTabBannerMs === null ? [] : [s.backgroundTabBannerMs]));
  const result = {
    episodes: samples.length,
    medianBannerMs: median(banner),
    medianBackgroundTabBannerMs: median(back),
    medianBadgeMs: median(badge),
    maxBannerMs: Math.max(...banner),
    maxBadgeMs: Math.max(...badge),
    missing: { banner: samples.length - banner.length, badge: samples.length - badge.length },
    samples,
  };
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ ...result, samples: undefined }));
  await context.close();
  await sandbox.close();
}

await main();
