import { browser } from 'wxt/browser';
import { loggedAs } from '../../utils/debug-log';

// The sites the manifest asks for (helpdesk and status pages). Chrome grants them at install;
// Firefox (MV3) lets the user withhold or withdraw them, and then no helpdesk script runs.

export interface HostAccess {
  /** Manifest host patterns the browser has not granted. */
  missing: string[];
  /** Whether one of them is where the helpdesk scripts run (a content script's site). */
  helpdeskMissing: boolean;
}

/** `https://*.zendesk.com/agent/*` → `https://*.zendesk.com/*`: the origin part of a match pattern. Pure. */
export function originPattern(match: string): string {
  const at = match.indexOf('://');
  if (at < 0) return match;
  const slash = match.indexOf('/', at + 3);
  return `${slash < 0 ? match : match.slice(0, slash)}/*`;
}

/** Which wanted hosts are missing, and whether a helpdesk host is among them. Pure. */
export function describeAccess(
  wanted: readonly string[],
  granted: (pattern: string) => boolean,
  helpdeskMatches: readonly string[],
): HostAccess {
  const missing = [...new Set(wanted)].filter((pattern) => !granted(pattern));
  const helpdeskOrigins = new Set(helpdeskMatches.map(originPattern));
  return { missing, helpdeskMissing: missing.some((pattern) => helpdeskOrigins.has(pattern)) };
}

/** What the browser grants now, for the hosts this build's manifest asks for. */
export async function readHostAccess(): Promise<HostAccess> {
  const manifest = browser.runtime.getManifest();
  const wanted = manifest.host_permissions ?? [];
  const answers = new Map(
    await Promise.all(
      wanted.map(async (pattern: string) => [pattern, await browser.permissions.contains({ origins: [pattern] })] as const),
    ),
  );
  const matches = (manifest.content_scripts ?? []).flatMap((script) => script.matches ?? []);
  return describeAccess(wanted, (pattern) => answers.get(pattern) === true, matches);
}

/** Asks for the missing hosts. Call it first thing in a click: browsers only prompt within the user's gesture. */
export function requestHostAccess(missing: readonly string[]): Promise<boolean> {
  return browser.permissions.request({ origins: [...missing] }).catch(loggedAs('host access request', false));
}
