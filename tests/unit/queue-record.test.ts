import { describe, expect, it } from 'vitest';
import { FailedReply, QueuedReply } from '@/core/queue/record';
import { failedReply, queuedRecord } from '../fixtures/replies';

describe('QueuedReply schema', () => {
  it('accepts a complete record and keeps its text exactly', () => {
    const parsed = QueuedReply.safeParse(queuedRecord());
    expect(parsed.success).toBe(true);
    expect(parsed.data?.text).toBe('Hi Jana, your refund of 49.90 EUR was sent today.');
  });

  it('accepts a reply of exactly 20 000 characters', () => {
    expect(QueuedReply.safeParse(queuedRecord({ text: 'a'.repeat(20_000) })).success).toBe(true);
  });

  it('accepts a sending record with its lease', () => {
    expect(QueuedReply.safeParse(queuedRecord({ state: 'sending', leaseUntil: 1_700_000_060_000 })).success).toBe(true);
  });

  const { text: _text, ...withoutText } = queuedRecord();
  it.each<[string, unknown]>([
    ['text missing', withoutText],
    ['empty text', queuedRecord({ text: '' })],
    ['text over 20 000 characters', queuedRecord({ text: 'a'.repeat(20_001) })],
    ['channel "telegram"', { ...queuedRecord(), channel: 'telegram' }],
    ['channel "other" (never queued)', { ...queuedRecord(), channel: 'other' }],
    ['state "lost"', { ...queuedRecord(), state: 'lost' }],
    ['origin without a scheme', queuedRecord({ helpdeskOrigin: 'acme.zendesk.com' })],
    ['origin that is not a URL', queuedRecord({ helpdeskOrigin: 'not a url' })],
    ['javascript: origin', queuedRecord({ helpdeskOrigin: 'javascript:alert(1)' })],
    ['origin with a path', queuedRecord({ helpdeskOrigin: 'https://acme.zendesk.com/agent' })],
    ['empty ticket id', queuedRecord({ ticketId: '' })],
    ['unknown error class', { ...queuedRecord(), error: { errorClass: 'meltdown' } }],
    ['attempt with an unknown path', { ...queuedRecord(), attempts: [{ at: 1, path: 'carrier_pigeon', outcome: 'failed' }] }],
    ['negative first-failure time', queuedRecord({ firstFailedAt: -1 })],
    ['fractional lease', queuedRecord({ state: 'sending', leaseUntil: 1.5 })],
    ['more than 100 message ids', queuedRecord({ messageIds: Array.from({ length: 101 }, (_, i) => `m${i}`) })],
  ])('refuses a record with %s', (_label, record) => {
    expect(QueuedReply.safeParse(record).success).toBe(false);
  });
});

describe('FailedReply schema', () => {
  it('accepts what a watcher reports, with and without a helpdesk message id', () => {
    expect(FailedReply.safeParse(failedReply()).success).toBe(true);
    const { messageId: _id, ...noId } = failedReply();
    expect(FailedReply.safeParse(noId).success).toBe(true);
  });

  const { text: _text, ...withoutText } = failedReply();
  it.each<[string, unknown]>([
    ['text missing', withoutText],
    ['empty text', failedReply({ text: '' })],
    ['text over 20 000 characters', failedReply({ text: 'x'.repeat(20_001) })],
    ['channel "sms"', { ...failedReply(), channel: 'sms' }],
    ['origin that is not a URL', failedReply({ helpdeskOrigin: 'zendesk' })],
    ['an empty message id', failedReply({ messageId: '' })],
    ['no failure time', { ...failedReply(), failedAt: undefined }],
    ['an error message over 2000 characters', failedReply({ error: { errorClass: 'unknown', message: 'e'.repeat(2001) } })],
  ])('refuses a report with %s', (_label, report) => {
    expect(FailedReply.safeParse(report).success).toBe(false);
  });
});
