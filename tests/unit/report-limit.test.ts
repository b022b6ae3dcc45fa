import { describe, expect, it } from 'vitest';
import { createReportLimiter } from '@/utils/report-limit';

describe('report limiter', () => {
  it('allows a burst, then a steady rate, per helpdesk', () => {
    const limiter = createReportLimiter({ burst: 3, perMinute: 6 });
    const a = 'https://a.zendesk.com';
    const b = 'https://b.zendesk.com';
    let made = 0;
    for (let i = 0; i < 10; i++) {
      if (limiter.allows(a, 0)) {
        limiter.spend(a, 0);
        made++;
      }
    }
    expect(made).toBe(3);
    // Another helpdesk has its own allowance.
    expect(limiter.allows(b, 0)).toBe(true);
    // 6 per minute: one more every 10 s.
    expect(limiter.allows(a, 9_000)).toBe(false);
    expect(limiter.allows(a, 10_000)).toBe(true);
    limiter.spend(a, 10_000);
    expect(limiter.allows(a, 10_000)).toBe(false);
    // Never more than the burst saved up, however long the quiet.
    expect(limiter.allows(a, 3_600_000)).toBe(true);
    for (let i = 0; i < 3; i++) limiter.spend(a, 3_600_000);
    expect(limiter.allows(a, 3_600_000)).toBe(false);
  });
});
