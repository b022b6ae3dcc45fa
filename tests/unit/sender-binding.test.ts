import { describe, expect, it } from 'vitest';
import { reportProblem, senderOrigin, ticketIdInUrl } from '@/core/failures/sender-binding';
import { chatwootProfile } from '@/profiles/chatwoot';
import { zendeskProfile } from '@/profiles/zendesk';

// A helpdesk tab speaks only of its own helpdesk and of the ticket its report names.
const PATHS = [zendeskProfile.ticketPath, chatwootProfile.ticketPath];
const ACME = 'https://acme.zendesk.com';

describe('senderOrigin', () => {
  it("is the top frame's http(s) origin", () => {
    expect(senderOrigin({ url: `${ACME}/agent/tickets/7?x=1`, frameId: 0 })).toBe(ACME);
    expect(senderOrigin({ url: 'http://127.0.0.1:4870/agent/tickets/101' })).toBe('http://127.0.0.1:4870');
  });

  it('is null for a subframe, a missing URL or a non-web page', () => {
    expect(senderOrigin({ url: `${ACME}/agent/tickets/7`, frameId: 3 })).toBeNull();
    expect(senderOrigin({})).toBeNull();
    expect(senderOrigin({ url: 'file:///tmp/page.html', frameId: 0 })).toBeNull();
    expect(senderOrigin({ url: 'not a url', frameId: 0 })).toBeNull();
  });
});

describe('ticketIdInUrl', () => {
  it('reads the ticket a Zendesk or Chatwoot address names', () => {
    expect(ticketIdInUrl(`${ACME}/agent/tickets/4711`, PATHS)).toBe('4711');
    expect(ticketIdInUrl('https://chat.example.com/app/accounts/3/inbox/2/conversations/88', PATHS)).toBe('88');
    expect(ticketIdInUrl(`${ACME}/agent/dashboard`, PATHS)).toBeNull();
  });
});

describe('reportProblem', () => {
  const report = { helpdeskOrigin: ACME, ticketId: '102', ticketUrl: `${ACME}/agent/tickets/102` };

  it('accepts a report about the tab’s own helpdesk and the ticket its address names', () => {
    expect(reportProblem(report, ACME, PATHS)).toBeNull();
    expect(reportProblem({ helpdeskOrigin: ACME, ticketId: '102' }, ACME, PATHS)).toBeNull();
  });

  it('refuses a ticket address that names another ticket (the one the agent just left)', () => {
    expect(reportProblem({ ...report, ticketUrl: `${ACME}/agent/tickets/101` }, ACME, PATHS)).toBe(
      'the ticket address names ticket 101, not 102',
    );
    expect(reportProblem({ ...report, ticketUrl: `${ACME}/agent/dashboard` }, ACME, PATHS)).toMatch(/names ticket \(none\)/);
  });

  it('refuses a report naming another helpdesk than the tab that sent it', () => {
    expect(reportProblem({ ...report, helpdeskOrigin: 'https://evil.zendesk.com' }, ACME, PATHS)).toBe(
      'the report names https://evil.zendesk.com, but came from https://acme.zendesk.com',
    );
  });

  it('refuses a ticket address on another origin or with another scheme', () => {
    expect(reportProblem({ ...report, ticketUrl: 'https://evil.example/agent/tickets/102' }, ACME, PATHS)).toMatch(
      /is on https:\/\/evil\.example/,
    );
    expect(reportProblem({ ...report, ticketUrl: 'javascript:alert(1)//agent/tickets/102' }, ACME, PATHS)).not.toBeNull();
    expect(reportProblem({ ...report, ticketUrl: 'data:text/html,/agent/tickets/102' }, ACME, PATHS)).not.toBeNull();
  });
});
