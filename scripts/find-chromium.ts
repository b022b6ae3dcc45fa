import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_ENV = 'SEND_GUARD_CHROMIUM';

/** Chromium to run Send Guard in: $SEND_GUARD_CHROMIUM, then Debian's, then Playwright's own. */
export function findChromium(): string {
  const fromEnv = process.env[CHROMIUM_ENV];
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`${CHROMIUM_ENV}=${fromEnv} does not exist. Point it at a Chromium or Chrome binary.`);
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch {
    // Playwright has no browser of its own here; fall through to the message below.
  }
  throw new Error(
    [
      'No Chromium found for Send Guard.',
      `Set ${CHROMIUM_ENV}=/path/to/chromium, or install one:`,
      '  Debian/Ubuntu: sudo apt-get install -y chromium',
      '  elsewhere:     npx playwright install chromium',
    ].join('\n'),
  );
}

/** Flags Chromium needs in a closed sandboxed machine; harmless elsewhere. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
