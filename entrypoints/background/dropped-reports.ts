import { browser } from 'wxt/browser';
import { z } from 'zod';
import { createSerialQueue } from '@/utils/serial';

// Failure reports refused because a helpdesk sent too many new ones at once (core/failures/report-limit.ts),
// counted per helpdesk for the popup's line. Session storage: a count for this browser session.
const KEY = 'droppedReports';
const Dropped = z.record(z.string(), z.object({ count: z.number().int().nonnegative(), lastAt: z.number().int().nonnegative() }));
export type DroppedReports = z.infer<typeof Dropped>;
const serial = createSerialQueue();

async function read(): Promise<DroppedReports> {
  const parsed = Dropped.safeParse((await browser.storage.session.get(KEY))[KEY] ?? {});
  return parsed.success ? parsed.data : {};
}

export function noteDroppedReport(origin: string, now: number): Promise<void> {
  return serial(async () => {
    const all = await read();
    all[origin] = { count: (all[origin]?.count ?? 0) + 1, lastAt: now };
    await browser.storage.session.set({ [KEY]: all });
  });
}

/** Every helpdesk whose reports were dropped this session, most recent first. */
export async function droppedReports(): Promise<{ origin: string; count: number; lastAt: number }[]> {
  return Object.entries(await read())
    .map(([origin, entry]) => ({ origin, ...entry }))
    .sort((a, b) => b.lastAt - a.lastAt);
}
