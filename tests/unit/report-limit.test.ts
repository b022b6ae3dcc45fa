import { describe, expect, it } from 'vitest';
import { createReportLimiter } from '@/core/failures/report-limit';

describe('report limiter', () => {
  it('allows a burst, then a steady rate, per helpdesk', () => {
    const limiter = createReportLimiter({ burst: 3, perMinute: 6 });
    const a = 'https://a.zendesk.com';
    const b = 'https://b.zendesk.com';
    // Ten reports at once: each takes from the allowance before anything is stored.
    const taken = Array.from({ length: 10 }, () => limiter.take(a, 0));
    expect(taken.filter(Boolean)).toHaveLength(3);
    // Another helpdesk has its own allowance.
    expect(limiter.take(b, 0)).toBe(true);
    // 6 per minute: one more every 10 s.
    expect(limiter.take(a, 9_000)).toBe(false);
    expect(limiter.take(a, 10_000)).toBe(true);
    expect(limiter.take(a, 10_000)).toBe(false);
    // A report that made no new record gives its share back.
    limiter.giveBack(a);
    expect(limiter.take(a, 10_000)).toBe(true);
    // Never more than the burst saved up, however long the quiet.
    expect([1, 2, 3, 4].map(() => limiter.take(a, 3_600_000)).filter(Boolean)).toHaveLength(3);
  });
});
