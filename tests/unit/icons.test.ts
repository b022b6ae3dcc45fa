import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Both stores need the icons in the package: read each built manifest and every file it names.

const root = process.cwd();
let outDir = '';

beforeAll(() => {
  outDir = mkdtempSync(join(root, '.output-icons-'));
  const { NODE_ENV: _test, ...env } = process.env;
  for (const browser of ['chrome', 'firefox']) {
    execFileSync('npx', ['wxt', 'build', '-b', browser], {
      cwd: root,
      env: { ...env, SEND_GUARD_OUT_DIR: relative(root, outDir) },
      stdio: 'pipe',
    });
  }
}, 240_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** Width and height from a PNG's IHDR chunk (bytes 16–23), after checking the PNG signature. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('hex'), `${file} is a PNG`).toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.each(['chrome-mv3', 'firefox-mv3'])('icons in the %s package', (dir) => {
  const manifest = () =>
    JSON.parse(readFileSync(join(outDir, dir, 'manifest.json'), 'utf8')) as {
      icons?: Record<string, string>;
      action?: { default_icon?: Record<string, string> };
    };

  it.each(['icons', 'action.default_icon'])('%s names 16, 32, 48, 96 and 128 px files of exactly that size', (key) => {
    const map = key === 'icons' ? manifest().icons : manifest().action?.default_icon;
    expect(Object.keys(map ?? {}).sort((a, b) => Number(a) - Number(b))).toEqual(['16', '32', '48', '96', '128']);
    for (const [size, file] of Object.entries(map ?? {})) {
      const path = join(outDir, dir, file);
      expect(existsSync(path), `${dir}/${file}`).toBe(true);
      expect(pngSize(path), `${dir}/${file}`).toEqual({ width: Number(size), height: Number(size) });
    }
  });
});
