// Diagnostic for bench item 2 (not part of `npm run bench`): where the page's extra main-thread
// time goes with the extension. Same heavy ticket and workload as run.ts, in the persistent-profile
// twin without the extension and in the extension browser, interleaved; a devtools.timeline trace
// of each workload, summed per event name on the renderer main thread.
//
//   SEND_GUARD_OUT_DIR=.output-bench npx tsx bench/trace-overhead.ts [--rounds 2] [--no-deliveries]
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import { startSandbox } from '../sandbox/server';
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium';
import { busyDay, fillLog } from './page-workloads';

process.env.SEND_GUARD_OUT_DIR ??= '.output-bench';
const { launchWithExtension } = await import('../scripts/launch');
const argv = process.argv.slice(2);
const roundsArg = argv.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(argv[roundsArg + 1]) : 2;
const DELIVERIES = !argv.includes('--no-deliveries');
const SHIM = 'globalThis.__name = (fn) => fn';
const NAMES = [
  'RunTask',
  'FunctionCall',
  'V8.Execute',
  'EventDispatch',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'HitTest',
  'MinorGC',
  'MajorGC',
  'ScheduleStyleRecalculation',
  'InvalidateLayout',
  'ParseAuthorStyleSheet',
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

async function traced(page: Page, seed: number) {
  const session = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => session.once('Tracing.tracingComplete', () => resolve()));
  await session.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8',
    transferMode: 'ReportEvents',
  });
  const result = await page.evaluate(busyDay, { mutations: 10_000, batch: 50, seed, deliveries: DELIVERIES });
  await sleep(500);
  await session.send('Tracing.end');
  await complete;
  await session.detach();
  // The renderer main thread(s): thread_name metadata "CrRendererMain".
  const main = new Set(events.filter((e) => e.ph === 'M' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const sums: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const e of events) {
    if (e.ph !== 'X' || !main.has(`${e.pid}:${e.tid}`) || !NAMES.includes(e.name)) continue;
    sums[e.name] = (sums[e.name] ?? 0) + (e.dur ?? 0) / 1000;
    counts[e.name] = (counts[e.name] ?? 0) + 1;
  }
  return { wallMs: result.wallMs, delivered: result.delivered, ms: sums, counts };
}

async function prepare(context: BrowserContext, url: string): Promise<Page> {
  await context.addInitScript(SHIM);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-test-id="omni-log-container"]').waitFor();
  await page.evaluate(fillLog, 5000);
  return page;
}

const sandbox = await startSandbox({ port: 0 });
const twin = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'send-guard-trace-')), {
  executablePath: findChromium(),
  headless: true,
  args: CHROMIUM_ARGS,
  viewport: { width: 1280, height: 860 },
});
const ext = await launchWithExtension({ headless: true });
try {
  const pages = {
    twin: await prepare(twin, `${sandbox.url}/agent/tickets/101`),
    with: await prepare(ext.context, `${sandbox.url}/agent/tickets/101`),
  };
  await sleep(1500);
  for (const page of Object.values(pages)) await page.evaluate(busyDay, { mutations: 2000, batch: 50, seed: 1, deliveries: DELIVERIES });
  const out: Record<string, Awaited<ReturnType<typeof traced>>[]> = { twin: [], with: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of r % 2 ? (['with', 'twin'] as const) : (['twin', 'with'] as const)) {
      out[side]?.push(await traced(pages[side], 50 + r));
    }
  }
  const file = path.join(import.meta.dirname, 'results-trace.json');
  writeFileSync(file, `${JSON.stringify({ deliveries: DELIVERIES, measuredAt: new Date().toISOString(), ...out }, null, 2)}\n`);
  console.log(
    `| event (renderer main thread, ms) | ${Object.keys(out)
      .flatMap((s) => out[s]?.map((_, i) => `${s} ${i + 1}`) ?? [])
      .join(' | ')} |`,
  );
  console.log(
    `| --- | ${Object.keys(out)
      .flatMap((s) => out[s]?.map(() => '---') ?? [])
      .join(' | ')} |`,
  );
  for (const name of ['wall', ...NAMES]) {
    const cells = Object.keys(out).flatMap(
      (s) =>
        out[s]?.map(
          (t) => (name === 'wall' ? t.wallMs : (t.ms[name] ?? 0)).toFixed(0) + (name === 'wall' ? '' : ` (${t.counts[name] ?? 0})`),
        ) ?? [],
    );
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
} finally {
  await ext.context.close();
  await twin.close();
  await sandbox.close();
}
