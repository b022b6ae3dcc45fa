import { describe, expect, it } from 'vitest';
import {
  findNetworkFailure,
  MAX_ERROR_BODY_CHARS,
  NETWORK_SIGNAL_TAG,
  readNetworkFailure,
  readNetworkSignal,
  ticketFromPath,
} from '@/core/failures/network-signal';
import { classifySendError } from '@/core/failures/send-errors';
import { META_ERROR_CASES } from '../fixtures/meta-errors';

const CUSTOMER_TEXT = 'Hi Anna, your refund of 49.90 EUR was approved today.';
const META_MESSAGE = '(#10) This message is sent outside of allowed window.';

function onlyCodeFields(failure: object | null): void {
  expect(failure).not.toBeNull();
  for (const key of Object.keys(failure ?? {})) expect(['code', 'subcode', 'type']).toContain(key);
}

describe('readNetworkFailure: Graph errors', () => {
  it.each(META_ERROR_CASES.map((c) => [c.name, c] as const))('%s → code, subcode, type and the same class', (_name, c) => {
    const failure = readNetworkFailure(c.body);
    onlyCodeFields(failure);
    expect(failure).toMatchObject({ code: c.code, ...(c.subcode !== undefined ? { subcode: c.subcode } : {}) });
    // What the background makes of the forwarded fields is what it would make of the whole body.
    expect(classifySendError({ code: failure?.code, subcode: failure?.subcode, type: failure?.type }).errorClass).toBe(c.errorClass);
  });

  it('finds an error nested in a helpdesk JSON answer (breadth first: the outermost wins)', () => {
    // A helpdesk-style answer: the provider's error kept inside the message's delivery details.
    const body = JSON.stringify({
      ticket: { id: 101, comments: [{ body: CUSTOMER_TEXT }] },
      message: {
        id: 'm-101-a1',
        text: CUSTOMER_TEXT,
        delivery: {
          status: 'failed',
          provider_response: {
            error: { message: META_MESSAGE, type: 'OAuthException', code: 10, error_subcode: 2018278, fbtrace_id: 'A1' },
          },
        },
      },
      deeper: { a: { b: { c: { error: { code: 2, type: 'OAuthException' } } } } },
    });
    expect(readNetworkFailure(body)).toEqual({ code: 10, subcode: 2018278, type: 'OAuthException' });
  });

  it('finds errors inside arrays and accepts numeric strings and a re-shaped `subcode`', () => {
    const body = JSON.stringify({ results: [{ ok: true }, { error: { code: '1200', subcode: '99', type: 'FacebookApiException' } }] });
    expect(readNetworkFailure(body)).toEqual({ code: 1200, subcode: 99, type: 'FacebookApiException' });
  });

  it('reports a codeless delivery-failure event as delivery_failed, and nothing else about it', () => {
    const body = JSON.stringify({
      event: 'message.updated',
      data: { id: 'm1', text: CUSTOMER_TEXT, status: 'failed', error: 'Request timed out' },
    });
    expect(readNetworkFailure(body)).toEqual({ type: 'delivery_failed' });
    expect(findNetworkFailure({ status: 'FAILED', error: { code: null, message: CUSTOMER_TEXT, timedOut: true } })).toEqual({
      type: 'delivery_failed',
    });
  });

  it('prefers a Graph error over a delivery-failure event in the same answer', () => {
    const value = { status: 'failed', error: { code: null }, details: { error: { code: 2, type: 'OAuthException' } } };
    expect(findNetworkFailure(value)).toEqual({ code: 2, type: 'OAuthException' });
  });
});

describe('readNetworkFailure: never forwards bodies or texts', () => {
  it('drops messages, user titles, trace ids and the reply itself', () => {
    const body = JSON.stringify({
      text: CUSTOMER_TEXT,
      error: {
        message: `${META_MESSAGE} ${CUSTOMER_TEXT}`,
        error_user_title: 'Message Not Sent',
        error_user_msg: CUSTOMER_TEXT,
        error_data: { blame_field_specs: [['recipient']] },
        type: 'OAuthException',
        code: 10,
        error_subcode: 2018278,
        fbtrace_id: 'AbCdEf0123456789xyz',
      },
    });
    const failure = readNetworkFailure(body);
    expect(failure).toEqual({ code: 10, subcode: 2018278, type: 'OAuthException' });
    const forwarded = JSON.stringify(failure);
    for (const secret of [CUSTOMER_TEXT, META_MESSAGE, 'Message Not Sent', 'AbCdEf', 'recipient']) expect(forwarded).not.toContain(secret);
  });

  it('drops a `type` that is a sentence, and type-less codeless objects', () => {
    expect(readNetworkFailure(JSON.stringify({ error: { code: 2, error_subcode: 5, type: CUSTOMER_TEXT } }))).toEqual({
      code: 2,
      subcode: 5,
    });
    expect(readNetworkFailure(JSON.stringify({ error: { code: 2, type: CUSTOMER_TEXT } }))).toBeNull();
    expect(readNetworkFailure(JSON.stringify({ error: { code: 2, type: 'x'.repeat(65) } }))).toBeNull();
    expect(readNetworkFailure(JSON.stringify({ error: { message: CUSTOMER_TEXT, type: 'OAuthException' } }))).toBeNull();
  });

  it('drops impossible codes', () => {
    expect(readNetworkFailure('{"error":{"code":-1,"type":"OAuthException"}}')).toBeNull();
    expect(readNetworkFailure('{"error":{"code":2.5,"type":"OAuthException"}}')).toBeNull();
    expect(readNetworkFailure('{"error":{"code":1e12,"type":"OAuthException"}}')).toBeNull();
    expect(readNetworkFailure('{"error":{"code":"12345678901","type":"OAuthException"}}')).toBeNull();
  });
});

describe('readNetworkFailure: survives anything', () => {
  const cases: [string, unknown][] = [
    ['an HTML error page', '<!doctype html><title>502</title><h1>Bad Gateway</h1><p>"error"</p>'],
    ['truncated JSON', '{"error":{"message":"(#2) Service temporarily unavailable","type":"OAuthException","co'],
    ['an empty body', ''],
    ['whitespace', '   \n '],
    ['JSON null', 'null'],
    ['a JSON string', '"error"'],
    ['a number', '42'],
    ['error as a string', '{"error":"Invalid OAuth access token."}'],
    ['error as an array', '{"error":[{"code":2,"type":"OAuthException"}]}'],
    ['a successful send', '{"recipient_id":"6723459876543210","message_id":"m_AbC"}'],
    ['not a string', 12345 as unknown],
    ['undefined', undefined],
  ];
  it.each(cases)('%s → null', (_name, input) => {
    expect(() => readNetworkFailure(input as string)).not.toThrow();
    expect(readNetworkFailure(input as string)).toBeNull();
  });

  it('skips oversized answers without parsing them', () => {
    const padding = 'x'.repeat(MAX_ERROR_BODY_CHARS);
    const huge = JSON.stringify({ padding, error: { code: 2, type: 'OAuthException' } });
    expect(readNetworkFailure(huge)).toBeNull();
    const megabytes = `{"error":{"code":2,"type":"OAuthException"},"log":"${'y'.repeat(5_000_000)}"}`;
    const started = performance.now();
    expect(readNetworkFailure(megabytes)).toBeNull();
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('stops at its depth and node bounds instead of walking everything', () => {
    let deep: unknown = { error: { code: 2, type: 'OAuthException' } };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    expect(findNetworkFailure(deep)).toBeNull();
    const wide = { items: Array.from({ length: 5000 }, (_, i) => ({ i })), later: [{ error: { code: 2, type: 'OAuthException' } }] };
    expect(findNetworkFailure(wide)).toBeNull();
    // Within bounds it is found.
    expect(findNetworkFailure({ a: { b: { c: { error: { code: 2, type: 'OAuthException' } } } } })).toEqual({
      code: 2,
      type: 'OAuthException',
    });
  });

  it('is not fooled by cycles', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    a.list = [a, a];
    expect(findNetworkFailure(a)).toBeNull();
  });
});

describe('ticketFromPath', () => {
  it('reads the ticket id from Zendesk and Chatwoot paths only', () => {
    expect(ticketFromPath('/agent/tickets/101')).toBe('101');
    expect(ticketFromPath('/agent/tickets/101/events')).toBe('101');
    expect(ticketFromPath('/app/accounts/3/inbox/7/conversations/4521')).toBe('4521');
    expect(ticketFromPath('/app/accounts/3/conversations/4521')).toBe('4521');
    expect(ticketFromPath('/agent/dashboard')).toBeNull();
    expect(ticketFromPath('/agent/tickets/new')).toBeNull();
  });
});

describe('readNetworkSignal: window messages are untrusted', () => {
  const signal = { tag: NETWORK_SIGNAL_TAG, ticket: '101', code: 2, subcode: 2018001, type: 'OAuthException' };

  it('accepts the main-world script’s message and returns its fields', () => {
    expect(readNetworkSignal(signal)).toEqual({ ticket: '101', code: 2, subcode: 2018001, type: 'OAuthException' });
    expect(readNetworkSignal({ tag: NETWORK_SIGNAL_TAG, ticket: '7' })).toEqual({ ticket: '7' });
  });

  it.each([
    ['another tag', { ...signal, tag: 'send-guard:network-failure:v0' }],
    ['an extra key', { ...signal, text: 'customer text' }],
    ['a ticket that is not digits', { ...signal, ticket: '101<img>' }],
    ['a numeric ticket', { ...signal, ticket: 101 }],
    ['a negative code', { ...signal, code: -1 }],
    ['a fractional code', { ...signal, code: 2.5 }],
    ['a code above 2^31', { ...signal, code: 2 ** 31 + 1 }],
    ['a string subcode', { ...signal, subcode: '2018001' }],
    ['a NaN code', { ...signal, code: Number.NaN }],
    ['a sentence as the type', { ...signal, type: 'Your message to Jane failed' }],
    ['an array', [signal]],
    ['null', null],
    ['a string', NETWORK_SIGNAL_TAG],
  ])('refuses %s', (_label, data) => {
    expect(readNetworkSignal(data)).toBeNull();
  });
});
