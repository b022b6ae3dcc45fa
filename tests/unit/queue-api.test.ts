import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The queue's IndexedDB schema is private to core/queue/db.ts and the rest of the extension uses the
// queue through core/queue/index.ts (as Workbox's QueueDb.ts / index.ts do): a store or index name
// written elsewhere would break silently on the next schema change.

const root = process.cwd();
const PRODUCT_DIRS = ['entrypoints', 'components', 'core', 'profiles', 'utils'];

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

const outsideQueue = PRODUCT_DIRS.flatMap(sources).filter((path) => !path.startsWith(join('core', 'queue') + sep));

// IndexedDB calls (idb's wrappers included) that name a store or an index.
const SCHEMA_NAME =
  /\.(?:get|getAll|getAllKeys|getKey|getAllFromIndex|countFromIndex|getFromIndex|count|put|add|delete|clear|transaction|objectStore|index)\(\s*\[?\s*['"](?:replies|quarantine|tombstones|by-[a-z]+)['"]/;

describe('the queue’s public API', () => {
  it('finds the product’s sources to check', () => {
    expect(outsideQueue).toContain(join('entrypoints', 'background', 'queue.ts'));
    expect(outsideQueue).toContain(join('entrypoints', 'background', 'provider-health.ts'));
    expect(outsideQueue.some((path) => path.startsWith(join('core', 'queue')))).toBe(false);
  });

  it('the pattern catches a store or index named in a call', () => {
    expect(SCHEMA_NAME.test(`db.countFromIndex('replies', 'by-state', state)`)).toBe(true);
    expect(SCHEMA_NAME.test(`database.transaction(['replies', 'quarantine'], 'readwrite')`)).toBe(true);
    expect(SCHEMA_NAME.test(`ask({ type: 'list-replies' })`)).toBe(false);
  });

  it('no store or index name is used outside core/queue/', () => {
    const named = outsideQueue.filter((path) => SCHEMA_NAME.test(readFileSync(join(root, path), 'utf8')));
    expect(named).toEqual([]);
  });

  it('nothing outside core/queue/ imports its store module; the worker uses the public index', () => {
    const direct = outsideQueue.filter((path) => /from '(?:@\/utils|\.{1,2})\/queue\/db'/.test(readFileSync(join(root, path), 'utf8')));
    expect(direct).toEqual([]);
    const worker = sources(join('entrypoints', 'background')).filter((path) =>
      /from '@\/utils\/queue\/[a-z-]+'/.test(readFileSync(join(root, path), 'utf8')),
    );
    expect(worker).toEqual([]);
  });
});
