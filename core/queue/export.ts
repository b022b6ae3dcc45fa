import type { QueuedReply } from './record';

/** The queue and every attempt, as JSON a person or a tool can read back. */
export function queueToJson(records: readonly QueuedReply[], exportedAt: number): string {
  return `${JSON.stringify({ format: 'send-guard-queue', version: 1, exportedAt: new Date(exportedAt).toISOString(), replies: records }, null, 2)}\n`;
}

const COLUMNS = [
  'id',
  'state',
  'channel',
  'helpdeskOrigin',
  'ticketId',
  'customerName',
  'pageId',
  'userId',
  'errorClass',
  'errorCode',
  'errorSubcode',
  'firstFailedAt',
  'updatedAt',
  'attempts',
  'text',
] as const;

// RFC 4180 quoting; a leading =,+,-,@ is neutralised so a spreadsheet never runs reply text as a formula.
function cell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** One row per reply; the attempt history is summarised as `time path outcome` entries. */
export function queueToCsv(records: readonly QueuedReply[]): string {
  const rows = records.map((r) =>
    [
      r.id,
      r.state,
      r.channel,
      r.helpdeskOrigin,
      r.ticketId,
      r.customerName,
      r.pageId,
      r.userId,
      r.error.errorClass,
      r.error.code,
      r.error.subcode,
      iso(r.firstFailedAt),
      iso(r.updatedAt),
      r.attempts.map((a) => `${iso(a.at)} ${a.path} ${a.outcome}`).join('; '),
      r.text,
    ]
      .map(cell)
      .join(','),
  );
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
