/** FNV-1a 32-bit over UTF-16 code units: a stable, dependency-free fingerprint (not for security). */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Comparison form of a reply: editors and logs re-flow whitespace (paragraphs, <br>, nbsp),
 * so "the same reply" ignores all of it.
 */
export function normalizeReplyText(text: string): string {
  return text.replace(/\s+/g, '');
}
