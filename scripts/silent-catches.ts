import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKED_DIRS, sourceFiles } from './import-circles';

// Lists `catch` blocks and `.catch(…)` handlers that neither log nor say why nothing is lost. A catch
// counts as speaking when it logs (console.*, logError, a handler named like a logger), passes the error
// on (throws it, or uses the caught value), or carries a comment: in the block or handler, on its line,
// or on the line just above it (the usual place for a chained `.catch`).

const LOGS = /\bconsole\.\w+\(|\blogError\(|\bloggedAs\(|\blog[A-Z]\w*\(|\bthrow\b/;
const COMMENT = /\/\/|\/\*/;
const STRINGS = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;

/** Whether the code has a comment (a `//` inside a string such as a URL is none). */
const hasComment = (code: string) => COMMENT.test(code.replace(STRINGS, "''"));

export interface SilentCatch {
  file: string;
  line: number;
  text: string;
}

/** The text from `open` (an opening bracket) to its matching close, strings and comments skipped. */
function balanced(source: string, open: number): string {
  const pair: Record<string, string> = { '{': '}', '(': ')' };
  const close = pair[source[open] ?? ''] ?? '';
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c === source[open]) depth++;
    else if (c === close && --depth === 0) return source.slice(open, i + 1);
  }
  return source.slice(open);
}

/** The second argument of a call's `(a, b)` text as `(b)` (a `.then`'s rejection handler), or null without one. */
export function secondArgument(call: string): string | null {
  let depth = 0;
  for (let i = 0; i < call.length; i++) {
    const c = call[i] ?? '';
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < call.length && call[i] !== c; i++) if (call[i] === '\\') i++;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 1) {
      const rest = call.slice(i + 1, -1).trim();
      return rest ? `(${rest.replace(/,$/, '').trim()})` : null;
    }
  }
  return null;
}

function lineAt(source: string, index: number): number {
  return source.slice(0, index).split('\n').length;
}

/** The silent catches of one source file. */
export function silentCatches(source: string, file = ''): SilentCatch[] {
  const lines = source.split('\n');
  const found: SilentCatch[] = [];
  const speaksAround = (line: number) => hasComment(lines[line - 1] ?? '') || /^\s*(\/\/|\*|\/\*)/.test(lines[line - 2] ?? '');

  for (const match of source.matchAll(/\bcatch\s*(\(\s*(\w+)[^)]*\))?\s*\{/g)) {
    const at = match.index ?? 0;
    if (source[at - 1] === '.') continue;
    const body = balanced(source, at + match[0].length - 1);
    const variable = match[2];
    const usesError = variable !== undefined && new RegExp(`\\b${variable}\\b`).test(body);
    const line = lineAt(source, at);
    if (!(hasComment(body) || LOGS.test(body) || usesError || speaksAround(line)))
      found.push({ file, line, text: lines[line - 1]?.trim() ?? '' });
  }

  // `.catch(handler)` and `.then(onFulfilled, handler)`.
  for (const match of source.matchAll(/\.(catch|then)\(/g)) {
    const at = match.index ?? 0;
    const call = balanced(source, at + match[0].length - 1);
    const handler = match[1] === 'catch' ? call : secondArgument(call);
    if (handler === null) continue;
    // An arrow handler's parameter used after the arrow; a handler passed by name only counts when it logs.
    const arrow = handler.indexOf('=>');
    const parameter = arrow < 0 ? undefined : /^\(\s*\(?\s*(\w+)/.exec(handler)?.[1];
    const usesError = parameter !== undefined && new RegExp(`\\b${parameter}\\b`).test(handler.slice(arrow + 2));
    const namedLogger = /^\(\s*\w*(log|warn|report|error)\w*\s*\)$/i.test(handler);
    const line = lineAt(source, at);
    if (!(hasComment(handler) || LOGS.test(handler) || usesError || namedLogger || speaksAround(line)))
      found.push({ file, line, text: lines[line - 1]?.trim() ?? '' });
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The silent catches under `dirs` of `root`, by root-relative file name. */
export function silentCatchesIn(root: string, dirs: readonly string[] = CHECKED_DIRS): SilentCatch[] {
  return dirs.flatMap((dir) =>
    sourceFiles(join(root, dir)).flatMap((path) => silentCatches(readFileSync(path, 'utf8'), relative(root, path).split(sep).join('/'))),
  );
}

// `npx tsx scripts/silent-catches.ts [root]` lists them; the unit test keeps the list empty.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  const found = silentCatchesIn(root);
  for (const c of found) console.log(`${c.file}:${c.line}  ${c.text}`);
  console.log(`${found.length} silent catch(es)`);
  process.exitCode = found.length > 0 ? 1 : 0;
}
