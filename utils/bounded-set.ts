/**
 * How many "already seen" message ids a content script keeps per watcher. Far more than a ticket's
 * log shows at once (a virtualized log keeps dozens), and ~100 kB at most: a day-long session stays flat.
 */
export const SEEN_IDS_CAP = 2_000;

/**
 * A Set that holds at most `max` values and forgets the least recently used one first. `has` and
 * `add` both count as a use, so an id still being seen (its message still changing in the log) is
 * never the one forgotten. Forgetting only risks a repeat report, which the receiver must dedupe.
 */
export class BoundedSet<T> {
  private readonly values = new Set<T>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`BoundedSet needs a positive integer size, not ${max}`);
  }

  get size(): number {
    return this.values.size;
  }

  has(value: T): boolean {
    if (!this.values.delete(value)) return false;
    this.values.add(value); // Re-inserted: a Set iterates in insertion order, oldest first.
    return true;
  }

  add(value: T): this {
    this.values.delete(value);
    this.values.add(value);
    if (this.values.size > this.max) {
      for (const oldest of this.values) {
        this.values.delete(oldest);
        break;
      }
    }
    return this;
  }

  delete(value: T): boolean {
    return this.values.delete(value);
  }
}
