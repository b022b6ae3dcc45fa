import { CustomHelpdeskDomain, type Settings, ZendeskSubdomain } from './settings';

// Which helpdesk addresses Send Guard runs on, beyond the manifest's *.zendesk.com. Pure.

/** The host permission and content-script match for a custom domain. */
export function matchPatternFor(domain: CustomHelpdeskDomain): string {
  // Match patterns leave the port out (Firefox refuses one; Chrome then matches any port): access is per host.
  const [scheme, rest = ''] = domain.split('://');
  return `${scheme}://${rest.replace(/:\d+$/, '')}/*`;
}

/** Text typed into the options page as a custom domain: normalised, or why not. */
export type DomainCheck = { ok: true; value: CustomHelpdeskDomain } | { ok: false; reason: 'format' | 'https' | 'zendesk' };

export function checkCustomDomain(text: string): DomainCheck {
  const trimmed = text.trim().toLowerCase().replace(/\/+$/, '');
  const wildcard = trimmed.match(/^([a-z]+:\/\/)\*\.(.*)$/);
  let origin: string;
  try {
    // The URL parser lowercases, punycodes and drops a default port; a path, query or user name survives and is refused.
    const url = new URL(wildcard ? `${wildcard[1]}${wildcard[2]}` : trimmed);
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return { ok: false, reason: 'format' };
    if (!/^[a-z0-9.-]+\.[a-z0-9-]+$|^localhost$|^127\.0\.0\.1$/.test(url.hostname)) return { ok: false, reason: 'format' };
    origin = wildcard ? url.origin.replace('://', '://*.') : url.origin;
    if (url.protocol !== 'https:' && !CustomHelpdeskDomain.safeParse(origin).success) return { ok: false, reason: 'https' };
  } catch {
    // Not a URL at all: the same "format" answer the user sees for any entry that cannot be read.
    return { ok: false, reason: 'format' };
  }
  if (/(^|\.)zendesk\.com$/.test(new URL(origin.replace('*.', '')).hostname)) return { ok: false, reason: 'zendesk' };
  const parsed = CustomHelpdeskDomain.safeParse(origin);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'format' };
}

/** A Zendesk subdomain as typed (`acme`, `acme.zendesk.com` or its https address), reduced to its label. */
export function checkZendeskSubdomain(text: string): { ok: true; value: string } | { ok: false } {
  const label = text
    .trim()
    .toLowerCase()
    .replace(/^https:\/\//, '')
    .replace(/\/.*$/, '')
    .replace(/\.zendesk\.com$/, '');
  const parsed = ZendeskSubdomain.safeParse(label);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}

/**
 * Whether Send Guard may act on a page: a *.zendesk.com page only on the listed subdomains when
 * any are listed (enforced by the worker, which ignores other Zendesk tabs); any other page is
 * one the manifest or a granted custom domain already limits.
 */
export function zendeskPageAllowed(pageUrl: string | undefined, settings: Pick<Settings, 'zendeskSubdomains'>): boolean {
  const allowed = settings.zendeskSubdomains ?? [];
  if (allowed.length === 0 || !pageUrl) return true;
  let host: string;
  try {
    host = new URL(pageUrl).hostname;
  } catch {
    // An address that cannot be read is no allowed page: nothing is read from it.
    return false;
  }
  if (!host.endsWith('.zendesk.com')) return true;
  return allowed.includes(host.slice(0, -'.zendesk.com'.length));
}

/** A content script as the built manifest declares it (the fields a run-time registration can copy). */
export interface StaticContentScript {
  js?: string[];
  css?: string[];
  run_at?: string;
  world?: string;
  all_frames?: boolean;
}

/** What `scripting.registerContentScripts` takes, limited to what Send Guard sets. */
export interface DomainScript {
  id: string;
  js: string[];
  css?: string[];
  matches: string[];
  runAt: 'document_start' | 'document_end' | 'document_idle';
  world: 'ISOLATED' | 'MAIN';
  allFrames: boolean;
  persistAcrossSessions: boolean;
}

/** Every registered script of Send Guard's custom domains starts with this. */
export const DOMAIN_SCRIPT_PREFIX = 'helpdesk-domain';

/**
 * For each granted custom domain, the manifest's own helpdesk content scripts again (same files,
 * run_at and world), matched on that domain. Ids say which domain and which script, so a diff
 * against the registered ones is exact.
 */
export function domainScripts(staticScripts: readonly StaticContentScript[], grantedPatterns: readonly string[]): DomainScript[] {
  const scripts: DomainScript[] = [];
  for (const pattern of [...new Set(grantedPatterns)].sort()) {
    for (const entry of staticScripts) {
      if (!entry.js?.length) continue;
      const world = entry.world === 'MAIN' ? 'MAIN' : 'ISOLATED';
      const runAt = entry.run_at === 'document_start' || entry.run_at === 'document_end' ? entry.run_at : 'document_idle';
      scripts.push({
        id: `${DOMAIN_SCRIPT_PREFIX} ${pattern} ${entry.js.join(',')}`,
        js: [...entry.js],
        ...(entry.css?.length ? { css: [...entry.css] } : {}),
        matches: [pattern],
        runAt,
        world,
        allFrames: entry.all_frames ?? false,
        persistAcrossSessions: true,
      });
    }
  }
  return scripts;
}

/** A registered script as `getRegisteredContentScripts` reports it (browsers fill in defaults). */
export interface RegisteredScript {
  id: string;
  js?: string[];
  css?: string[];
  matches?: string[];
  runAt?: string;
  world?: string;
  allFrames?: boolean;
}

/** Ours to remove (gone, or registered differently, e.g. after an update renamed a file) and to add. */
export function diffDomainScripts(
  registered: readonly RegisteredScript[],
  wanted: readonly DomainScript[],
): { unregister: string[]; register: DomainScript[] } {
  const same = (a: RegisteredScript, b: DomainScript) =>
    JSON.stringify([a.js ?? [], a.css ?? [], a.matches ?? [], a.runAt ?? 'document_idle', a.world ?? 'ISOLATED', a.allFrames ?? false]) ===
    JSON.stringify([b.js, b.css ?? [], b.matches, b.runAt, b.world, b.allFrames]);
  const ours = registered.filter((r) => r.id.startsWith(`${DOMAIN_SCRIPT_PREFIX} `));
  const keep = new Set(ours.filter((r) => wanted.some((w) => w.id === r.id && same(r, w))).map((r) => r.id));
  return {
    unregister: ours.filter((r) => !keep.has(r.id)).map((r) => r.id),
    register: wanted.filter((w) => !keep.has(w.id)),
  };
}

/** Whether another setting still needs the host access of `pattern` (a status page or the webhook on it). */
export function hostAccessStillUsed(settings: Settings, pattern: string, exceptDomain: string): boolean {
  const others = [
    ...(settings.customHelpdeskDomains ?? []).filter((d) => d !== exceptDomain).map(matchPatternFor),
    ...[...settings.status.customStatuspages, ...(settings.alerts.webhookUrl ? [settings.alerts.webhookUrl] : [])].flatMap((url) => {
      try {
        return [`${new URL(url).protocol}//${new URL(url).hostname}/*`];
      } catch {
        // A stored address that is not a URL holds no host access: it keeps none in use.
        return [];
      }
    }),
  ];
  return others.includes(pattern);
}
