import { browser } from 'wxt/browser';

/** Every key in `_locales/en/messages.json`, as WXT generates them: a typo fails the typecheck. */
export type MessageKey = Parameters<typeof browser.i18n.getMessage>[0];

/** A UI string from `_locales` in the browser's language; the key itself if missing (never blank). */
export function t(key: MessageKey, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}

export function formatTime(epochMs: number, options: { utc?: boolean } = {}): string {
  return new Intl.DateTimeFormat(browser.i18n.getUILanguage(), {
    hour: '2-digit',
    minute: '2-digit',
    // UTC is for timelines and notes that teams compare: always 24-hour, like status pages.
    ...(options.utc ? { timeZone: 'UTC', hourCycle: 'h23' as const } : {}),
  }).format(epochMs);
}
