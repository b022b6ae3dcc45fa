import { describe, expect, it } from 'vitest';
import { classifySendError } from '@/core/failures/send-errors';
import { readChannel, readCustomerName, readFailureText, readMessage, readOutboundStatus, readTicketId } from '@/profiles/read';
import { zendeskProfile as zendesk } from '@/profiles/zendesk';
import { deliveredStatus, failedStatus, header, log, message, page, pendingStatus } from '../fixtures/zendesk-ticket';

// Fixture pages: tests/fixtures/zendesk-ticket.ts (the sandbox ticket page's markup, which uses
// Zendesk Agent Workspace's data-test-id vocabulary from ARCHITECTURE.md).

const REPLY = 'Hi Jana, your refund of 49.90 EUR was sent today.';
const WINDOW_DETAIL = 'Error code 10, subcode 2018278: (#10) This message is sent outside of allowed window.';

/** The first agent reply on a fixture page. */
function agentReply(html: string): Element {
  const element = page(log(html)).querySelector('[data-test-id="omni-log-item-message"][type="agent"]');
  if (!element) throw new Error('fixture has no agent reply');
  return element;
}

describe('readTicketId', () => {
  it.each([
    ['/agent/tickets/123', '123'],
    ['/agent/tickets/4711/events', '4711'],
    ['/agent/tickets/98765?foo=1', '98765'],
  ])('%s → %s', (path, id) => {
    expect(readTicketId(path, zendesk)).toBe(id);
  });

  it.each(['/agent/filters/360001', '/agent/tickets/new', '/agent/tickets/', '/agent/dashboard', '/'])('%s is not a ticket', (path) => {
    expect(readTicketId(path, zendesk)).toBeNull();
  });

  it('builds the same-origin ticket API path', () => {
    expect(zendesk.ticketApiPath?.('123')).toBe('/api/v2/tickets/123.json');
    expect(zendesk.ticketApiPath?.('1/../../users')).toBe('/api/v2/tickets/1%2F..%2F..%2Fusers.json');
  });
});

describe('readChannel (via label in the ticket header)', () => {
  it.each([
    ['Facebook Messenger', 'messenger'],
    ['Messenger', 'messenger'],
    ['Facebook', 'messenger'],
    ['Instagram', 'instagram'],
    ['Instagram Direct', 'instagram'],
    ['WhatsApp', 'whatsapp'],
    ['Email', 'other'],
    ['E-Mail', 'other'],
    ['Web form', 'other'],
  ])('"%s" → %s', (via, channel) => {
    expect(readChannel(page(header(via)), zendesk)).toBe(channel);
  });

  it('is null while the header is not rendered or its label is empty', () => {
    expect(readChannel(page(log()), zendesk)).toBeNull();
    expect(readChannel(page(header('  ')), zendesk)).toBeNull();
  });
});

describe('readOutboundStatus: each cue on its own', () => {
  it('failed from the data-delivery-status attribute alone', () => {
    const element = agentReply(message({ id: 'm1', author: 'agent', sender: 'Alex', text: REPLY, deliveryStatus: 'failed' }));
    expect(readOutboundStatus(element, zendesk)).toBe('failed');
  });

  it('failed from the icon\'s aria-label alone ("Message failed to send")', () => {
    const status = '<div class="msg-status"><span role="img" aria-label="Message failed to send" class="icon">!</span></div>';
    expect(readOutboundStatus(agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY, status })), zendesk)).toBe('failed');
  });

  it('failed from the German icon label alone ("Nachricht konnte nicht gesendet werden")', () => {
    const status = '<div class="msg-status"><span role="img" aria-label="Nachricht konnte nicht gesendet werden">!</span></div>';
    expect(readOutboundStatus(agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY, status })), zendesk)).toBe('failed');
  });

  it('failed from the German status text alone ("Nicht zugestellt"), not delivered', () => {
    const status = '<div data-test-id="omni-log-message-status" class="msg-status"><span>Nicht zugestellt</span></div>';
    expect(readOutboundStatus(agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY, status })), zendesk)).toBe('failed');
  });

  it('failed from "Not delivered" alone, although it contains "delivered"', () => {
    const status = '<div data-test-id="omni-log-message-status" class="msg-status"><span>Not delivered</span></div>';
    expect(readOutboundStatus(agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY, status })), zendesk)).toBe('failed');
  });

  it('delivered from "Zugestellt" text alone', () => {
    const status = '<div data-test-id="omni-log-message-status" class="msg-status"><span>Zugestellt</span></div>';
    expect(readOutboundStatus(agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY, status })), zendesk)).toBe('delivered');
  });

  it('delivered from a "Delivered" icon label alone', () => {
    const status = '<div class="msg-status"><span role="img" aria-label="Delivered">✓</span></div>';
    expect(readOutboundStatus(agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY, status })), zendesk)).toBe('delivered');
  });

  it('delivered from a data-status="delivered" marker alone', () => {
    const status = '<div class="msg-status" data-status="delivered"></div>';
    expect(readOutboundStatus(agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY, status })), zendesk)).toBe('delivered');
  });

  it.each(['en', 'de'] as const)('pending while the helpdesk says it is sending (%s)', (lang) => {
    expect(
      readOutboundStatus(agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY, status: pendingStatus(lang) })), zendesk),
    ).toBe('pending');
  });

  it('unknown without any cue', () => {
    expect(readOutboundStatus(agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY })), zendesk)).toBe('unknown');
  });
});

describe('readOutboundStatus: the sandbox page as a whole', () => {
  it.each(['en', 'de'] as const)('reads the full failed markup as failed (%s)', (lang) => {
    const html = message({
      id: 'm1',
      author: 'agent',
      sender: 'Alex',
      text: REPLY,
      deliveryStatus: 'failed',
      status: failedStatus(lang, WINDOW_DETAIL),
    });
    expect(readOutboundStatus(agentReply(html), zendesk)).toBe('failed');
  });

  it.each(['en', 'de'] as const)('reads the full delivered markup as delivered (%s)', (lang) => {
    const html = message({
      id: 'm1',
      author: 'agent',
      sender: 'Alex',
      text: REPLY,
      deliveryStatus: 'delivered',
      status: deliveredStatus(lang),
    });
    expect(readOutboundStatus(agentReply(html), zendesk)).toBe('delivered');
  });

  it('is not fooled by a reply whose own text says "not delivered"', () => {
    const text = 'Sorry your parcel was not delivered — we failed to send it on time.';
    const html = message({ id: 'm1', author: 'agent', sender: 'Alex', text, deliveryStatus: 'delivered', status: deliveredStatus('en') });
    expect(readOutboundStatus(agentReply(html), zendesk)).toBe('delivered');
  });
});

describe('readFailureText', () => {
  it('gives the failure label and the detail, which classify as a closed window', () => {
    const html = message({
      id: 'm1',
      author: 'agent',
      sender: 'Alex',
      text: REPLY,
      deliveryStatus: 'failed',
      status: failedStatus('en', WINDOW_DETAIL),
    });
    const text = readFailureText(agentReply(html), zendesk);
    expect(text).toContain('Message failed to send');
    expect(text).toContain('Not delivered');
    expect(text).toContain(WINDOW_DETAIL);
    expect(text).not.toContain(REPLY);
    expect(classifySendError({ uiText: text })).toMatchObject({ errorClass: 'policy_window', code: 10, subcode: 2018278 });
  });

  it('reads the German page the same way', () => {
    const detail = 'Fehlercode 2: An unexpected error has occurred. Please retry your request later.';
    const html = message({
      id: 'm1',
      author: 'agent',
      sender: 'Alex',
      text: REPLY,
      deliveryStatus: 'failed',
      status: failedStatus('de', detail),
    });
    const text = readFailureText(agentReply(html), zendesk);
    expect(text).toContain('Nachricht konnte nicht gesendet werden');
    expect(text).toContain('Nicht zugestellt');
    expect(text).toContain(detail);
    expect(classifySendError({ uiText: text })).toMatchObject({ errorClass: 'provider_transient', code: 2 });
  });

  it('classifies a German timeout as platform trouble', () => {
    const html = message({
      author: 'agent',
      sender: 'Alex',
      text: REPLY,
      deliveryStatus: 'failed',
      status: failedStatus('de', 'Zeitüberschreitung der Anfrage'),
    });
    expect(classifySendError({ uiText: readFailureText(agentReply(html), zendesk) }).errorClass).toBe('provider_transient');
  });

  it('is empty for a delivered reply and capped at 2000 characters', () => {
    const delivered = message({ author: 'agent', sender: 'Alex', text: REPLY, status: deliveredStatus('en') });
    expect(readFailureText(agentReply(delivered), zendesk)).toBe('');
    const long = message({ author: 'agent', sender: 'Alex', text: REPLY, status: failedStatus('en', 'x'.repeat(5000)) });
    expect(readFailureText(agentReply(long), zendesk)).toHaveLength(2000);
  });
});

describe('readCustomerName', () => {
  it('is the sender of the latest end-user message, never the agent', () => {
    const root = page(
      header('Facebook Messenger') +
        log(
          message({ id: 'm1', author: 'end-user', sender: 'Jana Becker', text: 'Where is my refund?' }),
          message({ id: 'm2', author: 'agent', sender: 'Alex (Acme Support)', text: REPLY }),
          message({ id: 'm3', author: 'end-user', sender: 'Jana B.', text: 'Thanks!' }),
          message({ id: 'm4', author: 'agent', sender: 'Alex (Acme Support)', text: 'You are welcome.' }),
        ),
    );
    expect(readCustomerName(root, zendesk)).toBe('Jana B.');
  });

  it('is null when only the agent has written', () => {
    expect(readCustomerName(page(log(message({ author: 'agent', sender: 'Alex', text: REPLY }))), zendesk)).toBeNull();
  });
});

describe('readMessage', () => {
  it("reads an agent reply's id, direction, sender, text and time", () => {
    const element = agentReply(
      message({ id: 'msg-77', author: 'agent', sender: 'Alex (Acme Support)', text: REPLY, createdAt: '2023-11-16T20:12:00.000Z' }),
    );
    expect(readMessage(element, zendesk)).toMatchObject({
      messageId: 'msg-77',
      outbound: true,
      sender: 'Alex (Acme Support)',
      text: REPLY,
      at: Date.UTC(2023, 10, 16, 20, 12),
    });
  });

  it('reads an end-user message as not outbound', () => {
    const element = page(log(message({ id: 'c1', author: 'end-user', sender: 'Jana Becker', text: 'Where is my refund?' }))).querySelector(
      'article',
    );
    expect(element && readMessage(element, zendesk)).toMatchObject({ outbound: false, sender: 'Jana Becker', text: 'Where is my refund?' });
  });

  it('has no id (null, not "") and no time when the page shows none', () => {
    const element = agentReply(message({ author: 'agent', sender: 'Alex', text: REPLY }));
    expect(readMessage(element, zendesk)).toMatchObject({ messageId: null, at: null });
  });

  it('gives two id-less replies no shared id (the failure watcher keys reports by it)', () => {
    const root = page(
      log(message({ author: 'agent', sender: 'Alex', text: 'first' }), message({ author: 'agent', sender: 'Alex', text: 'second' })),
    );
    const ids = [...root.querySelectorAll('article')].map((element) => readMessage(element, zendesk).messageId);
    expect(ids).toEqual([null, null]);
  });

  it('ignores a timestamp that is not a date', () => {
    const element = agentReply(message({ id: 'm', author: 'agent', sender: 'Alex', text: REPLY, createdAt: 'yesterday-ish' }));
    expect(readMessage(element, zendesk).at).toBeNull();
  });
});
