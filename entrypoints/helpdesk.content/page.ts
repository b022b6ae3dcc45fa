import { browser } from 'wxt/browser';
import type { TicketChannel } from '@/utils/channels';
import type { HelpdeskProfile } from '@/utils/helpdesk/profile';
import { askBackground, type ContentToBackground, type ResponseOf } from '@/utils/messages';

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

/** What the watchers of one helpdesk tab share. */
export class HelpdeskPage extends EventTarget {
  ticket: TicketContext | null = null;
  readonly retries = new Map<string, InFlightRetry>();
  /** Texts the agent submitted, newest last: the exact reply, before the log reflows it. */
  readonly submitted: { text: string; at: number }[] = [];

  constructor(
    readonly profile: HelpdeskProfile,
    readonly root: Document,
  ) {
    super();
  }

  ask<M extends ContentToBackground>(message: M): Promise<ResponseOf<M['type']>> {
    return askBackground((m) => browser.runtime.sendMessage(m), message);
  }

  setTicket(ticket: TicketContext | null): void {
    this.ticket = ticket;
    this.dispatchEvent(new Event('ticket'));
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

  notifyQueueChanged(): void {
    this.dispatchEvent(new Event('queue-changed'));
  }
}
