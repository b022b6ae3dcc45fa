// @vitest-environment node
// Plain JSON files: no DOM needed (and happy-dom would resolve import.meta.url-relative URLs as web URLs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADVICE } from '@/entrypoints/helpdesk.content/banner/wording';

interface LocaleEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
type Locale = Record<string, LocaleEntry>;

function load(lang: 'en' | 'de'): Locale {
  return JSON.parse(readFileSync(new URL(`../../public/_locales/${lang}/messages.json`, import.meta.url), 'utf8')) as Locale;
}

const en = load('en');
const de = load('de');

/** Placeholder name -> its content ("$1" …), compared case-insensitively as Chrome does. */
function placeholders(entry: LocaleEntry): Record<string, string> {
  return Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
}

/** Placeholders a message actually uses, like `$p1$`. */
function used(message: string): string[] {
  return [...new Set([...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => (m[1] ?? '').toLowerCase()))].sort();
}

describe('_locales', () => {
  it('has the same keys in English and German', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(en).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(en))('%s has the same placeholders in both languages', (key) => {
    const english = en[key];
    const german = de[key];
    if (!english || !german) throw new Error(`${key} missing`);
    expect(placeholders(german)).toEqual(placeholders(english));
    expect(used(german.message)).toEqual(used(english.message));
  });

  it.each(['en', 'de'] as const)('every message in %s is non-empty and uses only defined placeholders', (lang) => {
    const locale = lang === 'en' ? en : de;
    for (const [key, entry] of Object.entries(locale)) {
      expect(entry.message.trim(), `${lang}:${key}`).not.toBe('');
      const defined = Object.keys(placeholders(entry)).sort();
      expect(used(entry.message), `${lang}:${key}`).toEqual(defined);
    }
  });

  it('has every advice text the classifier can show, in both languages', () => {
    for (const key of Object.values(ADVICE)) {
      expect(en[key]?.message, `en:${key}`).toBeTruthy();
      expect(de[key]?.message, `de:${key}`).toBeTruthy();
    }
  });
});
