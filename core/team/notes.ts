import type { MessageKey } from '../../utils/i18n';
import { channelLabel } from '../channels';
import type { QueuedReply } from '../queue/record';
import type { Channel, ErrorClass, FinalState } from '../schemas';
import type { OutageEvidence } from './outbox';

// The words team mode writes into the helpdesk (private notes, the outage ticket), in the
// extension's UI language. Pure: translation and time formatting are parameters.

export interface Words {
  translate: (key: MessageKey, subs?: string[]) => string;
  /** Hours and minutes in UTC, the way teams compare times. */
  utc: (epochMs: number) => string;
}

const REASON: Record<ErrorClass, MessageKey> = {
  provider_transient: 'teamReasonProviderTransient',
  rate_limited: 'teamReasonRateLimited',
  policy_window: 'teamReasonPolicyWindow',
  recipient_unavailable: 'teamReasonRecipientUnavailable',
  auth: 'teamReasonAuth',
  invalid_request: 'teamReasonInvalidRequest',
  unknown: 'teamReasonUnknown',
};

/** "Send Guard kept this reply: Meta's Send API failed at 20:14 UTC (error code 2)." and the reply's exact text. */
export function keptNote(reply: Pick<QueuedReply, 'text' | 'firstFailedAt' | 'error'>, words: Words): string {
  const reason = words.translate(REASON[reply.error.errorClass]);
  const at = words.utc(reply.firstFailedAt);
  const head =
    reply.error.code !== undefined
      ? words.translate('teamNoteKeptCode', [reason, at, String(reply.error.code)])
      : words.translate('teamNoteKept', [reason, at]);
  // The text is appended as it is, outside the translation: it may hold anything the agent typed.
  return `${head}\n\n${reply.text}`;
}

/** One line saying how the last kept reply of a ticket ended. */
export function endedNote(ending: FinalState, at: number, channel: Channel, words: Words): string {
  const time = words.utc(at);
  if (ending === 'handed_off') return words.translate('teamNoteHandedOff', [time, words.translate(channelLabel(channel))]);
  return words.translate(ending === 'sent' ? 'teamNoteDelivered' : 'teamNoteDiscarded', [time]);
}

export function outageSubject(channel: Channel, words: Words): string {
  return words.translate('teamOutageSubject', [words.translate(channelLabel(channel))]);
}

/** The outage ticket's private description: this browser's first-hand evidence and the official status. */
export function outageDescription(channel: Channel, agent: string, evidence: OutageEvidence, words: Words): string {
  return words.translate('teamOutageDescription', [
    agent,
    words.translate(channelLabel(channel)),
    words.utc(evidence.since),
    String(evidence.failures),
    String(evidence.attempts),
    String(evidence.conversations),
    String(evidence.kept),
    evidence.official ?? words.translate('teamOfficialNone'),
  ]);
}

export function alsoFailingNote(agent: string, evidence: OutageEvidence, words: Words): string {
  return words.translate('teamNoteAlsoFailing', [agent, words.utc(evidence.since), String(evidence.kept)]);
}

export function recoveredNote(channel: Channel, agent: string, at: number, words: Words): string {
  return words.translate('teamNoteRecovered', [words.translate(channelLabel(channel)), agent, words.utc(at)]);
}

export function duplicateNote(keepId: number, words: Words): string {
  return words.translate('teamNoteDuplicate', [String(keepId)]);
}
