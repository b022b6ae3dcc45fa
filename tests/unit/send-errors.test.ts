// Payloads covered: 132 distinct inputs to classifySendError —
//   48 Meta error bodies (Graph, Messenger, Instagram, WhatsApp Cloud API; each also checked as
//      parsed JSON and as the {code, subcode, type} the page script forwards),
//   19 transport failures and forwarded-field cases (HTTP 5xx/429/4xx with HTML bodies, timeouts …),
//   27 helpdesk failure texts in English and German,
//   37 hostile or malformed inputs (empty, "null", truncated JSON, wrong types, 5 MB, 100 000-deep nesting …),
//    1 body with numeric codes as JSON strings;
// plus 13 inputs to readGraphError and 13 texts to readCodesFromText.
// The "payload counts" test below keeps these numbers honest.
//
// Sources: Meta's Graph API "Handling errors", Messenger Platform error codes, Instagram
// messaging error codes and WhatsApp Cloud API error codes (see tests/fixtures/meta-errors.ts),
// plus the failure texts the helpdesk shows (sandbox ticket page, English and German).
import { describe, expect, it } from 'vitest';
import {
  classifySendError,
  ERROR_ROWS,
  ERROR_SOURCES,
  type ErrorPlatform,
  type ErrorSource,
  findErrorRow,
  isDoNotRetry,
  readCodesFromText,
  readGraphError,
  type SendFailureEvidence,
  sendErrorFromText,
} from '@/core/failures/send-errors';
import { initialHealth, stepHealth } from '@/core/health/detector';
import type { ErrorClass } from '@/core/schemas';
import { ADVICE } from '@/entrypoints/helpdesk.content/banner/wording';
import { META_ERROR_CASES } from '../fixtures/meta-errors';

describe('classifySendError on Meta error bodies', () => {
  it.each(META_ERROR_CASES)('$name → $errorClass', ({ body, httpStatus, errorClass, code, subcode }) => {
    expect(classifySendError({ body, httpStatus })).toEqual({
      errorClass,
      code,
      subcode,
      doNotRetry: isDoNotRetry({ code, subcode }),
    });
  });

  it.each(META_ERROR_CASES)('$name is read the same from parsed JSON', ({ body, errorClass, code, subcode }) => {
    expect(classifySendError({ body: JSON.parse(body) })).toMatchObject({ errorClass, code, subcode });
  });

  it.each(META_ERROR_CASES)('$name is read the same from the fields the page script forwards', ({ body, errorClass, code, subcode }) => {
    const { error } = JSON.parse(body) as { error: { code: number; error_subcode?: number; type: string } };
    expect(classifySendError({ code: error.code, subcode: error.error_subcode, type: error.type })).toMatchObject({
      errorClass,
      code,
      subcode,
    });
  });

  it('gives every platform-trouble code its own advice, distinct from the window and the token advice', () => {
    // The advice the banner and the popup show for the class (ADVICE[reply.error.errorClass]).
    const advice = (body: string) => ADVICE[classifySendError({ body }).errorClass];
    const [outage, window, token] = [
      '[graph] 2 API Service, is_transient',
      '[messenger] 10/2018278 outside the allowed window',
      '[graph] 190/463 access token expired',
    ].map((name) => advice(META_ERROR_CASES.find((c) => c.name === name)?.body ?? ''));
    expect(outage).toBe('adviceProviderTransient');
    expect(window).toBe('advicePolicyWindow');
    expect(token).toBe('adviceAuth');
  });
});

interface Row {
  name: string;
  evidence: SendFailureEvidence;
  errorClass: ErrorClass;
  code?: number;
  subcode?: number;
}

const HTML_500 = '<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1></body></html>';
const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>';
const HTML_503 = '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>';

const TRANSPORT: Row[] = [
  { name: 'HTTP 500 with an HTML error page', evidence: { httpStatus: 500, body: HTML_500 }, errorClass: 'provider_transient' },
  { name: 'HTTP 502 from a proxy (HTML)', evidence: { httpStatus: 502, body: HTML_502 }, errorClass: 'provider_transient' },
  { name: 'HTTP 503 (HTML)', evidence: { httpStatus: 503, body: HTML_503 }, errorClass: 'provider_transient' },
  { name: 'HTTP 504 with an empty body', evidence: { httpStatus: 504, body: '' }, errorClass: 'provider_transient' },
  { name: 'HTTP 429 with an empty body', evidence: { httpStatus: 429, body: '' }, errorClass: 'rate_limited' },
  { name: 'HTTP 429 with a plain-text body', evidence: { httpStatus: 429, body: 'Too Many Requests' }, errorClass: 'rate_limited' },
  { name: 'HTTP 401 without a body', evidence: { httpStatus: 401 }, errorClass: 'auth' },
  { name: 'HTTP 403 with an HTML body', evidence: { httpStatus: 403, body: '<html><body>Forbidden</body></html>' }, errorClass: 'auth' },
  {
    name: 'HTTP 404 with an HTML body',
    evidence: { httpStatus: 404, body: '<html><body>Not Found</body></html>' },
    errorClass: 'invalid_request',
  },
  { name: 'a timeout', evidence: { timedOut: true }, errorClass: 'provider_transient' },
  { name: 'a network error (fetch rejected)', evidence: { networkError: true }, errorClass: 'provider_transient' },
  { name: 'a timeout that also carries an HTTP 400', evidence: { timedOut: true, httpStatus: 400 }, errorClass: 'provider_transient' },
  // Graph puts the code in the body; the code is more precise than the status.
  {
    name: 'HTTP 500 whose body says token expired (190)',
    evidence: {
      httpStatus: 500,
      body: '{"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463}}',
    },
    errorClass: 'auth',
    code: 190,
    subcode: 463,
  },
  {
    name: 'HTTP 400 whose body says code 2',
    evidence: { httpStatus: 400, body: '{"error":{"message":"An unexpected error has occurred.","type":"OAuthException","code":2}}' },
    errorClass: 'provider_transient',
    code: 2,
  },
  {
    name: 'an undocumented code with is_transient:true',
    evidence: { httpStatus: 400, body: '{"error":{"message":"Please retry","type":"OAuthException","is_transient":true,"code":987654}}' },
    errorClass: 'provider_transient',
    code: 987654,
  },
  {
    name: 'an undocumented code with is_transient:false on HTTP 400',
    evidence: {
      httpStatus: 400,
      body: '{"error":{"message":"Unsupported post request.","type":"GraphMethodException","is_transient":false,"code":987654}}',
    },
    errorClass: 'invalid_request',
    code: 987654,
  },
  { name: 'is_transient alone (page script)', evidence: { isTransient: true }, errorClass: 'provider_transient' },
  { name: 'an undocumented code alone', evidence: { code: 987654 }, errorClass: 'unknown', code: 987654 },
  {
    name: 'code 10 with an unlisted subcode falls back to "permission denied"',
    evidence: { code: 10, subcode: 1234567 },
    errorClass: 'auth',
    code: 10,
    subcode: 1234567,
  },
];

// What the helpdesk prints beside a failed message (sandbox ticket page wording, EN and DE).
const UI_TEXTS: Row[] = [
  {
    name: 'EN policy window with code and subcode',
    evidence: { uiText: 'Not delivered — Error code 10, subcode 2018278: (#10) This message is sent outside of allowed window.' },
    errorClass: 'policy_window',
    code: 10,
    subcode: 2018278,
  },
  {
    name: 'DE unexpected error, code 2',
    evidence: { uiText: 'Nicht zugestellt — Fehlercode 2: Ein unerwarteter Fehler ist aufgetreten' },
    errorClass: 'provider_transient',
    code: 2,
  },
  {
    name: 'EN rate limit by (#613)',
    evidence: { uiText: '(#613) Calls to this api have exceeded the rate limit.' },
    errorClass: 'rate_limited',
    code: 613,
  },
  {
    name: 'DE policy window with Fehlercode and Subcode',
    evidence: {
      uiText:
        'Nicht zugestellt — Fehlercode 10, Subcode 2018278: (#10) Diese Nachricht wurde außerhalb des zulässigen Zeitfensters gesendet.',
    },
    errorClass: 'policy_window',
    code: 10,
    subcode: 2018278,
  },
  {
    name: 'EN person not available (551/1545041)',
    evidence: { uiText: "Not delivered — Error code 551, subcode 1545041: (#551) This person isn't available right now." },
    errorClass: 'recipient_unavailable',
    code: 551,
    subcode: 1545041,
  },
  {
    name: 'DE person not available (551/1545041)',
    evidence: { uiText: 'Nicht zugestellt — Fehlercode 551, Subcode 1545041: (#551) Diese Person ist gerade nicht verfügbar.' },
    errorClass: 'recipient_unavailable',
    code: 551,
    subcode: 1545041,
  },
  {
    name: 'EN token expired (190/463)',
    evidence: { uiText: 'Not delivered — Error code 190, subcode 463: Error validating access token: Session has expired' },
    errorClass: 'auth',
    code: 190,
    subcode: 463,
  },
  {
    name: 'DE token expired (190/463)',
    evidence: { uiText: 'Nicht zugestellt — Fehlercode 190, Subcode 463: Fehler beim Prüfen des Zugriffstokens' },
    errorClass: 'auth',
    code: 190,
    subcode: 463,
  },
  {
    name: 'EN temporary send failure (1200)',
    evidence: { uiText: 'Not delivered — Error code 1200: (#1200) Temporary send message failure. Please try again later' },
    errorClass: 'provider_transient',
    code: 1200,
  },
  {
    name: 'EN WhatsApp re-engagement (131047) after the icon label',
    evidence: { uiText: 'Message failed to send — Not delivered — Error code 131047: (#131047) Re-engagement message' },
    errorClass: 'policy_window',
    code: 131047,
  },
  { name: 'EN "Error code: 4" with a colon', evidence: { uiText: 'Failed to send. Error code: 4' }, errorClass: 'rate_limited', code: 4 },
  { name: 'EN timeout, no code', evidence: { uiText: 'Not delivered — Error: Request timed out' }, errorClass: 'provider_transient' },
  {
    name: 'DE timeout, no code',
    evidence: { uiText: 'Nicht zugestellt — Fehler: Zeitüberschreitung der Anfrage' },
    errorClass: 'provider_transient',
  },
  {
    name: 'EN window text, no code',
    evidence: { uiText: 'Not delivered — This message is sent outside of allowed window.' },
    errorClass: 'policy_window',
  },
  {
    name: 'DE 24-hour window text, no code',
    evidence: { uiText: 'Nicht zugestellt — Die Antwort liegt außerhalb des 24-Stunden-Fensters.' },
    errorClass: 'policy_window',
  },
  {
    name: 'EN recipient text, no code',
    evidence: { uiText: "Not delivered — This person isn't available right now." },
    errorClass: 'recipient_unavailable',
  },
  {
    name: 'EN throttling text, no code',
    evidence: { uiText: 'Not delivered — Too many requests. Slow down.' },
    errorClass: 'rate_limited',
  },
  { name: 'DE throttling text, no code', evidence: { uiText: 'Nicht zugestellt — Zu viele Anfragen' }, errorClass: 'rate_limited' },
  { name: 'EN reconnect text, no code', evidence: { uiText: 'Not delivered — Please reconnect your Facebook Page.' }, errorClass: 'auth' },
  { name: 'DE session expired text, no code', evidence: { uiText: 'Nicht zugestellt — Ihre Sitzung ist abgelaufen.' }, errorClass: 'auth' },
  {
    name: 'EN service unavailable text, no code',
    evidence: { uiText: 'Not delivered — Service temporarily unavailable' },
    errorClass: 'provider_transient',
  },
  // A service being down is not a customer being unreachable, in German as in English.
  {
    name: 'DE service unavailable text, no code',
    evidence: { uiText: 'Nicht zugestellt — Dienst vorübergehend nicht verfügbar' },
    errorClass: 'provider_transient',
  },
  {
    name: 'DE unexpected error text, no code',
    evidence: { uiText: 'Nicht zugestellt — Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.' },
    errorClass: 'provider_transient',
  },
  { name: 'EN bare failure label', evidence: { uiText: 'Message failed to send — Not delivered' }, errorClass: 'unknown' },
  {
    name: 'DE bare failure label',
    evidence: { uiText: 'Nachricht konnte nicht gesendet werden — Nicht zugestellt' },
    errorClass: 'unknown',
  },
  // The network's own code is more reliable than a code read out of page text.
  {
    name: 'forwarded code beats the code in the UI text',
    evidence: { code: 613, uiText: 'Not delivered — Error code 2: An unexpected error has occurred.' },
    errorClass: 'rate_limited',
    code: 613,
  },
  {
    name: 'body message text classifies a code-less body',
    evidence: { body: '{"error":{"message":"Calls to this api have exceeded the rate limit.","type":"OAuthException"}}' },
    errorClass: 'rate_limited',
  },
];

/** The whole classification of a row; the do-not-retry flag of each documented pair is pinned by "documented pairs" below. */
function expectClassified({ evidence, errorClass, code, subcode }: Row) {
  expect(classifySendError(evidence)).toEqual({
    errorClass,
    code,
    subcode,
    doNotRetry: isDoNotRetry({ code, subcode }),
  });
}

describe('classifySendError on transport failures and forwarded fields', () => {
  it.each(TRANSPORT)('$name → $errorClass', expectClassified);
});

describe('classifySendError on helpdesk failure texts', () => {
  it.each(UI_TEXTS)('$name → $errorClass', expectClassified);
});

function nestedArrayText(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function nestedArray(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const FIVE_MB = 5 * 1024 * 1024;
const hugeGraphBody = `{"error":{"code":10,"error_subcode":2018278,"message":"${'x'.repeat(FIVE_MB)}"}}`;
const circular: Record<string, unknown> = {};
circular.error = circular;
const throwingBody = {
  get error(): unknown {
    throw new Error('getter exploded');
  },
};

// Each must be survived without throwing, giving `unknown` or the class of the HTTP status.
const HOSTILE: Array<{ name: string; evidence: SendFailureEvidence; errorClass: ErrorClass }> = [
  { name: 'no evidence at all', evidence: {}, errorClass: 'unknown' },
  { name: 'empty string body', evidence: { body: '' }, errorClass: 'unknown' },
  { name: 'whitespace body', evidence: { body: ' \n\t ' }, errorClass: 'unknown' },
  { name: '"null" body', evidence: { body: 'null' }, errorClass: 'unknown' },
  { name: 'null body', evidence: { body: null }, errorClass: 'unknown' },
  { name: 'truncated JSON', evidence: { body: '{"error":{"code":2' }, errorClass: 'unknown' },
  { name: 'truncated JSON on HTTP 503', evidence: { body: '{"error":{"code":2', httpStatus: 503 }, errorClass: 'provider_transient' },
  { name: 'code "abc"', evidence: { body: '{"error":{"code":"abc","message":"x"}}' }, errorClass: 'unknown' },
  { name: 'code 2.5', evidence: { body: '{"error":{"code":2.5}}' }, errorClass: 'unknown' },
  { name: 'code -2', evidence: { body: '{"error":{"code":-2}}' }, errorClass: 'unknown' },
  { name: 'code as an object', evidence: { body: '{"error":{"code":{"value":2}}}' }, errorClass: 'unknown' },
  { name: 'error: []', evidence: { body: '{"error":[]}' }, errorClass: 'unknown' },
  { name: 'error: null', evidence: { body: '{"error":null}' }, errorClass: 'unknown' },
  { name: 'error: "string"', evidence: { body: '{"error":"Something broke"}' }, errorClass: 'unknown' },
  { name: 'error: {} on HTTP 429', evidence: { body: '{"error":{}}', httpStatus: 429 }, errorClass: 'rate_limited' },
  { name: 'a JSON array body', evidence: { body: '[{"error":{"code":2}}]' }, errorClass: 'unknown' },
  { name: 'number-as-string body "2"', evidence: { body: '2' }, errorClass: 'unknown' },
  { name: 'number-as-string body "503" without a status', evidence: { body: '503' }, errorClass: 'unknown' },
  { name: 'number body 503 on HTTP 503', evidence: { body: 503, httpStatus: 503 }, errorClass: 'provider_transient' },
  { name: 'JSON string body "\\"2\\""', evidence: { body: '"2"' }, errorClass: 'unknown' },
  { name: 'boolean body', evidence: { body: true }, errorClass: 'unknown' },
  { name: 'a 5 MB Graph-looking body', evidence: { body: hugeGraphBody }, errorClass: 'unknown' },
  { name: 'a 5 MB Graph-looking body on HTTP 502', evidence: { body: hugeGraphBody, httpStatus: 502 }, errorClass: 'provider_transient' },
  { name: 'a 5 MB UI text with no code', evidence: { uiText: 'y'.repeat(FIVE_MB) }, errorClass: 'unknown' },
  { name: '100 000 nested arrays as text', evidence: { body: nestedArrayText(100_000) }, errorClass: 'unknown' },
  { name: '100 000 nested arrays inside "error"', evidence: { body: `{"error":${nestedArrayText(100_000)}}` }, errorClass: 'unknown' },
  {
    name: '100 000 nested arrays inside "error" on HTTP 500',
    evidence: { body: `{"error":${nestedArrayText(100_000)}}`, httpStatus: 500 },
    errorClass: 'provider_transient',
  },
  { name: '100 000 nested arrays as a value', evidence: { body: nestedArray(100_000) }, errorClass: 'unknown' },
  { name: 'a circular object', evidence: { body: circular }, errorClass: 'unknown' },
  { name: 'an object whose getter throws', evidence: { body: throwingBody }, errorClass: 'unknown' },
  // Wrong types reaching the classifier from an untyped sender.
  { name: 'code NaN', evidence: { code: Number.NaN }, errorClass: 'unknown' },
  { name: 'code Infinity', evidence: { code: Number.POSITIVE_INFINITY }, errorClass: 'unknown' },
  { name: 'code "abc"', evidence: { code: 'abc' as unknown as number }, errorClass: 'unknown' },
  { name: 'httpStatus "500" as a string', evidence: { httpStatus: '500' as unknown as number }, errorClass: 'unknown' },
  { name: 'httpStatus 500.5', evidence: { httpStatus: 500.5 }, errorClass: 'unknown' },
  { name: 'uiText as a number', evidence: { uiText: 42 as unknown as string }, errorClass: 'unknown' },
  { name: 'uiText as an object', evidence: { uiText: {} as unknown as string }, errorClass: 'unknown' },
];

describe('payload counts', () => {
  it('matches the numbers in the comment at the top of this file', () => {
    expect([META_ERROR_CASES.length, TRANSPORT.length, UI_TEXTS.length, HOSTILE.length]).toEqual([48, 19, 27, 37]);
  });
});

describe('classifySendError never throws', () => {
  it.each(HOSTILE)('$name → $errorClass', ({ evidence, errorClass }) => {
    let result: ReturnType<typeof classifySendError> | undefined;
    expect(() => {
      result = classifySendError(evidence);
    }).not.toThrow();
    expect(result?.errorClass).toBe(errorClass);
  });

  it('gives up on a 5 MB body and a 5 MB text quickly (no page stall)', () => {
    const started = performance.now();
    classifySendError({ body: hugeGraphBody, uiText: 'z'.repeat(FIVE_MB) });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('reads a numeric code sent as a JSON string (lenient, like Graph proxies that stringify)', () => {
    expect(classifySendError({ body: '{"error":{"code":"613","error_subcode":" 2446079 "}}' })).toMatchObject({
      errorClass: 'rate_limited',
      code: 613,
      subcode: 2446079,
    });
  });
});

describe('readGraphError', () => {
  it('reads every documented field of a Graph error', () => {
    const body =
      '{"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2018278,"is_transient":false,"fbtrace_id":"Az8Kq"}}';
    expect(readGraphError(body)).toEqual({
      code: 10,
      subcode: 2018278,
      type: 'OAuthException',
      message: '(#10) This message is sent outside of allowed window.',
      isTransient: false,
    });
  });

  it('reads JSON text with surrounding whitespace and parsed objects alike', () => {
    expect(readGraphError('\n  {"error":{"code":2,"is_transient":true}}  \n')).toEqual({ code: 2, isTransient: true });
    expect(readGraphError({ error: { code: 2, is_transient: true } })).toEqual({ code: 2, isTransient: true });
  });

  it('keeps a message-only error (no code) so its text can still be classified', () => {
    expect(readGraphError('{"error":{"message":"Service temporarily unavailable"}}')).toEqual({
      message: 'Service temporarily unavailable',
    });
  });

  it('caps the message at 500 and the type at 100 characters', () => {
    const fields = readGraphError({ error: { code: 1, message: 'm'.repeat(5000), type: 't'.repeat(5000) } });
    expect(fields?.message).toHaveLength(500);
    expect(fields?.type).toHaveLength(100);
  });

  it.each([
    ['an HTML page', HTML_502],
    ['JSON without "error"', '{"data":[{"id":"1"}]}'],
    ['an error with neither code nor message', '{"error":{"type":"OAuthException"}}'],
    ['a JSON array', '[1,2,3]'],
    ['truncated JSON', '{"error":{"code":2'],
    ['a body over 256 KiB', `{"error":{"code":2,"message":"${'x'.repeat(300 * 1024)}"}}`],
    ['undefined', undefined],
    ['a number', 42],
  ])('returns null for %s', (_label, body) => {
    expect(readGraphError(body)).toBeNull();
  });
});

describe('readCodesFromText', () => {
  it.each([
    ['(#10) This message is sent outside of allowed window.', { code: 10 }],
    ['Error code 10, subcode 2018278: (#10) This message is sent outside…', { code: 10, subcode: 2018278 }],
    ['Fehlercode 2: Ein unerwarteter Fehler ist aufgetreten', { code: 2 }],
    ['Fehlercode 10, Subcode 2018278: …', { code: 10, subcode: 2018278 }],
    ['error_code: 190, error_subcode: 463', { code: 190, subcode: 463 }],
    ['Error code: 613', { code: 613 }],
    ['sub-code 1545041, code 551', { code: 551, subcode: 1545041 }],
    // A subcode alone must not be mistaken for the code.
    ['Subcode 2018278', { subcode: 2018278 }],
    ['Message failed to send', {}],
    ['', {}],
  ])('%j → %j', (text, expected) => {
    expect(readCodesFromText(text)).toEqual(expected);
  });

  it('prefers the "(#n)" code Graph puts in its message', () => {
    expect(readCodesFromText('Error code 99: (#613) Calls to this api have exceeded the rate limit.')).toEqual({ code: 613 });
  });

  it('only looks at the first 4000 characters', () => {
    expect(readCodesFromText(`${' '.repeat(4000)}(#2)`)).toEqual({});
    expect(readCodesFromText(`${' '.repeat(3990)}(#2)`)).toEqual({ code: 2 });
  });
});

// The worker turns what a helpdesk tab reported into the stored error: the page never picks the class.
describe('sendErrorFromText', () => {
  it('classifies the failure text the page showed and keeps it word for word', () => {
    const text = 'Nicht zugestellt — Fehlercode 2: Ein unerwarteter Fehler ist aufgetreten';
    expect(sendErrorFromText(text)).toEqual({ errorClass: 'provider_transient', code: 2, message: text });
  });

  it('keeps code and subcode read from the text', () => {
    const text = 'Not delivered — Error code 10, subcode 2018278: (#10) This message is sent outside of allowed window.';
    expect(sendErrorFromText(text)).toEqual({ errorClass: 'policy_window', code: 10, subcode: 2018278, message: text });
  });

  it.each([undefined, ''])('a failure with no text (%j) is stored as unknown, never as delivered', (text) => {
    expect(sendErrorFromText(text)).toEqual({ errorClass: 'unknown' });
  });
});

// Every documented code–subcode pair in the table (core/failures/send-errors.ts ERROR_ROWS, each row naming its
// source in ERROR_SOURCES), walked one by one: classified as its row says, from the forwarded fields and
// from a Graph error body alike. `npx vitest run tests/unit/send-errors.test.ts -t "counts the documented pairs"`
// prints the count per platform and strength of evidence.
/** Evidence strength of each source (core/failures/send-errors.ts ERROR_SOURCES). */
const EVIDENCE: Record<ErrorSource, 'read' | 'corroborated' | 'publicCode'> = {
  messenger: 'read',
  sendApi: 'read',
  whatsapp: 'read',
  whatsappHelp: 'read',
  graph: 'corroborated',
  windowMessage: 'corroborated',
  instagramCode: 'publicCode',
  publicCode: 'publicCode',
};
const pairName = (r: (typeof ERROR_ROWS)[number]) =>
  `[${r.platform}] ${r.code ?? 'any code'}${r.subcode !== undefined ? `/${r.subcode}` : ''}`;

describe('documented pairs', () => {
  it.each(ERROR_ROWS.map((r) => [pairName(r), r] as const))('%s', (_name, r) => {
    const code = r.code ?? 1; // a subcode row must decide whatever code comes with it: try the API Unknown code
    const expected = { errorClass: r.errorClass, doNotRetry: r.doNotRetry };
    expect(classifySendError({ code, subcode: r.subcode })).toMatchObject(expected);
    const body = JSON.stringify({ error: { message: 'x', type: 'OAuthException', code, error_subcode: r.subcode, fbtrace_id: 'A' } });
    expect(classifySendError({ body, httpStatus: 400 })).toMatchObject({ ...expected, code, subcode: r.subcode });
    expect(ERROR_SOURCES[r.source]).toBeTruthy();
  });

  it('a pair listed by several platforms means the same everywhere', () => {
    const seen = new Map<string, (typeof ERROR_ROWS)[number]>();
    for (const r of ERROR_ROWS) {
      const k = `${r.code}/${r.subcode}`;
      const first = seen.get(k);
      if (first)
        expect({ k, errorClass: r.errorClass, doNotRetry: r.doNotRetry }).toEqual({
          k,
          errorClass: first.errorClass,
          doNotRetry: first.doNotRetry,
        });
      else seen.set(k, r);
    }
  });

  it('a do-not-retry code is never a class the detector counts toward an outage or throttling', () => {
    for (const r of ERROR_ROWS.filter((row) => row.doNotRetry)) {
      expect(['provider_transient', 'rate_limited'], pairName(r)).not.toContain(r.errorClass);
    }
  });

  it('failures with do-not-retry codes across many conversations leave the detector operational', () => {
    const now = Date.parse('2023-11-16T20:30:00Z');
    let health = initialHealth('whatsapp');
    const codes: [number, number | undefined][] = [
      [131050, undefined],
      [131049, undefined],
      [130472, undefined],
      [551, undefined],
      [1, 1357046],
      [4, 2018354],
    ];
    codes.forEach(([code, subcode], i) => {
      for (let n = 0; n < 3; n += 1) {
        const { errorClass } = classifySendError({ code, subcode });
        health = stepHealth(health, {
          now: now + i * 1000 + n,
          event: { at: now + i * 1000 + n, outcome: 'failed', errorClass, conversation: `c${i}-${n}` },
        });
      }
    });
    expect(health.level).toBe('operational');
    // The same number of platform failures does raise it: the test can fail.
    for (let n = 0; n < 6; n += 1) {
      health = stepHealth(health, {
        now: now + 9000 + n,
        event: { at: now + 9000 + n, outcome: 'failed', errorClass: classifySendError({ code: 2 }).errorClass, conversation: `p${n}` },
      });
    }
    expect(health.level).not.toBe('operational');
  });

  it('the subcode decides over its code: 200 with 1545041 is a person who cannot be reached, not a permission', () => {
    expect(classifySendError({ code: 200, subcode: 1545041 }).errorClass).toBe('recipient_unavailable');
    expect(classifySendError({ code: 200 }).errorClass).toBe('auth');
    expect(classifySendError({ code: 200, subcode: 999999 }).errorClass).toBe('auth');
    expect(findErrorRow(undefined, 2018278)?.errorClass).toBe('policy_window');
  });

  it('counts the documented pairs per platform, by strength of evidence', () => {
    const count = (platform: ErrorPlatform, evidence: string) =>
      new Set(ERROR_ROWS.filter((r) => r.platform === platform && EVIDENCE[r.source] === evidence).map((r) => `${r.code}/${r.subcode}`))
        .size;
    const counts = Object.fromEntries(
      (['graph', 'messenger', 'instagram', 'whatsapp'] as const).map((p) => [
        p,
        { readInMetaDocs: count(p, 'read'), metaDocsCorroborated: count(p, 'corroborated'), publicCodeOnly: count(p, 'publicCode') },
      ]),
    );
    console.info(`documented pairs per platform: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({
      graph: { readInMetaDocs: 0, metaDocsCorroborated: 18, publicCodeOnly: 0 },
      messenger: { readInMetaDocs: 25, metaDocsCorroborated: 2, publicCodeOnly: 6 },
      instagram: { readInMetaDocs: 0, metaDocsCorroborated: 0, publicCodeOnly: 4 },
      whatsapp: { readInMetaDocs: 49, metaDocsCorroborated: 0, publicCodeOnly: 0 },
    });
  });
});
