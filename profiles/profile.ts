import type { TicketChannel } from '../core/schemas';

/** Every selector and label a helpdesk's page is read with. Lists are tried in order. */
export interface HelpdeskProfile {
  id: string;
  /** Reads the ticket id from the page's path. */
  ticketPath: RegExp;
  selectors: {
    log: string[];
    message: string[];
    /** Narrows `message` to the agent's outbound replies. */
    outbound: string[];
    content: string[];
    sender: string[];
    time: string[];
    viaLabel: string[];
    composer: string[];
    sendButton: string[];
    /** Attribute cues on or inside a message that mark a failed send. */
    failedMarker: string[];
    deliveredMarker: string[];
    errorDetail: string[];
    /** Elements whose `aria-label` or text is matched against the label lists below. */
    statusText: string[];
    /** The composer's switch to an internal note, and back to a public reply (for handoff notes). */
    internalNoteMode?: string[];
    publicReplyMode?: string[];
    /**
     * One ticket's workspace: its header, log and composer. A single-page helpdesk keeps several
     * mounted (the inactive ones hidden); everything is read and typed inside the active one.
     * Empty: the page shows one ticket at a time.
     */
    workspace?: string[];
    /** Notifications the helpdesk raises outside the log (a failure toast in the upper right). */
    toast?: string[];
  };
  /** Attributes of a workspace element that hold its ticket id, tried in order. */
  workspaceTicketAttributes?: string[];
  labels: {
    failed: string[];
    delivered: string[];
    pending: string[];
    channel: Record<Exclude<TicketChannel, 'other'>, string[]>;
  };
  /** Same-origin API path giving the ticket's channel and Meta ids, if the helpdesk has one. */
  ticketApiPath?: (ticketId: string) => string;
  /** A ticket's app path when the page's own path names no ticket to derive it from (a list view). */
  defaultTicketPath?: (ticketId: string) => string;
}

/** Returns why `selector` is not valid CSS, or null. Injected so the core stays free of the DOM. */
export type SelectorCheck = (selector: string) => string | null;
