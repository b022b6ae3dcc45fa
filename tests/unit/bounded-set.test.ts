// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { BoundedSet, SEEN_IDS_CAP } from '@/utils/bounded-set';

describe('BoundedSet', () => {
  it('never holds more than its size, however many values pass through', () => {
    const seen = new BoundedSet<string>(SEEN_IDS_CAP);
    for (let i = 0; i < 10_000; i++) seen.add(`session-${i}`);
    expect(seen.size).toBe(SEEN_IDS_CAP);
    expect(seen.has('session-9999')).toBe(true);
    expect(seen.has(`session-${10_000 - SEEN_IDS_CAP}`)).toBe(true);
    expect(seen.has(`session-${10_000 - SEEN_IDS_CAP - 1}`)).toBe(false);
  });

  it('forgets the least recently used value first: a value still being looked at stays', () => {
    const seen = new BoundedSet<string>(3);
    seen.add('a').add('b').add('c');
    expect(seen.has('a')).toBe(true); // 'a' is used again, so 'b' is now the oldest.
    seen.add('d');
    expect([seen.has('a'), seen.has('b'), seen.has('c'), seen.has('d')]).toEqual([true, false, true, true]);
    seen.add('c'); // Adding again counts as a use too; 'a' is now the oldest.
    seen.add('e');
    expect([seen.has('a'), seen.has('c'), seen.has('d'), seen.has('e')]).toEqual([false, true, true, true]);
  });

  it('does not count a miss as a use, and deletes like a Set', () => {
    const seen = new BoundedSet<number>(2);
    expect(seen.has(1)).toBe(false);
    expect(seen.size).toBe(0);
    seen.add(1).add(2);
    expect(seen.delete(1)).toBe(true);
    expect(seen.delete(1)).toBe(false);
    expect(seen.size).toBe(1);
  });

  it('refuses a size that could hold nothing', () => {
    expect(() => new BoundedSet(0)).toThrow(RangeError);
    expect(() => new BoundedSet(1.5)).toThrow(RangeError);
  });
});
