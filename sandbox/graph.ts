// The fake Graph Send API's behaviour: which answer a call gets in which mode.
import { randomBytes } from 'node:crypto';
import type { GraphError, GraphMode, OutageKind } from './types.js';

export type GraphAnswer = { kind: 'ok' } | { kind: 'error'; httpStatus: number; error: Omit<GraphError, 'fbtrace_id'> } | { kind: 'hang' };

/** Counters that make rotating and intermittent modes deterministic; reset whenever the mode changes. */
export interface GraphCounters {
  outageCalls: number;
  intermittentCalls: number;
}

const OUTAGE_ROTATION: readonly Exclude<OutageKind, 'rotate'>[] = ['code2', 'code1200', 'http500'];

const CODE2: Omit<GraphError, 'fbtrace_id'> = {
  message: 'An unexpected error has occurred. Please retry your request later.',
  type: 'OAuthException',
  code: 2,
  is_transient: true,
};

function outageAnswer(kind: Exclude<OutageKind, 'rotate'>): GraphAnswer {
  switch (kind) {
    case 'code2':
      return { kind: 'error', httpStatus: 400, error: CODE2 };
    case 'code1200':
      return {
        kind: 'error',
        httpStatus: 400,
        error: {
          message: 'Temporary send message failure. Please try again later',
          type: 'FacebookApiException',
          code: 1200,
          is_transient: true,
        },
      };
    case 'http500':
      return {
        kind: 'error',
        httpStatus: 500,
        error: { message: 'An unknown error occurred', type: 'OAuthException', code: 1, is_transient: true },
      };
  }
}

/** Decides the answer for one call; mutates `counters` (rotation and intermittent bookkeeping). */
export function answerFor(mode: GraphMode, opts: { outageKind: OutageKind; failureRatio: number }, counters: GraphCounters): GraphAnswer {
  switch (mode) {
    case 'healthy':
      return { kind: 'ok' };
    case 'hang':
      return { kind: 'hang' };
    case 'outage': {
      const n = counters.outageCalls++;
      const kind = opts.outageKind === 'rotate' ? (OUTAGE_ROTATION[n % OUTAGE_ROTATION.length] ?? 'code2') : opts.outageKind;
      return outageAnswer(kind);
    }
    case 'intermittent': {
      // Fails exactly when n*ratio crosses an integer: ratio 0.5 fails calls 2, 4, 6…; 1/3 fails 3, 6, 9….
      const n = ++counters.intermittentCalls;
      const r = opts.failureRatio;
      const fails = Math.floor(n * r + 1e-9) > Math.floor((n - 1) * r + 1e-9);
      return fails ? { kind: 'error', httpStatus: 400, error: CODE2 } : { kind: 'ok' };
    }
    case 'policy_window':
      return {
        kind: 'error',
        httpStatus: 400,
        error: {
          message:
            '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
          type: 'OAuthException',
          code: 10,
          error_subcode: 2018278,
        },
      };
    case 'recipient_unavailable':
      return {
        kind: 'error',
        httpStatus: 400,
        error: { message: "This person isn't available right now.", type: 'OAuthException', code: 551, error_subcode: 1545041 },
      };
    case 'throttled':
      return {
        kind: 'error',
        httpStatus: 400,
        // Graph prefixes "(#code)" to messages of numbered permission/rate errors.
        error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 },
      };
    case 'bad_token':
      return {
        kind: 'error',
        httpStatus: 400,
        error: { message: 'Error validating access token: Session has expired.', type: 'OAuthException', code: 190, error_subcode: 463 },
      };
  }
}

/** Random-looking id in the style of Meta's fbtrace_id (e.g. "AbC1dEf2GhI"). */
export function fbtraceId(): string {
  return randomBytes(9).toString('base64url').slice(0, 11);
}

/** Message id in the style of Send API's "m_…" ids. */
export function graphMessageId(): string {
  return `m_${randomBytes(24).toString('base64url')}`;
}
