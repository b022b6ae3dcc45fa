import { fingerprint } from '../../utils/hash';
import { sendErrorFromText } from '../failures/send-errors';
import type { Channel } from '../schemas';
import type { FailedReply } from './record';

// A tab's report of a failed reply, made fit to store: a cosmetic or optional field that is too
// long or malformed is trimmed or dropped, never a reason to refuse the reply (and lose its text).

const ID_MAX = 200;
const NAME_MAX = 300;
const ERROR_MAX = 2000;
const URL_MAX = 2000;

/** What the protocol lets through (core/protocol.ts `FailedReport`): loose where the store is strict. */
export interface LooseReport {
  helpdeskOrigin: string;
  ticketId: string;
  channel: Channel;
  text: string;
  error: { message?: string | undefined };
  failedAt: number;
  conversationId?: string | undefined;
  ticketUrl?: string | undefined;
  customerName?: string | undefined;
  pageId?: string | undefined;
  userId?: string | undefined;
  messageId?: string | undefined;
}

/** An over-long id, made short and still stable: its start, and a fingerprint of the whole. */
function shortId(id: string): string {
  return id.length <= ID_MAX ? id : `${id.slice(0, ID_MAX - 30)}…#${fingerprint(id)}${id.length.toString(36)}`;
}

function validUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return value.length <= URL_MAX && (url.protocol === 'https:' || url.protocol === 'http:');
  } catch {
    // Not a URL: the caller drops the field and says so (the reply itself is kept).
    return false;
  }
}

/** The error the page showed, classified from its whole text, then cut to what the store keeps. */
export function reportedError(message: string | undefined): FailedReply['error'] {
  const error = sendErrorFromText(message);
  return error.message && error.message.length > ERROR_MAX ? { ...error, message: error.message.slice(0, ERROR_MAX) } : error;
}

/** The report as a storable failed reply, and the names of the fields that had to be changed. */
export function sanitizeReport(report: LooseReport, now: number): { reply: FailedReply; adjusted: string[] } {
  const adjusted: string[] = [];
  const note = (field: string) => adjusted.push(field);
  const id = (field: string, value: string | undefined): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (value.length > ID_MAX) note(field);
    return shortId(value);
  };
  // A Page or user id that long is not an id: no handoff link beats a wrong one.
  const metaId = (field: string, value: string | undefined): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (value.length > ID_MAX) {
      note(field);
      return undefined;
    }
    return value;
  };
  const name = report.customerName?.trim();
  if (report.customerName !== undefined && name && name.length > NAME_MAX) note('customerName');
  const ticketUrl = report.ticketUrl !== undefined && validUrl(report.ticketUrl) ? report.ticketUrl : undefined;
  if (report.ticketUrl !== undefined && ticketUrl === undefined) note('ticketUrl');
  const failedAt = Number.isInteger(report.failedAt) && report.failedAt >= 0 ? Math.min(report.failedAt, now) : now;
  if (failedAt !== report.failedAt) note('failedAt');
  const conversationId = id('conversationId', report.conversationId);
  const pageId = metaId('pageId', report.pageId);
  const userId = metaId('userId', report.userId);
  const messageId = id('messageId', report.messageId);
  const reply: FailedReply = {
    helpdeskOrigin: report.helpdeskOrigin,
    ticketId: id('ticketId', report.ticketId) ?? report.ticketId,
    channel: report.channel,
    text: report.text,
    error: reportedError(report.error.message),
    failedAt,
    ...(conversationId ? { conversationId } : {}),
    ...(ticketUrl ? { ticketUrl } : {}),
    ...(name ? { customerName: name.slice(0, NAME_MAX) } : {}),
    ...(pageId ? { pageId } : {}),
    ...(userId ? { userId } : {}),
    ...(messageId ? { messageId } : {}),
  };
  return { reply, adjusted };
}
