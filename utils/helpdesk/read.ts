import type { TicketChannel } from '../channels';
import type { HelpdeskProfile } from './profile';

// Pure readers: each takes the root or element and the profile, so tests can hand them fixture HTML.

export function queryFirst(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

export function matchesAny(element: Element, selectors: readonly string[]): boolean {
  return selectors.some((selector) => element.matches(selector));
}

function includesAny(text: string, labels: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return labels.some((label) => lower.includes(label));
}

export function readTicketId(pathname: string, profile: HelpdeskProfile): string | null {
  return profile.ticketPath.exec(pathname)?.[1] ?? null;
}

export function readChannel(root: ParentNode, profile: HelpdeskProfile): TicketChannel | null {
  const label = queryFirst(root, profile.selectors.viaLabel)?.textContent?.trim();
  if (!label) return null;
  for (const [channel, labels] of Object.entries(profile.labels.channel)) {
    if (includesAny(label, labels)) return channel as TicketChannel;
  }
  return 'other';
}

export type OutboundStatus = 'failed' | 'delivered' | 'pending' | 'unknown';

export interface LogMessage {
  element: Element;
  messageId: string | null;
  outbound: boolean;
  /** Raw text (cheap; whitespace as in the DOM). Use `readDisplayText` for what a person sees. */
  text: string;
  content: Element | null;
  sender: string | null;
  /** Epoch ms from the message's own timestamp, when it has one. */
  at: number | null;
}

export function readMessage(element: Element, profile: HelpdeskProfile): LogMessage {
  const content = queryFirst(element, profile.selectors.content);
  const time = queryFirst(element, profile.selectors.time)?.getAttribute('datetime');
  const at = time ? Date.parse(time) : Number.NaN;
  return {
    element,
    // `||`, not `??`: `element.id` is '' (never null) without an id, and '' would key every id-less message alike.
    messageId: element.getAttribute('data-message-id') || element.getAttribute('data-id') || element.id || null,
    outbound: matchesAny(element, profile.selectors.outbound),
    text: content?.textContent ?? '',
    content,
    sender: queryFirst(element, profile.selectors.sender)?.textContent?.trim() ?? null,
    at: Number.isFinite(at) ? at : null,
  };
}

const MAX_LABEL_CHARS = 60;

function statusTexts(element: Element, profile: HelpdeskProfile): string[] {
  const texts: string[] = [];
  for (const selector of profile.selectors.statusText) {
    for (const node of element.querySelectorAll(selector)) {
      const label = node.getAttribute('aria-label');
      if (label) texts.push(label);
      const text = node.textContent?.trim();
      // A label is a few words; a whole status block (label + detail run together) is not one.
      if (text && text.length <= MAX_LABEL_CHARS) texts.push(text);
    }
  }
  return [...new Set(texts)];
}

// Plain status text beside a message is short; past this it is not a status line.
const MAX_LOOSE_TEXT_CHARS = 1000;

/**
 * The message's own text outside its content, sender and time: where a helpdesk that marks
 * a failure with plain words only ("Not delivered", no attribute, no icon) puts them. Empty
 * when the content element is not found, so the agent's reply is never read as a status.
 */
function looseStatusText(element: Element, profile: HelpdeskProfile): string {
  if (!queryFirst(element, profile.selectors.content)) return '';
  const skip = new Set(
    [profile.selectors.content, profile.selectors.sender, profile.selectors.time].flatMap((list) =>
      list.flatMap((selector) => [...element.querySelectorAll(selector)]),
    ),
  );
  const parts: string[] = [];
  let length = 0;
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (length > MAX_LOOSE_TEXT_CHARS) return;
      if (child.nodeType === Node.TEXT_NODE) {
        const text = child.nodeValue?.trim();
        if (text) {
          parts.push(text);
          length += text.length + 1;
        }
      } else if (child.nodeType === Node.ELEMENT_NODE && !skip.has(child as Element)) walk(child);
    }
  };
  walk(element);
  return parts.join(' ').replace(/\s+/g, ' ').slice(0, MAX_LOOSE_TEXT_CHARS);
}

function statusFromTexts(texts: readonly string[], profile: HelpdeskProfile): OutboundStatus {
  // Failed first: "Not delivered" / "Nicht zugestellt" contain the delivered labels.
  if (texts.some((t) => includesAny(t, profile.labels.failed))) return 'failed';
  if (texts.some((t) => includesAny(t, profile.labels.delivered))) return 'delivered';
  if (texts.some((t) => includesAny(t, profile.labels.pending))) return 'pending';
  return 'unknown';
}

/**
 * Reads an outbound message's delivery status from independent cues: marker attributes on
 * the message or inside it, then icons' aria-labels and status texts in either language,
 * then plain text beside the message. Any one cue is enough; none is a class name.
 */
export function readOutboundStatus(element: Element, profile: HelpdeskProfile): OutboundStatus {
  const markedBy = (s: string) => element.matches(s) || element.querySelector(s) !== null;
  if (profile.selectors.failedMarker.some(markedBy)) return 'failed';
  const texts = statusTexts(element, profile);
  if (texts.some((t) => includesAny(t, profile.labels.failed))) return 'failed';
  if (profile.selectors.deliveredMarker.some(markedBy)) return 'delivered';
  const labelled = statusFromTexts(texts, profile);
  if (labelled !== 'unknown') return labelled;
  // Last cue, only when no other one spoke: it walks the message's text nodes.
  return statusFromTexts([looseStatusText(element, profile)], profile);
}

/** The error detail the helpdesk shows beside a failed message, plus its failure label. */
export function readFailureText(element: Element, profile: HelpdeskProfile): string {
  const detail = queryFirst(element, profile.selectors.errorDetail)?.textContent?.trim() ?? '';
  const labels = statusTexts(element, profile).filter((t) => includesAny(t, profile.labels.failed));
  // No marked detail: the failure may be told in plain text beside the message (label and detail together).
  const loose = detail ? '' : looseStatusText(element, profile);
  const plain = includesAny(loose, profile.labels.failed) ? [loose] : [];
  return [...new Set([...labels, ...plain, detail])].filter(Boolean).join(' — ').slice(0, 2000);
}

/** The customer's display name: the sender of the latest end-user message. */
export function readCustomerName(root: ParentNode, profile: HelpdeskProfile): string | null {
  const messages = [...root.querySelectorAll(profile.selectors.message.join(','))];
  for (const element of messages.reverse()) {
    if (matchesAny(element, profile.selectors.outbound)) continue;
    const sender = queryFirst(element, profile.selectors.sender)?.textContent?.trim();
    if (sender) return sender;
  }
  return null;
}

/** A message's text with its line breaks, as the agent wrote it (costs a layout: use sparingly). */
export function readDisplayText(message: LogMessage): string {
  const content = message.content as HTMLElement | null;
  // biome-ignore lint/performance/useDomNodeTextContent: line breaks of the agent's reply are part of it.
  return (content?.innerText ?? message.text).trim();
}

/** When the customer last wrote: the newest timestamp among the end-user messages, if any has one. */
export function readLastCustomerMessageAt(root: ParentNode, profile: HelpdeskProfile): number | null {
  let last: number | null = null;
  for (const element of root.querySelectorAll(profile.selectors.message.join(','))) {
    if (matchesAny(element, profile.selectors.outbound)) continue;
    const at = readMessage(element, profile).at;
    if (at !== null && (last === null || at > last)) last = at;
  }
  return last;
}
