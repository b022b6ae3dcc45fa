import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { ContentToBackground } from '@/core/protocol';
import { HelpdeskPage, SETTLE_MS, type TicketContext } from '@/entrypoints/helpdesk.content/page';
import { mismatchOnScreen } from '@/entrypoints/helpdesk.content/resender';
import * as failureWatcher from '@/entrypoints/helpdesk.content/watchers/failure-watcher';
import * as toastWatcher from '@/entrypoints/helpdesk.content/watchers/toast-watcher';
import { ticketsNamedIn } from '@/entrypoints/helpdesk.content/watchers/toast-watcher';
import { zendeskProfile } from '@/profiles/zendesk';
import { failedStatus, message, pendingStatus } from '../fixtures/zendesk-ticket';

// A single-page helpdesk with two tickets' workspaces mounted, the inactive one hidden, the way
// Agent Workspace keeps open tickets (`div[data-side-conversations-anchor-id="<id>"]`, seen in
// holatuwol/liferay-zendesk-userscript src/main.ts; the sandbox's app.js mounts the same).

const ORIGIN = location.origin;
const LENA: TicketContext = {
  helpdeskOrigin: ORIGIN,
  ticketId: '101',
  channel: 'messenger',
  customerName: 'Lena',
  userId: '6100000000000101',
  pageId: '104857600123456',
};
const OMAR: TicketContext = {
  helpdeskOrigin: ORIGIN,
  ticketId: '102',
  channel: 'messenger',
  customerName: 'Omar',
  userId: '6100000000000102',
  pageId: '104857600123456',
};

function workspace(id: string | null, shown: boolean, ...messages: string[]): string {
  const anchor = id === null ? 'data-ws="anonymous"' : `data-side-conversations-anchor-id="${id}"`;
  return `<div class="workspace" ${anchor} style="display: ${shown ? 'block' : 'none'}">
    <div data-test-id="omni-log-container">${messages.join('\n')}</div>
    <div data-test-id="omnicomposer-rich-text" contenteditable="true"></div>
    <button data-test-id="omnichannel-send-button">Send</button>
  </div>`;
}

const failedReply = (id: string, text: string) =>
  message({
    id,
    author: 'agent',
    sender: 'Sam Rivera',
    text,
    deliveryStatus: 'failed',
    status: failedStatus('en', 'Error code 2: (#2) Service temporarily unavailable'),
  });

const stops: AbortController[] = [];
function ctx(): ContentScriptContext {
  const stop = new AbortController();
  stops.push(stop);
  return {
    signal: stop.signal,
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    isInvalid: false,
  } as unknown as ContentScriptContext;
}

/** A page on ticket `onScreen`, with the contexts of `known` learnt earlier in the tab; reports are collected. */
function pageOn(onScreen: TicketContext, known: TicketContext[] = []) {
  const context = ctx();
  const page = new HelpdeskPage(zendeskProfile, document);
  page.logs.start(context.signal);
  for (const ticket of known) page.remember(ticket);
  page.ticketId = onScreen.ticketId;
  page.setTicket(onScreen);
  const reports: Extract<ContentToBackground, { type: 'reply-failed' }>['reply'][] = [];
  page.ask = (async (request: ContentToBackground) => {
    if (request.type === 'reply-failed') reports.push(request.reply);
    return { record: {}, created: true };
  }) as HelpdeskPage['ask'];
  return { page, context, reports };
}

afterEach(() => {
  for (const stop of stops.splice(0)) stop.abort();
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe('which ticket a part of the page belongs to', () => {
  it('is the ticket its workspace names, shown or hidden', () => {
    document.body.innerHTML = workspace('101', false, failedReply('a', 'For Lena')) + workspace('102', true, failedReply('b', 'For Omar'));
    const { page } = pageOn(OMAR, [LENA]);
    const [lena, omar] = [...document.querySelectorAll('article')] as Element[];
    expect(page.ticketIdOf(lena as Element, Date.now())).toBe('101');
    expect(page.ticketIdOf(omar as Element, Date.now())).toBe('102');
    expect(page.shownScopeOf('101')).toBeNull();
    expect((page.shownScopeOf('102') as Element).getAttribute('data-side-conversations-anchor-id')).toBe('102');
  });

  it('in a workspace that names no ticket: the ticket on screen for what the agent sees, nothing for a hidden one, nothing right after a navigation', () => {
    const anonymous = {
      ...zendeskProfile,
      selectors: { ...zendeskProfile.selectors, workspace: ['[data-ws]'] },
      workspaceTicketAttributes: [],
    };
    document.body.innerHTML = workspace(null, false, failedReply('a', 'Hidden')) + workspace(null, true, failedReply('b', 'Shown'));
    const page = new HelpdeskPage(anonymous, document);
    page.ticketId = '102';
    page.setTicket(OMAR);
    const [hidden, shown] = [...document.querySelectorAll('article')] as Element[];
    const now = Date.now();
    expect(page.ticketIdOf(hidden as Element, now)).toBeNull();
    expect(page.ticketIdOf(shown as Element, now)).toBe('102');
    page.navigate('103', now);
    expect(page.ticket).toBeNull();
    page.setTicket({ ...OMAR, ticketId: '103' });
    expect(page.ticketIdOf(shown as Element, now + 100)).toBeNull();
    expect(page.ticketIdOf(shown as Element, now + SETTLE_MS + 1)).toBe('103');
  });

  it('a navigation clears the ticket on screen at once, before the new one is known', () => {
    document.body.innerHTML = workspace('101', true);
    const { page } = pageOn(LENA);
    const seen: (string | null)[] = [];
    page.addEventListener('ticket', () => seen.push(page.ticket?.ticketId ?? null), { signal: ctx().signal });
    page.navigate('102', Date.now());
    expect(page.ticket).toBeNull();
    expect(page.ticketId).toBe('102');
    expect(seen).toEqual([null]);
  });
});

describe('failures are filed under their own ticket, never under the one on screen', () => {
  it("a failure in the hidden workspace of ticket 101 is filed under 101 with Lena's ids, while 102 is on screen", async () => {
    document.body.innerHTML = workspace('101', false) + workspace('102', true);
    const { page, context, reports } = pageOn(OMAR, [LENA]);
    failureWatcher.init(page, context);
    const log = document.querySelector('[data-side-conversations-anchor-id="101"] [data-test-id="omni-log-container"]') as Element;
    log.insertAdjacentHTML('beforeend', failedReply('m-lena', 'Hi Lena, your refund is on its way.'));
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    expect(reports[0]).toMatchObject({
      ticketId: '101',
      customerName: 'Lena',
      userId: LENA.userId,
      messageId: 'm-lena',
      text: 'Hi Lena, your refund is on its way.',
      ticketUrl: `${ORIGIN}/agent/tickets/101`,
    });
  });

  it('a failure in a hidden workspace that names no ticket is not filed at all', async () => {
    const anonymous = {
      ...zendeskProfile,
      selectors: { ...zendeskProfile.selectors, workspace: ['[data-ws]'] },
      workspaceTicketAttributes: [],
    };
    document.body.innerHTML = workspace(null, false) + workspace(null, true);
    const context = ctx();
    const page = new HelpdeskPage(anonymous, document);
    page.logs.start(context.signal);
    page.ticketId = '102';
    page.setTicket(OMAR);
    const reports: unknown[] = [];
    page.ask = (async (request: ContentToBackground) => {
      reports.push(request);
      return { record: {}, created: true };
    }) as HelpdeskPage['ask'];
    failureWatcher.init(page, context);
    const hiddenLog = document.querySelector('[data-ws] [data-test-id="omni-log-container"]') as Element;
    hiddenLog.insertAdjacentHTML('beforeend', failedReply('m-x', 'Whose reply is this?'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reports).toEqual([]);
  });

  it('a failure of a ticket whose context is not known yet waits for it, and is dropped if the agent leaves first', async () => {
    document.body.innerHTML = workspace('101', true, failedReply('m-a', 'Hi Lena.'));
    const context = ctx();
    const page = new HelpdeskPage(zendeskProfile, document);
    page.logs.start(context.signal);
    page.ticketId = '101';
    const reports: unknown[] = [];
    page.ask = (async (request: ContentToBackground) => {
      reports.push(request);
      return { record: {}, created: true };
    }) as HelpdeskPage['ask'];
    failureWatcher.init(page, context);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reports).toEqual([]);
    // The agent moves on before ticket 101's answer came: nothing is filed, and never under 102.
    page.navigate('102', Date.now());
    page.setTicket(OMAR);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reports).toEqual([]);
  });
});

describe('retry and handoff act only on the ticket and customer on screen', () => {
  it('refuses a reply of another ticket, or of another customer', () => {
    document.body.innerHTML = workspace('101', false) + workspace('102', true);
    const { page } = pageOn(OMAR, [LENA]);
    expect(mismatchOnScreen(page, { helpdeskOrigin: ORIGIN, ticketId: '102', userId: OMAR.userId })).toBeNull();
    expect(mismatchOnScreen(page, { helpdeskOrigin: ORIGIN, ticketId: '101', userId: LENA.userId })).toBe('ticket');
    expect(mismatchOnScreen(page, { helpdeskOrigin: ORIGIN, ticketId: '102', userId: LENA.userId })).toBe('customer');
    expect(mismatchOnScreen(page, { helpdeskOrigin: 'https://other.zendesk.com', ticketId: '102' })).toBe('origin');
    page.navigate('101', Date.now());
    expect(mismatchOnScreen(page, { helpdeskOrigin: ORIGIN, ticketId: '102', userId: OMAR.userId })).toBe('ticket');
  });
});

describe('the failure toast as a cue', () => {
  const toast = (text: string) => `<div role="alert" data-garden-id="notifications.notification">${text}</div>`;

  function setUp() {
    document.body.innerHTML = `${workspace('101', false)}${workspace('102', true)}<div id="toaster"></div>`;
    const { page, context, reports } = pageOn(OMAR, [LENA]);
    failureWatcher.init(page, context);
    toastWatcher.init(page, context);
    const logOf = (id: string) =>
      document.querySelector(`[data-side-conversations-anchor-id="${id}"] [data-test-id="omni-log-container"]`) as Element;
    // A reply the agent just sent on ticket 102; its status vanished when it failed (sandbox `?marker=none`).
    const sent = (ticketId: string, id: string, text: string, status = '') => {
      page.addSubmitted({ text, at: Date.now(), ticketId });
      logOf(ticketId).insertAdjacentHTML('beforeend', message({ id, author: 'agent', sender: 'Sam Rivera', text, status }));
    };
    const raise = (text: string) => (document.getElementById('toaster') as Element).insertAdjacentHTML('beforeend', toast(text));
    return { page, reports, sent, raise };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

  it('marks the reply just sent on this ticket failed, and it is filed with its own ticket', async () => {
    const { reports, sent, raise } = setUp();
    sent('102', 'm-omar', 'Hi Omar, here is your tracking link.');
    await settle();
    raise('Message not delivered. Ticket #102: your reply to Omar via Facebook Messenger could not be delivered.');
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    expect(reports[0]).toMatchObject({ ticketId: '102', messageId: 'm-omar', customerName: 'Omar' });
    expect(reports[0]?.error.message).toContain('could not be delivered');
  });

  it('German wording counts too', async () => {
    const { reports, sent, raise } = setUp();
    sent('102', 'm-omar', 'Hallo Omar, hier ist Ihr Link.');
    await settle();
    raise('Senden fehlgeschlagen. Ihre Antwort an Omar wurde nicht gesendet.');
    await vi.waitFor(() => expect(reports).toHaveLength(1));
  });

  it('a toast that names another ticket files nothing', async () => {
    const { reports, sent, raise } = setUp();
    sent('102', 'm-omar', 'Hi Omar, here is your tracking link.');
    await settle();
    raise('Ticket #101: your reply to Lena could not be delivered.');
    await settle();
    expect(reports).toEqual([]);
  });

  it('a toast with no reply pending or just sent on this ticket files nothing', async () => {
    const { reports, raise } = setUp();
    await settle();
    raise('Message not delivered.');
    await settle();
    expect(reports).toEqual([]);
  });

  it("a reply still pending here is not blamed when another ticket's reply is in flight too", async () => {
    const { reports, sent, raise } = setUp();
    sent('101', 'm-lena', 'Hi Lena.', pendingStatus('en'));
    sent('102', 'm-omar', 'Hi Omar.', pendingStatus('en'));
    await settle();
    raise("Couldn't send message. Your reply wasn't sent.");
    await settle();
    expect(reports).toEqual([]);
  });

  it('a toast that is not about a failure files nothing', async () => {
    const { reports, sent, raise } = setUp();
    sent('102', 'm-omar', 'Hi Omar.');
    await settle();
    raise('Ticket #102 updated.');
    await settle();
    expect(reports).toEqual([]);
  });

  it('reads the ticket numbers a toast names', () => {
    expect(ticketsNamedIn('Ticket #4711: not delivered')).toEqual(['4711']);
    expect(ticketsNamedIn('Anfrage 12 konnte nicht zugestellt werden')).toEqual(['12']);
    expect(ticketsNamedIn("Couldn't send message")).toEqual([]);
  });
});
