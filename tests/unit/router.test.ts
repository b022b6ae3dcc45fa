import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type FailedReport, type ResponseOf, Responses, type ToBackground } from '@/core/protocol';
import { readReplies } from '@/core/queue/db';
import { DEFAULT_SETTINGS, loadSettings, saveSettings } from '@/core/settings/settings';
import { db } from '@/entrypoints/background/db';
import { type Handler, type Handlers, handle, handledTypes, onWorkerMessage, pageTypes, tabTypes } from '@/entrypoints/background/router';
import { failedReply, ORIGIN } from '../fixtures/replies';

// The worker's one message listener, as the browser calls it: who may ask what is decided by the
// sender the browser names, never by the message. What a user would notice: a reply kept or not,
// a setting saved or not, an answer in the protocol's shape.

const PAGE = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') };

function tabSender(url: string, tabId = 7, frameId = 0): Browser.runtime.MessageSender {
  // The browser's Tab has many fields; the worker reads only its id.
  return { id: fakeBrowser.runtime.id, url, frameId, tab: { id: tabId } as Browser.tabs.Tab };
}

const TICKET_URL = `${ORIGIN}/agent/tickets/4711`;

function report(): FailedReport {
  const { error: _e, ...reply } = failedReply();
  return { ...reply, ticketUrl: TICKET_URL, error: { message: 'Not delivered — Error code 2' } };
}

async function storedTexts(): Promise<string[]> {
  return (await readReplies(await db())).replies.map((r) => r.text);
}

async function rememberedTabs(): Promise<unknown> {
  return (await fakeBrowser.storage.session.get('helpdeskTabs')).helpdeskTabs;
}

afterEach(async () => {
  vi.restoreAllMocks();
  const database = await db();
  for (const store of ['replies', 'tombstones', 'quarantine'] as const) await database.clear(store);
});

describe('the handler table', () => {
  it('answers every request type of the protocol, and no other', () => {
    // The protocol's answers are one map keyed by request type; the schemas say who sends each.
    const protocol = Object.keys(Responses).sort();
    expect([...handledTypes].sort()).toEqual(protocol);
    expect([...new Set([...tabTypes, ...pageTypes])].sort()).toEqual(protocol);
  });

  it('is checked by the compiler: complete, and each answer in its request type’s shape', () => {
    // These lines are checked by `npm run typecheck`; each would stop compiling if the table's type let the mistake through.
    expectTypeOf<Omit<Handlers, 'list-quarantine'>>().not.toExtend<Handlers>();
    expectTypeOf<Handlers['list-quarantine']>().toEqualTypeOf<Handler<'list-quarantine'>>();
    expectTypeOf(handle<'list-replies'>).returns.toEqualTypeOf<Promise<ResponseOf<'list-replies'>>>();
    expectTypeOf<() => Promise<ResponseOf<'delete-quarantined'>>>().not.toExtend<Handler<'list-quarantine'>>();
    expectTypeOf<Handlers>().toHaveProperty('test-selectors');
    const anyType: ToBackground['type'] = 'save-page-mapping';
    expect(handledTypes.has(anyType)).toBe(true);
  });

  it('refuses a type nobody answers, from a page and from a tab, and says which', async () => {
    await expect(onWorkerMessage({ type: 'format-disk' }, PAGE)).rejects.toThrow('rejected message: unknown type "format-disk"');
    await expect(onWorkerMessage({ type: 'format-disk' }, tabSender(TICKET_URL))).rejects.toThrow(
      'rejected message: unknown type "format-disk"',
    );
    await expect(onWorkerMessage({ reply: report() }, tabSender(TICKET_URL))).rejects.toThrow('rejected message: it has no type');
    expect(await storedTexts()).toEqual([]);
    expect(await rememberedTabs()).toBeUndefined();
  });

  it('refuses every request only the extension’s own pages may send when a helpdesk tab sends it', async () => {
    const pageOnly = [...pageTypes].filter((type) => !tabTypes.has(type));
    expect(pageOnly).toContain('delete-quarantined');
    for (const type of pageOnly) {
      await expect(onWorkerMessage({ type }, tabSender(TICKET_URL)), type).rejects.toThrow(
        `rejected message: "${type}" is not a request a helpdesk tab may send`,
      );
    }
    expect(await rememberedTabs()).toBeUndefined();
  });

  it('refuses every request only a helpdesk tab may send when an extension page sends it', async () => {
    const tabOnly = [...tabTypes].filter((type) => !pageTypes.has(type));
    expect(tabOnly).toContain('reply-failed');
    for (const type of tabOnly) {
      await expect(onWorkerMessage({ type }, PAGE), type).rejects.toThrow(
        `rejected message: "${type}" is not a request the extension’s own pages may send`,
      );
    }
  });

  it('keeps a reply a helpdesk tab tries to discard; the popup may discard it', async () => {
    const kept = await onWorkerMessage({ type: 'reply-failed', reply: report() }, tabSender(TICKET_URL, 21));
    const parsed = Responses['reply-failed'].parse(kept);
    const id = parsed.record?.id;
    expect(id).toBeTypeOf('string');
    await expect(onWorkerMessage({ type: 'discard-reply', id }, tabSender(TICKET_URL, 21))).rejects.toThrow(
      /is not a request a helpdesk tab/,
    );
    const listed = Responses['list-replies'].parse(await onWorkerMessage({ type: 'list-replies' }, PAGE));
    expect(listed.replies.map((r) => [r.text, r.state])).toEqual([['Hi Jana, your refund of 49.90 EUR was sent today.', 'queued']]);
    expect(await onWorkerMessage({ type: 'discard-reply', id }, PAGE)).toEqual({ ok: true });
    const after = Responses['list-replies'].parse(await onWorkerMessage({ type: 'list-replies' }, PAGE));
    expect(after.replies.map((r) => r.state)).toEqual(['discarded']);
  });

  it('names the field that does not fit in a request of a known type', async () => {
    await expect(onWorkerMessage({ type: 'get-language-pack', language: 'fr' }, tabSender(TICKET_URL))).rejects.toThrow(
      /^rejected message: "get-language-pack" \(language\): /,
    );
  });
});

describe('who the worker answers', () => {
  it('leaves a message from another extension unanswered', () => {
    expect(onWorkerMessage({ type: 'list-replies' }, { ...PAGE, id: 'another-extension' })).toBeUndefined();
  });

  it('answers the popup in the shape the protocol gives its request type', async () => {
    const answer = await onWorkerMessage({ type: 'list-replies' }, PAGE);
    expect(Responses['list-replies'].safeParse(answer).success).toBe(true);
    expect(answer).toMatchObject({ replies: [], quarantined: 0 });
  });

  it('refuses a helpdesk tab’s report sent by an extension page, and keeps nothing', async () => {
    await expect(onWorkerMessage({ type: 'reply-failed', reply: report() }, PAGE)).rejects.toThrow(/^rejected message/);
    expect(await storedTexts()).toEqual([]);
  });

  it('refuses a popup request sent by a helpdesk tab', async () => {
    await expect(onWorkerMessage({ type: 'list-quarantine' }, tabSender(TICKET_URL))).rejects.toThrow(/^rejected message/);
  });
});

describe('a helpdesk tab speaks of its own helpdesk only', () => {
  it('keeps a failed reply its tab reports, and remembers the tab', async () => {
    expect(await onWorkerMessage({ type: 'reply-failed', reply: report() }, tabSender(TICKET_URL))).toMatchObject({ created: true });
    expect(await storedTexts()).toEqual(['Hi Jana, your refund of 49.90 EUR was sent today.']);
    expect(await rememberedTabs()).toEqual([7]);
  });

  it('refuses a report from a frame inside the page', async () => {
    await expect(onWorkerMessage({ type: 'reply-failed', reply: report() }, tabSender(TICKET_URL, 7, 3))).rejects.toThrow(/top frame/);
    expect(await storedTexts()).toEqual([]);
  });

  it('refuses a report naming another helpdesk', async () => {
    const other = tabSender('https://evil.zendesk.com/agent/tickets/4711');
    await expect(onWorkerMessage({ type: 'reply-failed', reply: report() }, other)).rejects.toThrow(/names https:\/\/acme\.zendesk\.com/);
    expect(await storedTexts()).toEqual([]);
  });

  it('refuses to show a ticket view of another helpdesk', async () => {
    const message = { type: 'get-ticket-view', ticket: { helpdeskOrigin: ORIGIN, ticketId: '4711' }, channel: 'messenger' };
    await expect(onWorkerMessage(message, tabSender('https://evil.zendesk.com/agent/tickets/1'))).rejects.toThrow(
      /it names https:\/\/acme\.zendesk\.com, but came from https:\/\/evil\.zendesk\.com/,
    );
  });

  it('refuses a Page ID for another helpdesk, and saves nothing', async () => {
    const mapping = { helpdeskOrigin: ORIGIN, channel: 'messenger', pageId: '104857600123456' };
    await expect(
      onWorkerMessage({ type: 'save-page-mapping', mapping }, tabSender('https://evil.zendesk.com/agent/tickets/1')),
    ).rejects.toThrow(/another helpdesk/);
    expect((await loadSettings()).pageMappings).toEqual([]);
    expect(await onWorkerMessage({ type: 'save-page-mapping', mapping }, tabSender(TICKET_URL))).toEqual({ ok: true });
    expect((await loadSettings()).pageMappings).toEqual([mapping]);
  });

  it('answers a tab’s custom-profile question without remembering the tab', async () => {
    expect(await onWorkerMessage({ type: 'get-custom-profile' }, tabSender(TICKET_URL, 9))).toEqual({
      ok: false,
      reason: 'no-custom-profile',
    });
    expect(await rememberedTabs()).toBeUndefined();
    expect(await onWorkerMessage({ type: 'self-test-ready' }, tabSender(TICKET_URL, 9))).toEqual({ ok: true });
    expect(await rememberedTabs()).toEqual([9]);
  });

  it('ignores a Zendesk account left out of the subdomain list', async () => {
    await saveSettings({ ...DEFAULT_SETTINGS, zendeskSubdomains: ['other'] });
    // The allowed-subdomain check keeps its settings until they change: a fresh worker reads them.
    vi.resetModules();
    const fresh = await import('@/entrypoints/background/router');
    await expect(fresh.onWorkerMessage({ type: 'reply-failed', reply: report() }, tabSender(TICKET_URL))).rejects.toThrow(
      /not in Send Guard’s list/,
    );
    expect(await storedTexts()).toEqual([]);
  });
});
