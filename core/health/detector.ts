import { z } from 'zod';
import { Channel, ErrorClass, HealthLevel } from '../schemas';

export const DetectorSettings = z.object({
  /** Failures counted toward `degraded` must fall within this window. */
  windowMs: z.number().int().positive(),
  degradedFailures: z.number().int().positive(),
  degradedConversations: z.number().int().positive(),
  /** `outage` needs at least this many attempts in the window, most of them failed. */
  outageMinAttempts: z.number().int().positive(),
  recoverySuccesses: z.number().int().positive(),
  quietMs: z.number().int().positive(),
});
export type DetectorSettings = z.infer<typeof DetectorSettings>;

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = {
  windowMs: 5 * 60_000,
  degradedFailures: 3,
  degradedConversations: 2,
  outageMinAttempts: 5,
  recoverySuccesses: 3,
  quietMs: 10 * 60_000,
};

export const SendEvent = z.object({
  at: z.number().int().nonnegative(),
  outcome: z.enum(['failed', 'delivered']),
  errorClass: ErrorClass.optional(),
  conversation: z.string().min(1).max(300),
});
export type SendEvent = z.infer<typeof SendEvent>;

export const ChannelHealth = z.object({
  channel: Channel,
  level: HealthLevel,
  /** What the level is about: the platform failing, or widespread throttling. */
  cause: z.enum(['provider', 'rate_limited']).optional(),
  since: z.number().int().nonnegative().optional(),
  recoveredAt: z.number().int().nonnegative().optional(),
  conversations: z.number().int().nonnegative(),
  successStreak: z.number().int().nonnegative(),
  lastFailureAt: z.number().int().nonnegative().optional(),
  events: z.array(SendEvent).max(2000),
});
export type ChannelHealth = z.infer<typeof ChannelHealth>;

export function initialHealth(channel: Channel): ChannelHealth {
  return { channel, level: 'operational', conversations: 0, successStreak: 0, events: [] };
}

const COUNTED: ReadonlySet<string> = new Set(['provider_transient']);

/**
 * At most this many failures a minute from one helpdesk origin count (per channel): a page that
 * floods reports (a bug, a hostile script) weighs like a busy agent, not like a whole team.
 */
export const FAILURES_PER_ORIGIN_MINUTE = 6;

/** The helpdesk origin of a conversation key (`https://acme.zendesk.com/4711`); '' if it has none. */
function originOf(conversation: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.exec(conversation)?.[0] ?? '';
}

/** Failures that move the level: platform trouble, and throttling. */
function isCountedFailure(event: SendEvent): boolean {
  return event.outcome === 'failed' && !!event.errorClass && (COUNTED.has(event.errorClass) || event.errorClass === 'rate_limited');
}

/**
 * One step of the per-channel outage detector: pure, clock passed in. Only platform
 * failures (`provider_transient`) across several conversations raise it; one customer's
 * problem (window, unreachable, auth) never does, nor does a delivery or the clock. Hysteresis:
 * it returns to operational only after a streak of deliveries or a quiet period. A page's
 * time is never later than now, and one helpdesk origin's failures count at most
 * FAILURES_PER_ORIGIN_MINUTE a minute.
 */
export function stepHealth(
  health: ChannelHealth,
  input: { event?: SendEvent; now: number },
  settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS,
): ChannelHealth {
  const { now } = input;
  // A page's clock may run ahead: an event is never later than now.
  let event = input.event && input.event.at > now ? { ...input.event, at: now } : input.event;
  if (event && isCountedFailure(event)) {
    const origin = originOf(event.conversation);
    const at = event.at;
    const sameMinute = health.events.filter(
      (e) => isCountedFailure(e) && originOf(e.conversation) === origin && e.at > at - 60_000 && e.at <= at,
    ).length;
    // Over the cap: a clock tick, as if the report had not come.
    if (sameMinute >= FAILURES_PER_ORIGIN_MINUTE) event = undefined;
  }
  // Only a failure that counts may raise the level; deliveries and ticks only keep or lower it.
  const mayRaise = !!event && isCountedFailure(event);
  const horizon = now - Math.max(settings.windowMs, settings.quietMs);
  const events = (event ? [...health.events, event] : health.events).filter((e) => e.at >= horizon).slice(-1000);
  let successStreak = health.successStreak;
  let lastFailureAt = health.lastFailureAt;
  if (event?.outcome === 'delivered') successStreak += 1;
  // Throttling ends a delivery streak too: else older deliveries end a rate-limit episode at once,
  // and without a failure time a throttled channel (agents holding back) never recovers by quiet.
  if (event && isCountedFailure(event)) {
    successStreak = 0;
    lastFailureAt = Math.max(lastFailureAt ?? 0, event.at);
  }

  // Events from before the last recovery belong to the finished episode (hysteresis: no flapping back).
  const from = Math.max(now - settings.windowMs, (health.recoveredAt ?? -1) + 1);
  const recent = events.filter((e) => e.at >= from);
  const platformFailures = recent.filter((e) => e.outcome === 'failed' && e.errorClass && COUNTED.has(e.errorClass));
  const throttled = recent.filter((e) => e.outcome === 'failed' && e.errorClass === 'rate_limited');
  const deliveries = recent.filter((e) => e.outcome === 'delivered');
  const conversations = new Set(platformFailures.map((e) => e.conversation)).size;
  const attempts = platformFailures.length + deliveries.length;

  let wanted: HealthLevel = 'operational';
  let cause: ChannelHealth['cause'];
  if (platformFailures.length >= settings.degradedFailures && conversations >= settings.degradedConversations) {
    wanted = attempts >= settings.outageMinAttempts && platformFailures.length * 2 > attempts ? 'outage' : 'degraded';
    cause = 'provider';
  } else if (
    throttled.length >= settings.degradedFailures &&
    new Set(throttled.map((e) => e.conversation)).size >= settings.degradedConversations
  ) {
    wanted = 'degraded';
    cause = 'rate_limited';
  }

  const base = { ...health, events, successStreak, lastFailureAt, conversations };
  if (health.level === 'operational') {
    if (wanted === 'operational' || !mayRaise) return base;
    return { ...base, level: wanted, cause, since: now, recoveredAt: undefined };
  }
  // Already troubled: escalate freely, but step down only on clear recovery. A streak proves
  // recovery only if it would be unlikely (< 10 %) at the episode's own failure rate: after a
  // full outage 3 deliveries do, under 30 % intermittent failures it takes 7, so it cannot flap.
  const failed = health.cause === 'rate_limited' ? throttled.length : platformFailures.length;
  // The rate before the current streak: the streak is what is being judged.
  const rate = failed / Math.max(1, failed + deliveries.length - successStreak);
  const streakNeeded =
    rate > 0 && rate < 1 ? Math.max(settings.recoverySuccesses, Math.ceil(Math.log(0.1) / Math.log(1 - rate))) : settings.recoverySuccesses;
  const recovered =
    successStreak >= streakNeeded || (lastFailureAt !== undefined && now - lastFailureAt >= settings.quietMs && throttled.length === 0);
  if (recovered) {
    return { ...base, level: 'operational', cause: undefined, since: undefined, recoveredAt: now };
  }
  if (wanted === 'outage' && health.level !== 'outage' && mayRaise) return { ...base, level: 'outage', cause };
  return { ...base, cause: health.cause ?? cause };
}
