import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { channelLabel } from '@/core/channels';
import type { QueuedReply } from '@/core/queue/record';
import { isClaimable } from '@/core/queue/transitions';
import { t } from '@/utils/i18n';
import { type QueueActions, QueueRow, type StaleFlags } from './QueueRow';

/** Each reply's searchable words, lower-cased once per listing (not once per keystroke). */
const searchText = new WeakMap<QueuedReply, string>();

function searchTextOf(reply: QueuedReply): string {
  let text = searchText.get(reply);
  if (text === undefined) {
    text = [reply.text, reply.customerName ?? '', reply.ticketId, reply.channel].join('\n').toLowerCase();
    searchText.set(reply, text);
  }
  return text;
}

export function matchesSearch(reply: QueuedReply, query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || searchTextOf(reply).includes(q);
}

/**
 * Prepares every reply's searchable words while the popup is idle, a slice at a time, so the first
 * keystroke over ten thousand replies only compares. Stops when `signal` aborts (a newer listing).
 */
export function prepareSearch(replies: readonly QueuedReply[], signal: AbortSignal): void {
  let next = 0;
  // A few milliseconds per slice: typing or scrolling meanwhile is never held up for long.
  const slice = () => {
    if (signal.aborted) return;
    for (const end = Math.min(replies.length, next + 250); next < end; next++) searchTextOf(replies[next] as QueuedReply);
    if (next < replies.length) later(slice);
  };
  later(slice);
}

const later = (job: () => void) =>
  typeof requestIdleCallback === 'function' ? requestIdleCallback(job, { timeout: 1000 }) : setTimeout(job, 0);

/** One line of the list: a ticket's heading, or one of its replies. */
type Entry =
  | { kind: 'head'; key: string; group: string; heading: string; retryable: string[] }
  | { kind: 'reply'; key: string; group: string; heading: string; reply: QueuedReply };

/** Kept replies grouped by ticket (the ticket with the oldest waiting reply first), as one flat list of lines. */
export function queueEntries(replies: readonly QueuedReply[]): Entry[] {
  const byTicket = new Map<string, QueuedReply[]>();
  for (const reply of [...replies].sort((a, b) => a.firstFailedAt - b.firstFailedAt)) {
    const key = `${reply.helpdeskOrigin}/${reply.ticketId}`;
    const list = byTicket.get(key);
    if (list) list.push(reply);
    else byTicket.set(key, [reply]);
  }
  const entries: Entry[] = [];
  for (const [group, items] of byTicket) {
    const first = items[0];
    if (!first) continue;
    const heading = `${t('popupTicket', first.ticketId)}${first.customerName ? ` · ${first.customerName}` : ''} · ${t(channelLabel(first.channel))}`;
    const retryable = items.filter(isClaimable).map((r) => r.id);
    entries.push({ kind: 'head', key: `head:${group}`, group, heading, retryable });
    for (const reply of items) entries.push({ kind: 'reply', key: reply.id, group, heading, reply });
  }
  return entries;
}

// Until a line is measured, its height is guessed; the window is this much taller than the screen.
const GUESS = { head: 40, reply: 92 } as const;
const OVERSCAN_PX = 800;

/**
 * The lines on screen (and a screen's worth around them), between two spacers that stand for the
 * rest, all in normal flow: the popup lists ten thousand replies as fast as ten, and every one is
 * reached by scrolling. Heights are measured as lines render and remembered by key.
 */
function useWindow(entries: readonly Entry[]) {
  const listRef = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [view, setView] = useState({ top: 0, bottom: typeof window === 'undefined' ? 800 : window.innerHeight + OVERSCAN_PX });
  const [measured, remeasured] = useState(0);

  const offsets = useMemo(() => {
    const at = new Float64Array(entries.length + 1);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Entry;
      at[i + 1] = (at[i] as number) + (heights.current.get(entry.key) ?? GUESS[entry.kind]);
    }
    return at;
    // `measured` changes when a line's height turned out other than the one used here.
  }, [entries, measured]);

  useEffect(() => {
    let frame = 0;
    const update = () => {
      frame = 0;
      const list = listRef.current;
      if (!list) return;
      const listTop = list.getBoundingClientRect().top;
      setView({ top: Math.max(0, -listTop - OVERSCAN_PX), bottom: -listTop + window.innerHeight + OVERSCAN_PX });
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(update);
    };
    update();
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      cancelAnimationFrame(frame);
    };
  }, []);

  // First line whose bottom is below the window's top, and the last whose top is above its bottom.
  const find = (y: number) => {
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((offsets[mid + 1] as number) <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const start = find(view.top);
  const end = Math.min(entries.length, find(view.bottom) + 1);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    let changed = false;
    for (const element of list.querySelectorAll<HTMLElement>('[data-entry], [data-reply-id]')) {
      const key = element.dataset.entry ?? element.dataset.replyId ?? '';
      const height = element.getBoundingClientRect().height;
      if (height > 0 && Math.abs((heights.current.get(key) ?? -1) - height) > 0.5) {
        heights.current.set(key, height);
        changed = true;
      }
    }
    if (changed) remeasured((n) => n + 1);
  });

  return {
    listRef,
    start,
    end,
    before: offsets[start] as number,
    after: (offsets[entries.length] as number) - (offsets[end] as number),
  };
}

/** Kept replies grouped by ticket, drawn through a window over the whole list. */
export function QueueList({
  replies,
  now,
  actions,
  stale,
}: {
  replies: QueuedReply[];
  now: number;
  actions: QueueActions;
  stale?: StaleFlags;
}) {
  const entries = useMemo(() => queueEntries(replies), [replies]);
  const { listRef, start, end, before, after } = useWindow(entries);
  if (replies.length === 0) return <p class="empty">{t('popupEmpty')}</p>;

  // The visible lines, by ticket: each ticket's lines stay in one section named after it.
  const groups: { group: string; heading: string; lines: Entry[] }[] = [];
  for (const entry of entries.slice(start, end)) {
    const last = groups.at(-1);
    if (last && last.group === entry.group) last.lines.push(entry);
    else groups.push({ group: entry.group, heading: entry.heading, lines: [entry] });
  }
  return (
    <div class="tickets" ref={listRef}>
      <div class="spacer" style={{ height: `${before}px` }} />
      {groups.map(({ group, heading, lines }) => (
        <section key={group} class="ticket" aria-label={heading}>
          {lines[0]?.kind === 'head' && <TicketHead entry={lines[0]} actions={actions} />}
          <ul>
            {lines.map((line) =>
              line.kind === 'reply' ? <QueueRow key={line.key} reply={line.reply} now={now} actions={actions} stale={stale} /> : null,
            )}
          </ul>
        </section>
      ))}
      <div class="spacer" style={{ height: `${after}px` }} />
    </div>
  );
}

function TicketHead({ entry, actions }: { entry: Extract<Entry, { kind: 'head' }>; actions: QueueActions }) {
  return (
    <div class="ticket-head" data-entry={entry.key}>
      <h3>{entry.heading}</h3>
      {entry.retryable.length > 1 && (
        <button type="button" onClick={() => actions.onRetry(entry.retryable)}>
          {t('popupRetryTicket')}
        </button>
      )}
    </div>
  );
}
