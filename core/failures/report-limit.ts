// How many new kept replies one helpdesk may create: a burst, then a steady rate. A page script
// that forges "failed" messages by the hundred makes a hundred records, then one a second; an agent,
// who cannot send more than a reply every few seconds, never meets the limit. Pure: the worker
// keeps one per helpdesk origin and passes the time.

export interface ReportLimit {
  /** New records allowed at once. */
  burst: number;
  /** New records allowed per minute after the burst. */
  perMinute: number;
}

export const REPORT_LIMIT: ReportLimit = { burst: 100, perMinute: 60 };

export interface ReportLimiter {
  /**
   * Takes one new record from the allowance at once (false when none is left). Taken before the
   * asynchronous store, so reports arriving together cannot all pass the same check.
   */
  take(origin: string, now: number): boolean;
  /** Gives back what `take` took, when the report made no new record after all. */
  giveBack(origin: string): void;
}

export function createReportLimiter(limit: ReportLimit = REPORT_LIMIT): ReportLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (origin: string, now: number) => {
    const bucket = buckets.get(origin) ?? { tokens: limit.burst, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsed * limit.perMinute) / 60_000);
    bucket.at = Math.max(bucket.at, now);
    buckets.set(origin, bucket);
    return bucket;
  };
  return {
    take(origin, now) {
      const bucket = refill(origin, now);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    giveBack(origin) {
      const bucket = buckets.get(origin);
      if (bucket) bucket.tokens = Math.min(limit.burst, bucket.tokens + 1);
    },
  };
}
