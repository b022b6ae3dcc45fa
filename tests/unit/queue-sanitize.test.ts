import { describe, expect, it } from 'vitest';
import { ContentToBackground } from '@/core/protocol';
import { FailedReply } from '@/core/queue/record';
import { sanitizeReport } from '@/core/queue/sanitize';
import { failedReply, INCIDENT_START } from '../fixtures/replies';

const NOW = INCIDENT_START + 60_000;

/** A report as a tab sends it: the worker classifies the error text itself. */
function report(overrides: Record<string, unknown> = {}) {
  const { error: _e, ...reply } = failedReply();
  return { ...reply, error: { message: 'Not delivered — Error code 2: An unexpected error has occurred.' }, ...overrides };
}

function accepted(raw: Record<string, unknown>) {
  const parsed = ContentToBackground.safeParse({ type: 'reply-failed', reply: raw });
  if (!parsed.success || parsed.data.type !== 'reply-failed') throw new Error(`refused: ${JSON.stringify(parsed.error?.issues)}`);
  return sanitizeReport(parsed.data.reply, NOW);
}

describe('a report with a bad optional field is kept, with that field trimmed or dropped', () => {
  it('a customer name over 300 characters is cut to 300', () => {
    const { reply, adjusted } = accepted(report({ customerName: 'A'.repeat(5000) }));
    expect(reply.customerName).toHaveLength(300);
    expect(adjusted).toEqual(['customerName']);
    expect(FailedReply.safeParse(reply).success).toBe(true);
    expect(reply.text).toBe('Hi Jana, your refund of 49.90 EUR was sent today.');
  });

  it('a message id over 200 characters becomes a stable shorter id (the same message still matches itself)', () => {
    const long = `msg-${'x'.repeat(400)}`;
    const first = accepted(report({ messageId: long }));
    const again = accepted(report({ messageId: long }));
    const other = accepted(report({ messageId: `msg-${'x'.repeat(399)}y` }));
    expect(first.reply.messageId?.length).toBeLessThanOrEqual(200);
    expect(first.reply.messageId).toBe(again.reply.messageId);
    expect(other.reply.messageId).not.toBe(first.reply.messageId);
    expect(first.adjusted).toEqual(['messageId']);
  });

  it('an over-long ticket or conversation id is shortened the same stable way; Page and user ids that are too long are dropped', () => {
    const { reply, adjusted } = accepted(
      report({ ticketId: '9'.repeat(300), conversationId: 'c'.repeat(300), pageId: '1'.repeat(300), userId: '2'.repeat(201) }),
    );
    expect(reply.ticketId.length).toBeLessThanOrEqual(200);
    expect(reply.conversationId?.length).toBeLessThanOrEqual(200);
    expect(reply.pageId).toBeUndefined();
    expect(reply.userId).toBeUndefined();
    expect(adjusted.sort()).toEqual(['conversationId', 'pageId', 'ticketId', 'userId']);
    expect(FailedReply.safeParse(reply).success).toBe(true);
  });

  it('an error text over 2000 characters is classified whole, then cut', () => {
    const { reply } = accepted(report({ error: { message: `Error code 10, subcode 2018278: ${'x'.repeat(5000)}` } }));
    expect(reply.error).toMatchObject({ errorClass: 'policy_window', code: 10, subcode: 2018278 });
    expect(reply.error.message).toHaveLength(2000);
  });

  it('a ticket URL that is not a URL, or too long, is dropped', () => {
    expect(accepted(report({ ticketUrl: 'not a url' })).reply.ticketUrl).toBeUndefined();
    expect(accepted(report({ ticketUrl: `https://acme.zendesk.com/${'a'.repeat(3000)}` })).reply.ticketUrl).toBeUndefined();
  });

  it('a failure time in the future or not a time is read as now', () => {
    expect(accepted(report({ failedAt: NOW + 3_600_000 })).reply.failedAt).toBe(NOW);
    expect(accepted(report({ failedAt: -5 })).reply.failedAt).toBe(NOW);
    expect(accepted(report({ failedAt: 12.5 })).reply.failedAt).toBe(NOW);
  });

  it('an empty customer name is dropped, not stored as empty', () => {
    expect(accepted(report({ customerName: '   ' })).reply.customerName).toBeUndefined();
  });

  it('still refuses what cannot be a reply: no text, or an origin that is not http(s)', () => {
    expect(ContentToBackground.safeParse({ type: 'reply-failed', reply: report({ text: '' }) }).success).toBe(false);
    expect(ContentToBackground.safeParse({ type: 'reply-failed', reply: report({ helpdeskOrigin: 'javascript:alert(1)' }) }).success).toBe(
      false,
    );
  });
});
