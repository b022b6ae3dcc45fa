import type { ContentToBackground, ResponseOf } from '@/core/protocol';
import type { QueuedReply } from '@/core/queue/record';
import type { TicketChannel } from '@/core/schemas';
import { createLogWatch, type LogWatch } from '@/profiles/log-watch';
import type { HelpdeskProfile } from '@/profiles/profile';
import { type OutboundStatus, readOutboundStatus } from '@/profiles/read';
import { isShown, shownWorkspaceOf, ticketPathFor, workspaceOf, workspaceTicketId } from '@/profiles/workspace';
import { askWorker } from '@/utils/ask-worker';
import { logError } from '@/utils/debug-log';

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
  ticketId: string;
  normalizedText: string;
  /** Outbound message ids that existed before the retry pressed Send. */
  before: ReadonlySet<string>;
  messageId?: string;
}

export interface RecordedReply {
  ticket: TicketContext;
  record: QueuedReply;
}

/** A reply the agent pressed Send on: the exact text, when, and on which ticket. */
export interface SubmittedReply {
  text: string;
  at: number;
  ticketId: string | null;
}

/** A failure told outside the message (a toast), pinned on the message it was matched to. */
export interface CueFailure {
  element: Element;
  text: string;
}

/** After an in-app navigation, how long an element of a workspace that names no ticket is not filed under the new one. */
export const SETTLE_MS = 1500;
const CONTEXT_CACHE = 50;

/** A failed reply the worker could not keep: the banner shows its text to copy. */
export interface NotKeptReply {
  ticket: TicketContext;
  text: string;
}

/** What the page tells its features. */
export type PageEvent =
  | { type: 'ticket' }
  | { type: 'sending' }
  | { type: 'recorded'; detail: RecordedReply }
  | { type: 'cue-failure'; detail: CueFailure }
  | { type: 'not-kept'; detail: NotKeptReply };
type PageListener<T extends PageEvent['type']> = (event: Extract<PageEvent, { type: T }>) => void;

/**
 * What the features of one helpdesk tab share: which ticket is on screen (and which ticket any
 * part of the page belongs to), each ticket's context, the logs being watched, the replies sent.
 * Not a DOM EventTarget subclass: in Firefox a content script's `class … extends EventTarget`
 * builds a page object without the subclass's methods.
 */
export class HelpdeskPage {
  private readonly listeners = new Map<PageEvent['type'], Set<(event: PageEvent) => void>>();
  /** The ticket on screen once its context is known; null while navigating or unknown. */
  ticket: TicketContext | null = null;
  /** The ticket the address names (the destination of a navigation as soon as it starts). */
  ticketId: string | null = null;
  /** When the last in-app navigation started (0: none since the page loaded). */
  navigatedAt = 0;
  readonly retries = new Map<string, InFlightRetry>();
  /** Texts the agent submitted, newest last: the exact reply, before the log reflows it. */
  readonly submitted: SubmittedReply[] = [];
  /** Messages a toast said failed (the message itself shows no marker). */
  readonly cueFailures = new Map<Element, string>();
  readonly logs: LogWatch;

  private readonly contexts = new Map<string, TicketContext>();
  // One status read per message per batch of page changes, shared by every watcher.
  private readonly statusMemo = new Map<Element, OutboundStatus>();

  constructor(
    readonly profile: HelpdeskProfile,
    readonly root: Document,
  ) {
    this.logs = createLogWatch({
      root,
      logSelectors: profile.selectors.log,
      workspaceSelectors: profile.selectors.workspace ?? [],
      itemSelector: profile.selectors.outbound.join(','),
      attributes: this.watchedAttributes,
    });
  }

  /** The outbound message's delivery status, read once per batch however many watchers ask. */
  statusOf(element: Element): OutboundStatus {
    let status = this.statusMemo.get(element);
    if (status === undefined) {
      if (this.statusMemo.size === 0) queueMicrotask(() => this.statusMemo.clear());
      status = readOutboundStatus(element, this.profile);
      // A toast's word counts only while the message itself says nothing (a later "Delivered" wins).
      if ((status === 'unknown' || status === 'pending') && this.cueFailures.has(element)) status = 'failed';
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

  addEventListener<T extends PageEvent['type']>(type: T, listener: PageListener<T>, options: { signal: AbortSignal }): void {
    if (options.signal.aborted) return;
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set);
    const entry = listener as (event: PageEvent) => void;
    set.add(entry);
    options.signal.addEventListener('abort', () => set.delete(entry), { once: true });
  }

  /** Each listener on its own: one that throws is logged and the others still hear the event. */
  private emit(event: PageEvent): void {
    for (const listener of [...(this.listeners.get(event.type) ?? [])]) {
      try {
        listener(event);
      } catch (error) {
        void logError(`page event "${event.type}"`, error);
      }
    }
  }

  ask<M extends ContentToBackground>(message: M): Promise<ResponseOf<M['type']>> {
    return askWorker(message);
  }

  /** An in-app navigation started or committed: the ticket on screen is unknown until resolved. */
  navigate(ticketId: string | null, now: number): void {
    if (ticketId === this.ticketId) return;
    this.ticketId = ticketId;
    this.navigatedAt = now;
    this.setTicket(null);
  }

  setTicket(ticket: TicketContext | null): void {
    if (ticket) this.remember(ticket);
    if (ticket === this.ticket) return;
    this.ticket = ticket;
    this.emit({ type: 'ticket' });
  }

  /** A ticket's context learnt earlier in this tab (its workspace may be hidden now). */
  contextOf(ticketId: string): TicketContext | null {
    return this.contexts.get(ticketId) ?? null;
  }

  remember(ticket: TicketContext): void {
    this.contexts.delete(ticket.ticketId);
    this.contexts.set(ticket.ticketId, ticket);
    if (this.contexts.size > CONTEXT_CACHE) this.contexts.delete(this.contexts.keys().next().value as string);
  }

  /**
   * A ticket's context: known already, or (for the ticket on screen) once it is resolved; null
   * when the agent moves to another ticket first, or the ticket is not on screen and was never seen.
   */
  contextFor(ticketId: string, signal: AbortSignal): Promise<TicketContext | null> {
    const known = this.contexts.get(ticketId);
    if (known) return Promise.resolve(known);
    if (this.ticketId !== ticketId) return Promise.resolve(null);
    return new Promise((resolve) => {
      const stop = new AbortController();
      const done = (value: TicketContext | null) => {
        stop.abort();
        resolve(value);
      };
      this.addEventListener(
        'ticket',
        () => {
          if (this.ticket?.ticketId === ticketId) done(this.ticket);
          else if (this.ticketId !== ticketId) done(null);
        },
        { signal: AbortSignal.any([signal, stop.signal]) },
      );
      signal.addEventListener('abort', () => done(null), { signal: stop.signal });
    });
  }

  /**
   * The ticket a part of the page belongs to: the ticket its workspace names; in a workspace
   * that names none (or a page without workspaces), the ticket on screen, but only for a part the
   * agent can see, and not in the moments after a navigation when the old workspace may still show.
   * Null when it cannot be known: such a part is never filed under a guess.
   */
  ticketIdOf(element: Element, now: number): string | null {
    const workspace = workspaceOf(element, this.profile);
    const named = workspace ? workspaceTicketId(workspace, this.profile) : null;
    if (named) return named;
    if (!this.ticket || !isShown(element)) return null;
    if (this.navigatedAt > 0 && now - this.navigatedAt < SETTLE_MS) return null;
    if (workspace && workspace !== this.scopeOf(this.ticket.ticketId)) return null;
    return this.ticket.ticketId;
  }

  /**
   * Where a ticket's log, composer and banner are looked up: its workspace when the page mounts
   * several, the page when it shows one ticket at a time (then only the ticket on screen has one).
   */
  scopeOf(ticketId: string): ParentNode | null {
    if ((this.profile.selectors.workspace?.length ?? 0) > 0) {
      const named = this.root.querySelectorAll(this.profile.selectors.workspace?.join(',') ?? '');
      for (const workspace of named) if (workspaceTicketId(workspace, this.profile) === ticketId) return workspace;
      const shown = this.ticketId === ticketId ? shownWorkspaceOf(this.root, this.profile, ticketId) : null;
      if (shown) return shown;
      // A profile with workspaces on a page that has none matching: the page is the one workspace.
      if (named.length > 0) return null;
    }
    return this.ticketId === ticketId ? this.root : null;
  }

  /** The scope of the ticket on screen, only once the agent can see it (the app swaps workspaces late). */
  shownScopeOf(ticketId: string): ParentNode | null {
    if (this.ticketId !== ticketId) return null;
    const scope = this.scopeOf(ticketId);
    if (!scope) return null;
    return scope === this.root || (scope instanceof Element && isShown(scope)) ? scope : null;
  }

  /** The ticket's address in this helpdesk (where a retry reopens it), or undefined when it cannot be built. */
  ticketUrlOf(ticketId: string): string | undefined {
    const path = ticketPathFor(this.profile, location.pathname, ticketId);
    return path ? `${location.origin}${path}` : undefined;
  }

  isRetryMessage(messageId: string | null, normalizedText: string, ticketId: string | null): boolean {
    for (const retry of this.retries.values()) {
      if (ticketId !== null && retry.ticketId !== ticketId) continue;
      if (messageId && retry.messageId === messageId) return true;
      if (retry.normalizedText === normalizedText && (!messageId || !retry.before.has(messageId))) return true;
    }
    return false;
  }

  /** Records a Send pressed (by the agent, or a retry) on `ticketId`'s workspace, and tells the toast watcher. */
  addSubmitted(reply: SubmittedReply): void {
    this.submitted.push(reply);
    if (this.submitted.length > 20) this.submitted.shift();
    this.emit({ type: 'sending' });
  }

  /** A toast said this message failed: the watchers read it again. */
  markFailedByCue(element: Element, text: string): void {
    this.cueFailures.set(element, text);
    if (this.cueFailures.size > 200) this.cueFailures.delete(this.cueFailures.keys().next().value as Element);
    this.statusMemo.delete(element);
    this.emit({ type: 'cue-failure', detail: { element, text } });
  }

  /** A failed reply that could not be kept anywhere: its ticket's banner shows the text to copy. */
  showNotKept(reply: NotKeptReply): void {
    this.emit({ type: 'not-kept', detail: reply });
  }

  /** A failure of `ticket` the worker just recorded (its answer): that ticket's banner shows it at once. */
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
