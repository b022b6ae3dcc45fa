import { describe, expect, it } from 'vitest';
import { autoRetryable } from '@/entrypoints/background/auto-retry';
import { queuedRecord } from '../fixtures/replies';

describe('autoRetryable', () => {
  it('retries a platform failure after recovery', () => {
    expect(autoRetryable(queuedRecord({ error: { errorClass: 'provider_transient', code: 2 } }), 'messenger')).toBe(true);
  });

  it('never retries a code Meta says not to resend, whatever class the record was stored with', () => {
    // A record kept under an older reading: the class says "unknown", the code says never.
    const optedOut = queuedRecord({ channel: 'whatsapp', error: { errorClass: 'unknown', code: 131050 } });
    expect(autoRetryable(optedOut, 'whatsapp')).toBe(false);
    // 1/1357046: Meta sent the messages despite the error; a resend would duplicate them.
    expect(autoRetryable(queuedRecord({ error: { errorClass: 'unknown', code: 1, subcode: 1357046 } }), 'messenger')).toBe(false);
    // The same class without that code is still retried: the code decides, not the class.
    expect(autoRetryable(queuedRecord({ error: { errorClass: 'unknown', code: 1 } }), 'messenger')).toBe(true);
  });
});
