import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

// The toolbar and store icons, drawn once (assets/icon.svg) and rendered to PNG at build time.

export const ICON_SOURCE = path.resolve(import.meta.dirname, '..', 'assets', 'icon.svg');
/** Sizes both stores and both browsers ask for: toolbar 16/32, extensions page 48/96, store 128. */
export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

/** Where each size lands in the package, as the manifest names it. */
export function iconPath(size: number): string {
  return `icons/${size}.png`;
}

/** The manifest's `icons` / `action.default_icon` map. */
export function iconMap(): Record<string, string> {
  return Object.fromEntries(ICON_SIZES.map((size) => [String(size), iconPath(size)]));
}

/** Every size rendered from the one drawing. */
export function renderIcons(svg = readFileSync(ICON_SOURCE, 'utf8')): { size: number; path: string; png: Buffer }[] {
  return ICON_SIZES.map((size) => {
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
    return { size, path: iconPath(size), png: Buffer.from(png) };
  });
}

/** Writes every size into `dir`; returns them as WXT public files (source on disk, place in the package). */
export function writeIcons(dir: string): { absoluteSrc: string; relativeDest: string }[] {
  mkdirSync(dir, { recursive: true });
  return renderIcons().map((icon) => {
    const absoluteSrc = path.join(dir, `${icon.size}.png`);
    writeFileSync(absoluteSrc, icon.png);
    return { absoluteSrc, relativeDest: icon.path };
  });
}
