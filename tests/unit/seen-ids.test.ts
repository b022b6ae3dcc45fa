import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { sendErrorFromText } from '@/core/failures/send-errors';
import type { ContentToBackground } from '@/core/protocol';
import { openQueueDB, readReplies, recordFailure } from '@/core/queue/db';
import type { FailedReply } from '@/core/queue/record';
import { HelpdeskPage } from '@/entrypoints/helpdesk.content/page';
import * as failureWatcher from '@/entrypoints/helpdesk.content/watchers/failure-watcher';
import { zendeskProfile } from '@/profiles/zendesk';
import { SEEN_IDS_CAP } from '@/utils/bounded-set';
import { failedStatus, log, message } from '../fixtures/zendesk-ticket';

// The failure watcher remembers at most SEEN_IDS_CAP reported messages. An old failure it has
// forgotten is reported again when a virtualized log re-inserts it; the queue keeps it one record.

const ORIGIN = 'https://acme.zendesk.com';
const failed = (id: string, text: string) =>
  message({
    id,
    author: 'agent',
    sender: 'Sam Rivera',
    text,
    deliveryStatus: 'failed',
    status: failedStatus('en', 'Error code 2: (#2) Service temporarily unavailable'),
  });
const element = (html: string) => {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content.firstElementChild as Element;
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const stop = new AbortController();
afterEach(() => {
  stop.abort();
  document.body.replaceChildren();
});

describe('failure watcher over a long session', () => {
  it('reports each failure once while remembered; a forgotten one reported again still makes one queue record', async () => {
    document.body.innerHTML = log();
    const container = document.querySelector('[data-test-id="omni-log-container"]') as Element;
    const page = new HelpdeskPage(zendeskProfile, document);
    page.logs.start(stop.signal);
    page.ticketId = '4711';
    page.setTicket({ helpdeskOrigin: ORIGIN, ticketId: '4711', channel: 'messenger' });
    const db = await openQueueDB(`seen-ids-${Math.random().toString(36).slice(2)}`);
    const reports = new Map<string, number>();
    const created: boolean[] = [];
    page.ask = (async (request: ContentToBackground) => {
      if (request.type !== 'reply-failed') return undefined;
      // As the worker does: the page reports the failure text, the worker classifies it.
      const reply: FailedReply = { ...request.reply, error: sendErrorFromText(request.reply.error.message) };
      const id = reply.messageId ?? '';
      reports.set(id, (reports.get(id) ?? 0) + 1);
      // The old failure goes through the real queue; the filler only needs counting.
      if (id === 'old-1') created.push((await recordFailure(db, reply, crypto.randomUUID(), Date.now())).created);
      return { record: {}, created: true };
    }) as HelpdeskPage['ask'];
    failureWatcher.init(page, { signal: stop.signal } as ContentScriptContext);

    const old = element(failed('old-1', 'Hi Jana, your refund of 49.90 EUR was sent today.'));
    container.append(old);
    await vi.waitFor(() => expect(reports.get('old-1')).toBe(1), { timeout: 5_000 });
    // Scrolled away and back while remembered: not reported again.
    old.remove();
    container.append(old);
    await settle();
    expect(reports.get('old-1')).toBe(1);

    // A long day: SEEN_IDS_CAP other failures pass through the virtualized log.
    old.remove();
    const template = element(failed('fill-0', 'Session reply 0'));
    const filler = Array.from({ length: SEEN_IDS_CAP }, (_, i) => {
      const copy = template.cloneNode(true) as Element;
      copy.setAttribute('data-message-id', `fill-${i}`);
      (copy.querySelector('[data-test-id="omni-log-message-content"]') as Element).textContent = `Session reply ${i}`;
      return copy;
    });
    container.append(...filler);
    await vi.waitFor(() => expect(reports.size).toBe(SEEN_IDS_CAP + 1), { timeout: 20_000 });
    for (const node of filler) node.remove();
    const recent = filler.at(-1) as Element;
    container.append(recent);
    await settle();
    expect(reports.get(`fill-${SEEN_IDS_CAP - 1}`)).toBe(1);

    // The oldest was forgotten: re-inserted, it is reported again, and the queue still holds one record.
    container.append(old);
    await vi.waitFor(() => expect(reports.get('old-1')).toBe(2), { timeout: 5_000 });
    await vi.waitFor(() => expect(created).toEqual([true, false]), { timeout: 5_000 });
    expect([...reports.values()].every((n, i) => n === (i === 0 ? 2 : 1))).toBe(true);
    const { replies } = await readReplies(db);
    expect(replies.map((r) => [r.messageIds, r.text])).toEqual([[['old-1'], 'Hi Jana, your refund of 49.90 EUR was sent today.']]);
    db.close();
  }, 60_000);
});
