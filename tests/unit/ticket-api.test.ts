import { describe, expect, it } from 'vitest';
import { readTicketVia } from '@/profiles/ticket-api';

// Answers of GET /api/v2/tickets/<id>.json, trimmed to what matters, in the shape of Zendesk's
// "Via object reference" (developer.zendesk.com): via.channel and, for social channels,
// via.source.from (the customer) and via.source.to (the Page / account).
function ticket(via: unknown): unknown {
  return { ticket: { id: 4711, subject: 'Refund not received', status: 'open', via } };
}

describe('readTicketVia', () => {
  it('reads a Facebook Messenger ticket: customer PSID from `from`, Page id from `to`', () => {
    const json = ticket({
      channel: 'facebook',
      source: {
        from: { name: 'Jana Becker', profile_url: 'https://www.facebook.com/6120000000000042', facebook_id: '6120000000000042' },
        to: { name: 'Acme Support', profile_url: 'https://www.facebook.com/104857600123456', facebook_id: '104857600123456' },
        rel: 'message',
      },
    });
    expect(readTicketVia(json)).toEqual({
      channel: 'messenger',
      userId: '6120000000000042',
      pageId: '104857600123456',
      customerName: 'Jana Becker',
    });
  });

  it('takes an answer only for the ticket it asked about: a late answer for another ticket is ignored', () => {
    const json = ticket({
      channel: 'facebook',
      source: { from: { name: 'Lena', facebook_id: '6120000000000042' }, to: { facebook_id: '104857600123456' }, rel: 'message' },
    });
    expect(readTicketVia(json, '4711')).toMatchObject({ userId: '6120000000000042', customerName: 'Lena' });
    expect(readTicketVia(json, '4712')).toBeNull();
  });

  it('accepts Facebook ids sent as JSON numbers', () => {
    const json = ticket({
      channel: 'facebook',
      source: { from: { facebook_id: 6120000000000042 }, to: { facebook_id: 104857600123456 }, rel: 'message' },
    });
    expect(readTicketVia(json)).toEqual({ channel: 'messenger', userId: '6120000000000042', pageId: '104857600123456' });
  });

  it.each(['instagram', 'instagram_dm'])('reads an Instagram ticket (channel "%s") by its instagram ids', (channel) => {
    const json = ticket({
      channel,
      source: {
        from: { name: 'jana.b', instagram_id: '17841400000000001' },
        to: { name: 'acme', instagram_id: '17841400000000999' },
        rel: 'direct_message',
      },
    });
    expect(readTicketVia(json)).toEqual({
      channel: 'instagram',
      userId: '17841400000000001',
      pageId: '17841400000000999',
      customerName: 'jana.b',
    });
  });

  it('reads an e-mail ticket as "other", with no Meta ids', () => {
    const json = ticket({
      channel: 'email',
      source: {
        from: { address: 'jana@example.com', name: 'Jana Becker' },
        to: { name: 'Acme', address: 'support@acme.zendesk.com' },
        rel: null,
      },
    });
    expect(readTicketVia(json)).toEqual({ channel: 'other', customerName: 'Jana Becker' });
  });

  it('reads a web form ticket as "other"', () => {
    expect(readTicketVia(ticket({ channel: 'web', source: { from: {}, to: {}, rel: null } }))).toEqual({ channel: 'other' });
  });

  it('leaves a generic messaging ticket ("native_messaging") to the page\'s via label', () => {
    expect(readTicketVia(ticket({ channel: 'native_messaging', source: { from: { name: 'Jana Becker' }, to: {}, rel: null } }))).toEqual({
      channel: null,
      customerName: 'Jana Becker',
    });
  });

  it('drops ids that are not numeric Meta ids', () => {
    const json = ticket({ channel: 'facebook', source: { from: { facebook_id: 'javascript:alert(1)' }, to: { facebook_id: '1&x=2' } } });
    expect(readTicketVia(json)).toEqual({ channel: 'messenger' });
  });

  it('caps a very long customer name at 300 characters', () => {
    const json = ticket({ channel: 'facebook', source: { from: { name: 'J'.repeat(1000) } } });
    expect(readTicketVia(json)?.customerName).toHaveLength(300);
  });

  it('gives channel null for a ticket without a via object', () => {
    expect(readTicketVia({ ticket: { id: 4711 } })).toEqual({ channel: null });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', '<html>Sign in</html>'],
    ['an array', [{ ticket: { id: 1 } }]],
    ['an empty object', {}],
    ['ticket: null', { ticket: null }],
    ['a ticket without id', { ticket: { via: { channel: 'facebook' } } }],
    ['an error answer', { error: 'RecordNotFound', description: 'Not found' }],
    ['a via without channel', ticket({ source: {} })],
    ['a via channel object', ticket({ channel: { name: 'facebook' } })],
    ['a from that is a string', ticket({ channel: 'facebook', source: { from: 'Jana' } })],
  ])('is null for garbage: %s', (_label, json) => {
    expect(readTicketVia(json)).toBeNull();
  });
});
