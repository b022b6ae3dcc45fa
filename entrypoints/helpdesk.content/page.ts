import { askWorker } from '@/utils/ask-worker';
import type { TicketChannel } from '@/utils/channels';
import type { HelpdeskProfile } from '@/utils/helpdesk/profile';
import { type OutboundStatus, readOutboundStatus } from '@/utils/helpdesk/read';
import type { ContentToBackground, ResponseOf } from '@/utils/messages';
import type { QueuedReply } from '@/utils/queue/record';

export interface TicketContext {
  helpdeskOrigin: string;
  ticketId: string;
  channel: TicketChannel;
  customerName?: string;
  pageId?: string;
  userId?: string;
}

/** A retry in flight on this page: its outbound message must not be mistaken for a new failure. */
export interface InFlightRetry {
  recordId: string;
  normalizedText: string;
  /** Outbound message ids that existed before the retry pressed Send. */
  before: ReadonlySet<string>;
  messageId?: string;
}

export interface RecordedReply {
  ticket: TicketContext;
  record: QueuedReply;
}

/** What the page tells its watchers: the ticket on screen changed, or a failure was just recorded. */
export type PageEvent = { type: 'ticket' } | { type: 'recorded'; detail: RecordedReply };
type PageListener = (event: PageEvent) => void;

/**
 * What the watchers of one helpdesk tab share. Not a DOM EventTarget subclass: in Firefox a content
 * script's `class … extends EventTarget` builds a page object without the subclass's methods.
 */
export class HelpdeskPage {
  private readonly listeners = new Map<PageEvent['type'], Set<PageListener>>();
  ticket: TicketContext | null = null;
  readonly retries = new Map<string, InFlightRetry>();
  /** Texts the agent submitted, newest last: the exact reply, before the log reflows it. */
  readonly submitted: { text: string; at: number }[] = [];

  // One status read per message per batch of page changes, shared by every watcher.
  private readonly statusMemo = new Map<Element, OutboundStatus>();

  /** The outbound message's delivery status, read once per batch however many watchers ask. */
  statusOf(element: Element): OutboundStatus {
    let status = this.statusMemo.get(element);
    if (status === undefined) {
      if (this.statusMemo.size === 0) queueMicrotask(() => this.statusMemo.clear());
      status = readOutboundStatus(element, this.profile);
      this.statusMemo.set(element, status);
    }
    return status;
  }

  /** Attributes the profile's selectors read: the only ones whose changes are worth observing. */
  get watchedAttributes(): readonly string[] {
    this.attributeNames ??= attributesIn(Object.values(this.profile.selectors).flat());
    return this.attributeNames;
  }
  private attributeNames: readonly string[] | undefined;

  constructor(
    readonly profile: HelpdeskProfile,
    readonly root: Document,
  ) {}

  addEventListener(type: PageEvent['type'], listener: PageListener, options: { signal: AbortSignal }): void {
    if (options.signal.aborted) return;
    const set = this.listeners.get(type) ?? new Set<PageListener>();
    this.listeners.set(type, set);
    set.add(listener);
    options.signal.addEventListener('abort', () => set.delete(listener), { once: true });
  }

  removeEventListener(type: PageEvent['type'], listener: PageListener): void {
    this.listeners.get(type)?.delete(listener);
  }

  private emit(event: PageEvent): void {
    for (const listener of [...(this.listeners.get(event.type) ?? [])]) listener(event);
  }

  ask<M extends ContentToBackground>(message: M): Promise<ResponseOf<M['type']>> {
    return askWorker(message);
  }

  setTicket(ticket: TicketContext | null): void {
    this.ticket = ticket;
    this.emit({ type: 'ticket' });
  }

  /** Resolves once the ticket's context is known (immediately if it is). */
  ticketReady(signal: AbortSignal): Promise<TicketContext> {
    if (this.ticket) return Promise.resolve(this.ticket);
    return new Promise((resolve) => {
      const onTicket = () => {
        if (!this.ticket) return;
        this.removeEventListener('ticket', onTicket);
        resolve(this.ticket);
      };
      this.addEventListener('ticket', onTicket, { signal });
    });
  }

  isRetryMessage(messageId: string | null, normalizedText: string): boolean {
    for (const retry of this.retries.values()) {
      if (messageId && retry.messageId === messageId) return true;
      if (retry.normalizedText === normalizedText && (!messageId || !retry.before.has(messageId))) return true;
    }
    return false;
  }

  /** A failure of `ticket` the worker just recorded (its answer): the banner shows it at once. */
  showRecord(ticket: TicketContext, record: QueuedReply): void {
    this.emit({ type: 'recorded', detail: { ticket, record } });
  }
}

/** Attribute names used in CSS selectors (`[data-status="failed"]` → `data-status`), plus the
 * ones status cues are read from; `class` when a selector uses a class. */
export function attributesIn(selectors: readonly string[]): string[] {
  const names = new Set(['aria-label', 'role']);
  for (const selector of selectors) {
    for (const match of selector.matchAll(/\[\s*([A-Za-z_][-\w:.]*)/g)) if (match[1]) names.add(match[1].toLowerCase());
    if (/(^|[^\w\]"'])\.[A-Za-z_-]/.test(selector)) names.add('class');
  }
  return [...names];
}
