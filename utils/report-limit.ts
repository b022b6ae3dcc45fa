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
  /** Whether a new record may be made now (nothing is spent). */
  allows(origin: string, now: number): boolean;
  /** Spends one new record. */
  spend(origin: string, now: number): void;
}

export function createReportLimiter(limit: ReportLimit = REPORT_LIMIT): ReportLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (origin: string, now: number) => {
    const bucket = buckets.get(origin) ?? { tokens: limit.burst, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsed * limit.perMinute) / 60_000);
    bucket.at = now;
    buckets.set(origin, bucket);
    return bucket;
  };
  return {
    allows: (origin, now) => refill(origin, now).tokens >= 1,
    spend(origin, now) {
      const bucket = refill(origin, now);
      bucket.tokens = Math.max(0, bucket.tokens - 1);
    },
  };
}
