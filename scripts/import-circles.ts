import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Finds import circles among the extension's TypeScript files. A circle makes module start-up order
// depend on who imports first, and it is the sign of two files that should be one (or a third one missing).
// Type-only imports count too: they tie two files together for a reader just the same.

/** The folders whose files are checked (the extension's own code). */
export const CHECKED_DIRS = ['core', 'profiles', 'utils', 'components', 'entrypoints'];

const SOURCE = /\.(ts|tsx)$/;
// `@/x` and the other aliases of WXT's generated tsconfig all mean the project root.
const ALIAS = /^(@@|~~|@|~)\//;
// Statement-level forms only, so a word "import" in a string or a comment is not read as one:
// `import a, { b } from 'x'`, `import type { c } from 'x'`, `import 'x'`, `export { d } from 'x'`,
// `export * from 'x'`, and `import('x')`.
const STATIC_IMPORT = /^\s*import\s+(?:type\s+)?[\w$*{},\s]+?\s+from\s*['"]([^'"]+)['"]/gm;
const BARE_IMPORT = /^\s*import\s*['"]([^'"]+)['"]/gm;
const RE_EXPORT = /^\s*export\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a TypeScript source imports or re-exports from. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const pattern of [STATIC_IMPORT, BARE_IMPORT, RE_EXPORT, DYNAMIC_IMPORT]) {
    for (const match of source.matchAll(pattern)) if (match[1]) found.push(match[1]);
  }
  return found;
}

/** The project file a specifier names, or null for a package or a non-TypeScript file (CSS). */
export function resolveSpecifier(root: string, fromFile: string, specifier: string, exists: (path: string) => boolean): string | null {
  let base: string;
  if (ALIAS.test(specifier)) base = join(root, specifier.replace(ALIAS, ''));
  else if (specifier.startsWith('./') || specifier.startsWith('../')) base = resolve(dirname(fromFile), specifier);
  else return null;
  const candidates = SOURCE.test(base) ? [base] : [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  return candidates.find(exists) ?? null;
}

/** Files as nodes, imports as edges: `graph.get(a)` lists the files `a` imports. */
export type ImportGraph = Map<string, string[]>;

/** Files that import each other, directly or through others, and one path around them to show which import to cut. */
export interface Circle {
  files: string[];
  path: string[];
}

/**
 * One circle per strongly connected group of files (Tarjan), with the shortest path that starts and ends
 * at its first file. A file importing itself is a circle too.
 */
export function findCircles(graph: ImportGraph): Circle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;

  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    const selfImport = group.length === 1 && (graph.get(node) ?? []).includes(node);
    if (group.length > 1 || selfImport) groups.push(group);
  };

  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups.map((group) => ({ files: [...group].sort(), path: circleThrough(graph, new Set(group)) }));
}

// The shortest path from the group's first file (by name) back to itself, staying inside the group.
function circleThrough(graph: ImportGraph, group: Set<string>): string[] {
  const start = [...group].sort()[0] ?? '';
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() ?? '';
    for (const target of graph.get(node) ?? []) {
      if (!group.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) path.splice(1, 0, at);
        if (node !== start) return [...path, start];
        return [start, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/** The TypeScript sources under `dir` (declaration files left out). */
export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The import graph of the files under `dirs` (relative to `root`), keyed by root-relative paths. */
export function importGraph(root: string, dirs: readonly string[] = CHECKED_DIRS): ImportGraph {
  const files = dirs.flatMap((dir) => sourceFiles(join(root, dir)));
  const known = new Set(files);
  const name = (path: string) => relative(root, path).split(sep).join('/');
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = importSpecifiers(readFileSync(file, 'utf8'))
      .map((specifier) => resolveSpecifier(root, file, specifier, existsSync))
      .filter((target): target is string => target !== null && known.has(target));
    graph.set(name(file), [...new Set(targets.map(name))]);
  }
  return graph;
}

// `npx tsx scripts/import-circles.ts` prints every circle and fails on one (the unit test runs the same check).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const graph = importGraph(root);
  const circles = findCircles(graph);
  for (const circle of circles) console.log(`${circle.files.length} files: ${circle.files.join(', ')}\n  e.g. ${circle.path.join(' -> ')}`);
  console.log(`${graph.size} files in ${CHECKED_DIRS.join(', ')}; ${circles.length} import circle(s)`);
  process.exitCode = circles.length > 0 ? 1 : 0;
}
