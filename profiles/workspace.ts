import type { HelpdeskProfile } from './profile';

// Which ticket a part of the page belongs to, in a single-page helpdesk that keeps several tickets'
// workspaces mounted and hides the inactive ones. Pure readers over the DOM they are given.

const TICKET_ID = /^[\w-]{1,200}$/;

/** The workspace an element is in, or null (none, or a profile without workspaces). */
export function workspaceOf(element: Element, profile: HelpdeskProfile): Element | null {
  for (const selector of profile.selectors.workspace ?? []) {
    const found = element.closest(selector);
    if (found) return found;
  }
  return null;
}

/** The ticket id a workspace element names in one of the profile's attributes, or null. */
export function workspaceTicketId(workspace: Element, profile: HelpdeskProfile): string | null {
  for (const name of profile.workspaceTicketAttributes ?? []) {
    const value = workspace.getAttribute(name)?.trim();
    if (value && TICKET_ID.test(value)) return value;
  }
  return null;
}

/**
 * Whether the agent can see the element: not hidden by itself or an ancestor (`display: none`,
 * the `hidden` attribute, `visibility: hidden`). Inactive workspaces are hidden this way.
 */
export function isShown(element: Element): boolean {
  if (typeof element.checkVisibility === 'function' && element.getClientRects().length > 0) {
    return element.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions);
  }
  // Without layout (a detached or unrendered tree): walk up and read the styles that hide.
  for (let node: Element | null = element; node; node = node.parentElement) {
    if (node.hasAttribute('hidden')) return false;
    const style = node.ownerDocument.defaultView?.getComputedStyle(node);
    if (style?.display === 'none' || style?.visibility === 'hidden') return false;
  }
  return element.isConnected;
}

/** Every mounted workspace, in document order. */
export function allWorkspaces(root: ParentNode, profile: HelpdeskProfile): Element[] {
  const selectors = profile.selectors.workspace ?? [];
  return selectors.length === 0 ? [] : [...root.querySelectorAll(selectors.join(','))];
}

/**
 * The workspace of `ticketId` on screen: the shown one that names this ticket; when workspaces
 * name no ticket, the only shown one. Null while the app has not shown it yet (the URL changes
 * before the workspace swaps), or when it cannot be told apart.
 */
export function shownWorkspaceOf(root: ParentNode, profile: HelpdeskProfile, ticketId: string): Element | null {
  const shown = allWorkspaces(root, profile).filter(isShown);
  const named = shown.filter((ws) => workspaceTicketId(ws, profile) === ticketId);
  if (named.length === 1) return named[0] ?? null;
  if (named.length > 1) return null;
  const anonymous = shown.filter((ws) => workspaceTicketId(ws, profile) === null);
  return shown.length === 1 && anonymous.length === 1 ? (anonymous[0] ?? null) : null;
}

/** The first element matching one of `selectors` under `root` that the agent can see. */
export function queryShown(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    for (const element of root.querySelectorAll(selector)) if (isShown(element)) return element;
  }
  return null;
}

/**
 * A ticket's path in this helpdesk: the page's own path with the ticket id swapped in (keeps a
 * Chatwoot account or a custom profile's prefix), else the profile's default, else null.
 */
export function ticketPathFor(profile: HelpdeskProfile, currentPath: string, ticketId: string): string | null {
  const pattern = new RegExp(profile.ticketPath.source, `${profile.ticketPath.flags.replace('d', '')}d`);
  const match = pattern.exec(currentPath);
  const span = match?.indices?.[1];
  if (match && span) {
    const path = `${currentPath.slice(0, span[0])}${encodeURIComponent(ticketId)}${currentPath.slice(span[1])}`;
    return pattern.exec(path)?.[1] === ticketId ? path : null;
  }
  return profile.defaultTicketPath?.(ticketId) ?? null;
}
