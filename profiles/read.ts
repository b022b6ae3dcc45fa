import type { TicketChannel } from '../core/schemas';
import type { HelpdeskProfile } from './profile';
import { readStatusWords, type StatusVocabulary, statusVocabulary } from './status-words';

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

/** The message's own content elements: what the agent or customer wrote, never a status. */
function contentsOf(element: Element, profile: HelpdeskProfile): Element[] {
  return profile.selectors.content.flatMap((selector) => [...element.querySelectorAll(selector)]);
}

/** Elements under `element` matching `selector`, outside the message's content (a reply's own link is not a status). */
function outsideContent(element: Element, selector: string, contents: readonly Element[]): Element[] {
  return [...element.querySelectorAll(selector)].filter((node) => !contents.some((content) => content.contains(node)));
}

const vocabularies = new WeakMap<HelpdeskProfile['labels'], StatusVocabulary>();

/** The shared English and German status words plus the profile's own, prepared once per profile. */
function vocabularyOf(profile: HelpdeskProfile): StatusVocabulary {
  let vocabulary = vocabularies.get(profile.labels);
  if (!vocabulary) {
    vocabulary = statusVocabulary(profile.labels);
    vocabularies.set(profile.labels, vocabulary);
  }
  return vocabulary;
}

/** Whether a text (a status label, a toast) says a send failed, read with the profile's words. */
export function textSaysFailed(text: string, profile: HelpdeskProfile): boolean {
  return readStatusWords(text, vocabularyOf(profile)) === 'failed';
}

function statusTexts(element: Element, profile: HelpdeskProfile, contents = contentsOf(element, profile)): string[] {
  const texts: string[] = [];
  for (const selector of profile.selectors.statusText) {
    for (const node of outsideContent(element, selector, contents)) texts.push(...labelTexts(node));
  }
  return [...new Set(texts)];
}

/** What a status element says: its aria-label, and its text when that is short enough to be a label. */
function labelTexts(node: Element): string[] {
  const texts: string[] = [];
  const label = node.getAttribute('aria-label');
  if (label) texts.push(label);
  const text = node.textContent?.trim();
  // A label is a few words; a whole status block (label + detail run together) is not one.
  if (text && text.length <= MAX_LABEL_CHARS) texts.push(text);
  return texts;
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

/** What a set of status texts says: any failure wins, then delivered, then pending. */
function statusFromTexts(texts: readonly string[], profile: HelpdeskProfile): OutboundStatus {
  const words = texts.map((text) => readStatusWords(text, vocabularyOf(profile)));
  if (words.includes('failed')) return 'failed';
  if (words.includes('delivered')) return 'delivered';
  if (words.includes('pending')) return 'pending';
  return 'unknown';
}

/**
 * Reads an outbound message's delivery status from independent cues: marker attributes on
 * the message or inside it, then icons' aria-labels and status texts in either language (by
 * whole words and phrases, status-words.ts), then plain text beside the message. Any one cue is
 * enough; none is a class name, and nothing inside the message's own content counts.
 */
export function readOutboundStatus(element: Element, profile: HelpdeskProfile): OutboundStatus {
  const { failedMarker, deliveredMarker, statusText } = profile.selectors;
  if (matchesAny(element, failedMarker)) return 'failed';
  const contents = contentsOf(element, profile);
  // One query for every cue inside the message, each match then sorted: a busy log asks this of
  // every message it changes, and one pass costs a fraction of one query per selector.
  let delivered = matchesAny(element, deliveredMarker);
  const texts = new Set<string>();
  const cues = cueSelectorOf(profile);
  for (const node of cues ? element.querySelectorAll(cues) : []) {
    if (contents.some((content) => content.contains(node))) continue;
    if (matchesAny(node, failedMarker)) return 'failed';
    if (!delivered && matchesAny(node, deliveredMarker)) delivered = true;
    if (matchesAny(node, statusText)) for (const text of labelTexts(node)) texts.add(text);
  }
  const labelled = statusFromTexts([...texts], profile);
  if (labelled === 'failed') return 'failed';
  if (delivered) return 'delivered';
  if (labelled !== 'unknown') return labelled;
  // Last cue, only when no other one spoke: it walks the message's text nodes.
  return statusFromTexts([looseStatusText(element, profile)], profile);
}

const cueSelectors = new WeakMap<HelpdeskProfile['selectors'], string>();

/** Every status cue's selector as one list (markers and status texts), built once per profile. */
function cueSelectorOf({ selectors }: HelpdeskProfile): string {
  let selector = cueSelectors.get(selectors);
  if (selector === undefined) {
    selector = [...new Set([...selectors.failedMarker, ...selectors.deliveredMarker, ...selectors.statusText])].join(',');
    cueSelectors.set(selectors, selector);
  }
  return selector;
}

/** The error detail the helpdesk shows beside a failed message, plus its failure label. */
export function readFailureText(element: Element, profile: HelpdeskProfile): string {
  const contents = contentsOf(element, profile);
  const detailElement = profile.selectors.errorDetail.map((s) => outsideContent(element, s, contents)[0]).find(Boolean);
  const detail = detailElement?.textContent?.trim() ?? '';
  const labels = statusTexts(element, profile).filter((t) => textSaysFailed(t, profile));
  // No marked detail: the failure may be told in plain text beside the message (label and detail together).
  const loose = detail ? '' : looseStatusText(element, profile);
  const plain = textSaysFailed(loose, profile) ? [loose] : [];
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
