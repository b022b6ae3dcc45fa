// What a helpdesk tab may say about: its own helpdesk only. The worker knows which tab (and so
// which origin) sent a message; a message naming another origin, or a ticket address that names
// another ticket than the report's, is refused. Pure: the worker passes what it knows.

/** The origin of the tab's top frame that sent a message, or null when it cannot be trusted as one. */
export function senderOrigin(sender: { url?: string | undefined; frameId?: number | undefined }): string | null {
  if (sender.frameId !== undefined && sender.frameId !== 0) return null;
  if (!sender.url) return null;
  try {
    const url = new URL(sender.url);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    // A sender address that cannot be read is no helpdesk origin: the message is refused.
    return null;
  }
}

/** The ticket id a helpdesk address names, by the first of `ticketPaths` (group 1) that matches its path. */
export function ticketIdInUrl(url: string, ticketPaths: readonly RegExp[]): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not a URL: it names no ticket.
    return null;
  }
  for (const pattern of ticketPaths) {
    const id = pattern.exec(path)?.[1];
    if (id) return id;
  }
  return null;
}

/**
 * Why a failure report from a tab of `origin` is refused, or null when it is accepted: it must be
 * about that tab's own helpdesk, and its ticket address (when given) must be an http(s) address on
 * that helpdesk naming the same ticket.
 */
export function reportProblem(
  report: { helpdeskOrigin: string; ticketId: string; ticketUrl?: string | undefined },
  origin: string,
  ticketPaths: readonly RegExp[],
): string | null {
  if (report.helpdeskOrigin !== origin) return `the report names ${report.helpdeskOrigin}, but came from ${origin}`;
  if (report.ticketUrl === undefined) return null;
  let url: URL;
  try {
    url = new URL(report.ticketUrl);
  } catch {
    // The answer says why: the report is refused with it.
    return 'the ticket address is not a URL';
  }
  if (url.origin !== origin) return `the ticket address is on ${url.origin}, not on ${origin}`;
  const named = ticketIdInUrl(report.ticketUrl, ticketPaths);
  if (named !== report.ticketId) return `the ticket address names ticket ${named ?? '(none)'}, not ${report.ticketId}`;
  return null;
}
