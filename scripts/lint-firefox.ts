// Mozilla's add-on linter on the Firefox build: fails on any error, and on any warning except
// the few that come from dependencies' code paths Send Guard never runs (each explained below).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const SOURCE = path.resolve(import.meta.dirname, '..', process.env.SEND_GUARD_OUT_DIR ?? '.output', 'firefox-mv3');

interface Finding {
  code: string;
  file?: string;
  message: string;
}

// zod 4 probes `new Function` to decide on its JIT and falls back when the MV3 CSP forbids it
// (worker and extension pages; the content script has no zod); Preact carries an innerHTML path
// (dangerouslySetInnerHTML) that Send Guard's code never uses: page and remote data only ever
// reach textContent.
const KNOWN_DEPENDENCY_WARNINGS = new Set(['DANGEROUS_EVAL', 'UNSAFE_VAR_ASSIGNMENT']);

const raw = (() => {
  try {
    return execFileSync('npx', ['web-ext', 'lint', '--source-dir', SOURCE, '--output', 'json'], { encoding: 'utf8' });
  } catch (error) {
    // web-ext exits non-zero when it finds errors; its JSON report is still on stdout.
    return String((error as { stdout?: string }).stdout ?? '');
  }
})();
const report = JSON.parse(raw) as { errors: Finding[]; warnings: Finding[]; notices: Finding[] };
const fixable = report.warnings.filter((w) => !KNOWN_DEPENDENCY_WARNINGS.has(w.code));
for (const f of [...report.errors, ...report.warnings]) console.log(`${f.code}\t${f.file ?? ''}\t${f.message}`);
console.log(
  `web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings (${report.warnings.length - fixable.length} from dependencies, ${fixable.length} fixable), ${report.notices.length} notices`,
);
if (report.errors.length > 0 || fixable.length > 0) process.exit(1);
