import { describe, expect, it } from 'vitest';
import { askBackground, ContentToBackground, ProtocolError, ToBackground } from '@/core/protocol';
import { failedReply, queuedRecord } from '../fixtures/replies';

const TICKET = { helpdeskOrigin: 'https://acme.zendesk.com', ticketId: '4711' };

describe('ContentToBackground', () => {
  it.each<[string, unknown]>([
    ['reply-failed', { type: 'reply-failed', reply: failedReply() }],
    [
      'reply-delivered',
      {
        type: 'reply-delivered',
        ticket: TICKET,
        channel: 'messenger',
        deliveries: [{ messageId: 'msg-3', at: 1_700_165_400_000 }, { at: 1_700_165_401_000 }],
      },
    ],
    ['get-ticket-view', { type: 'get-ticket-view', ticket: TICKET, channel: 'other' }],
    ['claim-reply', { type: 'claim-reply', id: 'rec-1' }],
    [
      'retry-result',
      { type: 'retry-result', id: 'rec-1', outcome: 'failed', error: { message: 'Failed to send (#2)' }, messageId: 'msg-4' },
    ],
    ['hand-off', { type: 'hand-off', id: 'rec-1' }],
  ])('accepts a well-formed %s', (_type, message) => {
    expect(ContentToBackground.safeParse(message).success).toBe(true);
  });

  it('keeps the reply text exactly as sent', () => {
    const parsed = ContentToBackground.parse({ type: 'reply-failed', reply: failedReply({ text: '  Line one\n\nLine two  ' }) });
    expect(parsed.type === 'reply-failed' && parsed.reply.text).toBe('  Line one\n\nLine two  ');
  });

  const { text: _text, ...replyWithoutText } = failedReply();
  it.each<[string, unknown]>([
    ['an unknown type', { type: 'delete-all-replies' }],
    ['no type', { id: 'rec-1' }],
    ['a popup-only request', { type: 'list-replies' }],
    ['a reply-failed with the text missing', { type: 'reply-failed', reply: replyWithoutText }],
    ['a reply-failed with an empty text', { type: 'reply-failed', reply: failedReply({ text: '' }) }],
    ['a reply-failed whose origin is not a URL', { type: 'reply-failed', reply: failedReply({ helpdeskOrigin: 'acme.zendesk.com' }) }],
    ['a reply-failed for an e-mail ticket', { type: 'reply-failed', reply: { ...failedReply(), channel: 'other' } }],
    ['a reply-failed without a reply', { type: 'reply-failed' }],
    [
      'a reply-delivered whose origin is not a URL',
      { type: 'reply-delivered', ticket: { ...TICKET, helpdeskOrigin: 'zendesk' }, channel: 'messenger', deliveries: [{ at: 1 }] },
    ],
    ['a reply-delivered with a negative time', { type: 'reply-delivered', ticket: TICKET, channel: 'messenger', deliveries: [{ at: -5 }] }],
    ['a reply-delivered with no delivery', { type: 'reply-delivered', ticket: TICKET, channel: 'messenger', deliveries: [] }],
    ['a claim-reply with an empty id', { type: 'claim-reply', id: '' }],
    ['a claim-reply with a numeric id', { type: 'claim-reply', id: 42 }],
    ['a retry-result with an unknown outcome', { type: 'retry-result', id: 'rec-1', outcome: 'sent-by-pigeon' }],
    ['a retry-result whose failure text is not text', { type: 'retry-result', id: 'rec-1', outcome: 'failed', error: { message: 42 } }],
    ['null', null],
    ['a string', 'reply-failed'],
  ])('refuses %s', (_label, message) => {
    expect(ContentToBackground.safeParse(message).success).toBe(false);
  });

  it('lets the popup list replies through the combined protocol', () => {
    expect(ToBackground.safeParse({ type: 'list-replies' }).success).toBe(true);
    expect(ToBackground.safeParse({ type: 'list-everything' }).success).toBe(false);
  });
});

describe('askBackground', () => {
  const answer = (value: unknown) => async (_message: unknown) => value;

  it('returns a well-formed answer', async () => {
    const record = queuedRecord({ state: 'sending', leaseUntil: 1_700_165_460_000 });
    await expect(askBackground(answer({ ok: true, record }), { type: 'claim-reply', id: 'rec-1' })).resolves.toEqual({ ok: true, record });
    await expect(
      askBackground(answer({ ok: false, reason: 'another retry holds this reply' }), { type: 'claim-reply', id: 'rec-1' }),
    ).resolves.toEqual({
      ok: false,
      reason: 'another retry holds this reply',
    });
  });

  it('returns the hand-off link the background built', async () => {
    const link = { ok: true, url: 'https://business.facebook.com/latest/inbox/all?asset_id=1&selected_item_id=2', conversation: true };
    await expect(askBackground(answer(link), { type: 'hand-off', id: 'rec-1' })).resolves.toEqual(link);
  });

  it.each<[string, unknown]>([
    ['no answer (no listener)', undefined],
    ['ok as a string', { ok: 'yes' }],
    ['a success without the record', { ok: true }],
    ['a record that breaks the schema', { ok: true, record: { ...queuedRecord(), text: '' } }],
  ])('throws ProtocolError for a malformed claim answer: %s', async (_label, raw) => {
    const pending = askBackground(answer(raw), { type: 'claim-reply', id: 'rec-1' });
    await expect(pending).rejects.toBeInstanceOf(ProtocolError);
    await expect(pending).rejects.toThrow(/^unexpected answer to claim-reply: /);
  });

  it('throws ProtocolError for a hand-off link that is not a URL', async () => {
    const raw = { ok: true, url: 'javascript-ish', conversation: true };
    await expect(askBackground(answer(raw), { type: 'hand-off', id: 'rec-1' })).rejects.toBeInstanceOf(ProtocolError);
  });

  it('throws ProtocolError for a reply-failed answer without "created"', async () => {
    const raw = { record: queuedRecord() };
    await expect(askBackground(answer(raw), { type: 'reply-failed', reply: failedReply() })).rejects.toBeInstanceOf(ProtocolError);
  });

  it('passes a transport failure through unchanged', async () => {
    const gone = new Error('Could not establish connection. Receiving end does not exist.');
    const send = async () => {
      throw gone;
    };
    await expect(askBackground(send, { type: 'list-replies' })).rejects.toBe(gone);
  });
});
