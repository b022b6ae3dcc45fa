// @vitest-environment node
// The import graph is read from the files on disk: no DOM needed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findCircles, type ImportGraph, importGraph, importSpecifiers, resolveSpecifier } from '../../scripts/import-circles';

const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fake project: each entry is a file's path and its source. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'import-circles-'));
  temporary.push(root);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  return root;
}

describe('the import circle check', () => {
  it('reads every import form, and no import-looking text in comments or strings', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from '@/utils/b';",
      'import c, {',
      '  d,',
      "  type E,\n} from '../c';",
      "import * as f from './f';",
      "import './side-effect.css';",
      "export { g } from './g';",
      "export type { H } from './h';",
      "export * from './i';",
      "const lazy = () => import('./j');",
      "// import { no } from './comment';",
      " * import { no } from './block-comment';",
      "const text = 'see import { no } from ./string';",
    ].join('\n');
    expect(importSpecifiers(source).sort()).toEqual(
      ['./a', '@/utils/b', '../c', './f', './side-effect.css', './g', './h', './i', './j'].sort(),
    );
  });

  it('resolves aliases, relative paths, folders and extensions to project files; packages and CSS to nothing', () => {
    const files = new Set(['/p/utils/a.ts', '/p/utils/b/index.ts', '/p/components/C.tsx']);
    const exists = (path: string) => files.has(path);
    expect(resolveSpecifier('/p', '/p/components/C.tsx', '@/utils/a', exists)).toBe('/p/utils/a.ts');
    expect(resolveSpecifier('/p', '/p/utils/a.ts', './b', exists)).toBe('/p/utils/b/index.ts');
    expect(resolveSpecifier('/p', '/p/utils/a.ts', '../components/C', exists)).toBe('/p/components/C.tsx');
    expect(resolveSpecifier('/p', '/p/utils/a.ts', '~/utils/a.ts', exists)).toBe('/p/utils/a.ts');
    expect(resolveSpecifier('/p', '/p/utils/a.ts', 'zod', exists)).toBeNull();
    expect(resolveSpecifier('/p', '/p/utils/a.ts', './style.css', exists)).toBeNull();
  });

  it('finds a circle of three files and shows the path around it', () => {
    const graph: ImportGraph = new Map([
      ['a.ts', ['b.ts', 'd.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', []],
    ]);
    expect(findCircles(graph)).toEqual([{ files: ['a.ts', 'b.ts', 'c.ts'], path: ['a.ts', 'b.ts', 'c.ts', 'a.ts'] }]);
  });

  it('finds a file that imports itself, and nothing in a graph without circles', () => {
    expect(findCircles(new Map([['a.ts', ['a.ts']]]))).toEqual([{ files: ['a.ts'], path: ['a.ts', 'a.ts'] }]);
    const tree: ImportGraph = new Map([
      ['a.ts', ['b.ts', 'c.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', []],
    ]);
    expect(findCircles(tree)).toEqual([]);
  });

  it('fails on a fake project with a circle through a type-only import, and passes once it is cut', () => {
    const files = {
      'core/settings/settings.ts':
        "import { ProfileChoice } from '../../profiles/choose';\nexport const Settings = { profile: ProfileChoice };\n",
      'profiles/choose.ts': "import type { Settings } from '@/core/settings/settings';\nexport const ProfileChoice = 'auto';\n",
      'components/App.tsx': "import { Settings } from '@/core/settings/settings';\nimport 'preact';\n",
    };
    const circles = findCircles(importGraph(project(files)));
    expect(circles).toEqual([
      {
        files: ['core/settings/settings.ts', 'profiles/choose.ts'],
        path: ['core/settings/settings.ts', 'profiles/choose.ts', 'core/settings/settings.ts'],
      },
    ]);
    const cut = { ...files, 'profiles/choose.ts': "export const ProfileChoice = 'auto';\n" };
    expect(findCircles(importGraph(project(cut)))).toEqual([]);
  });

  it('finds no circle in the extension (core, profiles, utils, components, entrypoints)', () => {
    const graph = importGraph(process.cwd());
    // The check reads the real tree: the content script's entry and its imports are in it.
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('entrypoints/helpdesk.content/index.tsx')).toContain('core/settings/page-settings.ts');
    const circles = findCircles(graph).map((circle) => circle.path.join(' -> '));
    expect(circles).toEqual([]);
  });
});
