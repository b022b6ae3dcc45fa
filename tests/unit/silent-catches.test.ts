// @vitest-environment node
// The catches are read from the files on disk: no DOM needed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { secondArgument, silentCatches, silentCatchesIn } from '../../scripts/silent-catches';

const lines = (source: string) => silentCatches(source, 'x.ts').map((c) => c.line);

describe('the silent catch check', () => {
  it('finds catch blocks and rejection handlers that neither log nor say why', () => {
    const source = [
      'try {', // 1
      '  a();',
      '} catch {', // 3
      '  return null;',
      '}',
      'try { b(); } catch (error) { return false; }', // 6
      'void c().catch(() => undefined);', // 7
      'void d().catch(noop);', // 8
      'void e().then(done, () => false);', // 9
      "void f().catch(() => 'https://example.com/help');", // 10: a // inside a string is no comment
    ].join('\n');
    expect(lines(source)).toEqual([3, 6, 7, 8, 9, 10]);
    expect(silentCatches(source, 'x.ts')[2]).toEqual({ file: 'x.ts', line: 7, text: 'void c().catch(() => undefined);' });
  });

  it('accepts a catch that logs, passes the error on, or says in a comment why nothing is lost', () => {
    const source = [
      'try { a(); } catch {',
      '  // Not a URL: the caller shows the format message.',
      '  return null;',
      '}',
      "try { b(); } catch (error) { console.warn('Send Guard: b', error); }",
      'try { c(); } catch (error) { return { ok: false, error }; }',
      "try { d(); } catch { throw new Error('d failed'); }",
      "void e().catch((error: unknown) => logError('e', error));",
      "void f().catch(loggedAs('f', false));",
      'void g().catch(logTeam);',
      'void h().catch(() => undefined); // The tab asks again on load.',
      '// A closed tab is skipped.',
      'void i().catch(() => null);',
      'void j().then(done);',
      'void k().then(done, onError);',
    ].join('\n');
    expect(silentCatches(source)).toEqual([]);
  });

  it("reads a .then's rejection handler, whatever the first argument holds", () => {
    expect(secondArgument("(ok, () => 'x, y')")).toBe("(() => 'x, y')");
    expect(secondArgument('((a, b) => a + b, fail)')).toBe('(fail)');
    expect(secondArgument('(ok)')).toBeNull();
    expect(secondArgument('(\n  () => true,\n  () => false,\n)')).toBe('(() => false)');
  });

  it('finds no silent catch in the extension (utils, components, entrypoints)', () => {
    // The check reads the real files: without its reason comments, the worker's self-test has two silent catches.
    const selfTest = readFileSync('entrypoints/background/self-test.ts', 'utf8');
    const uncommented = selfTest.replace(/^\s*\/\/.*\n/gm, '');
    expect(silentCatches(uncommented).map((c) => c.text)).toEqual([
      'const tab = await browser.tabs.get(id).catch(() => null);',
      '} catch {',
    ]);
    const found = silentCatchesIn(process.cwd()).map((c) => `${c.file}:${c.line}  ${c.text}`);
    expect(found).toEqual([]);
  });
});
