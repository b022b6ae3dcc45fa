import { browser } from 'wxt/browser';

/** Every key in `_locales/en/messages.json`, as WXT generates them: a typo fails the typecheck. */
export type MessageKey = Parameters<typeof browser.i18n.getMessage>[0];

/** One entry of a `_locales/<lang>/messages.json` file. */
export interface LocaleEntry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
export type LocaleMessages = Record<string, LocaleEntry>;

/** The language override's messages and language, when the user chose one (set at each context's startup). */
let override: { language: string; messages: LocaleMessages } | null = null;

/**
 * Chrome's substitution rules for a messages.json entry: `$name$` becomes its placeholder's
 * content (names case-insensitive), `$1`…`$9` in that content the substitutions, `$$` a `$`.
 * One pass, so a substitution that itself contains `$1` is left as typed. Pure.
 */
export function formatMessage(entry: LocaleEntry, substitutions?: string | string[]): string {
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const named = new Map(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const fill = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$|\$(\d)/g, (match, name?: string, digit?: string) => {
    if (match === '$$') return '$';
    if (digit) return subs[Number(digit) - 1] ?? '';
    const content = named.get((name ?? '').toLowerCase());
    return content === undefined ? match : fill(content);
  });
}

/** Use these messages instead of the browser's language (null: back to the browser's). */
export function setLanguageOverride(value: { language: string; messages: LocaleMessages } | null): void {
  override = value;
}

/**
 * Loads `_locales/<language>/messages.json` from the extension for the override; `auto` or a
 * failed load leaves the browser's language in charge (never a throw: the UI must still show).
 */
export async function loadLanguageOverride(
  language: string | undefined,
  load: (language: string) => Promise<unknown> = readOwnLocale,
): Promise<void> {
  if (!language || language === 'auto') {
    setLanguageOverride(null);
    // Chrome can answer getMessage with "" in a page opened right after the extension started:
    // then this page reads the browser language's file itself, so it never shows bare keys.
    if (browser.i18n.getMessage('extName') === '')
      await loadLanguageOverride(browser.i18n.getUILanguage().startsWith('de') ? 'de' : 'en', load);
    return;
  }
  try {
    const messages = await load(language);
    if (isLocaleMessages(messages)) setLanguageOverride({ language, messages });
  } catch {
    // The browser's language is the fallback: the UI must still show.
  }
}

/** Extension pages (and the worker) read the locale file directly. */
export async function readOwnLocale(language: string): Promise<unknown> {
  if (!/^[a-z]{2}$/.test(language)) return null;
  const response = await fetch(browser.runtime.getURL(`/_locales/${language}/messages.json` as '/'));
  return response.ok ? response.json() : null;
}

export function isLocaleMessages(value: unknown): value is LocaleMessages {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (entry) => typeof entry === 'object' && entry !== null && typeof (entry as { message?: unknown }).message === 'string',
  );
}

/** The language UI text and dates are shown in: the override's, else the browser's. */
export function uiLanguage(): string {
  return override?.language ?? browser.i18n.getUILanguage();
}

/** The browser language's own file, read by the context itself, for when getMessage answers "". */
let fallback: LocaleMessages | null = null;
let fallbackLoad: Promise<void> | null = null;

/**
 * Chrome can answer getMessage with "" for a while in a service worker (or page) started with the
 * browser. Text the worker writes (notes in the helpdesk, notifications) must never be a bare key,
 * so it reads the browser language's file once and uses it whenever getMessage has nothing.
 * Never throws; resolves when the file is read (or could not be).
 */
export function loadFallbackMessages(load: (language: string) => Promise<unknown> = readOwnLocale): Promise<void> {
  fallbackLoad ??= (async () => {
    const language = browser.i18n.getUILanguage().toLowerCase().startsWith('de') ? 'de' : 'en';
    try {
      const messages = await load(language);
      if (isLocaleMessages(messages)) fallback = messages;
    } catch {
      // getMessage stays in charge; at worst a key shows, never a blank.
    }
  })();
  return fallbackLoad;
}

/** A UI string from `_locales` in the chosen or the browser's language; the key itself if missing (never blank). */
export function t(key: MessageKey, substitutions?: string | string[]): string {
  const entry = override?.messages[key];
  if (entry) return formatMessage(entry, substitutions);
  const text = browser.i18n.getMessage(key, substitutions);
  if (text) return text;
  const backup = fallback?.[key];
  return backup ? formatMessage(backup, substitutions) : key;
}

/** Text whose words were decided elsewhere (a key and its substitutions, e.g. the banner's wording.ts). */
export function say(words: { key: MessageKey; subs?: string[] }): string {
  return t(words.key, words.subs);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatTime(epochMs: number, options: { utc?: boolean } = {}): string {
  const language = uiLanguage();
  const key = `${language}|${options.utc ? 'utc' : 'local'}`;
  // Building a formatter is costly; banners and long popup lists format many times.
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, {
      hour: '2-digit',
      minute: '2-digit',
      // UTC is for timelines and notes that teams compare: always 24-hour, like status pages.
      ...(options.utc ? { timeZone: 'UTC', hourCycle: 'h23' as const } : {}),
    });
    timeFormats.set(key, format);
  }
  return format.format(epochMs);
}
