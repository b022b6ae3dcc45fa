import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '@/entrypoints/background/db';
import { onWorkerMessage } from '@/entrypoints/background/router';
import { type FailedReport, Responses } from '@/utils/messages';
import { readReplies } from '@/utils/queue/db';
import { DEFAULT_SETTINGS, loadSettings, saveSettings } from '@/utils/settings';
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
