import { channelLabel } from '@/core/channels';
import type { MessagingWindow } from '@/core/failures/messaging-window';
import type { ChannelHealth } from '@/core/health/detector';
import type { ProviderHealth } from '@/core/health/health-model';
import type { QueuedReply } from '@/core/queue/record';
import type { Channel, ErrorClass, ProviderLevel } from '@/core/schemas';
import type { MessageKey } from '@/utils/i18n';
import type { NoteOutcome, RetryOutcome } from '../resender';

// Every word the banner shows is decided here: which `_locales` key, with which substitutions, in which
// order. Components only render what these return (`t(key, subs)`); a label that is one fixed key, with
// nothing to choose, stays beside its button. The popup takes the words it shares with the banner from
// here too. Pure and Zod-free (type imports only): the helpdesk tab's script carries it.

/** One line of banner text: a locale key and its substitutions. */
export interface Wording {
  key: MessageKey;
  subs: string[];
  /**
   * About the status source itself (could not be read, last checked long ago), not about the channel:
   * shown small, after what was seen, never as the banner's headline.
   */
  secondary?: true;
}

export type TimeFormatter = (epochMs: number, options?: { utc?: boolean }) => string;
export type AgeFormatter = (ms: number) => string;
/** Turns a key into its text, for a word that sits inside another sentence (a channel's or a level's name). */
export type Translate = (key: MessageKey) => string;

/** Degraded or down: what the provider status block treats as trouble. */
const troubled = (level: ProviderLevel | undefined) => level === 'degraded' || level === 'outage';
const words = (key: MessageKey, ...subs: string[]): Wording => ({ key, subs });
/** A note about the status source: shown after the rest (`Wording.secondary`). */
const note = (key: MessageKey, ...subs: string[]): Wording => ({ key, subs, secondary: true });

/** What the agent is told to do about each kind of failure (banner and popup). */
export const ADVICE: Record<ErrorClass, MessageKey> = {
  provider_transient: 'adviceProviderTransient',
  rate_limited: 'adviceRateLimited',
  policy_window: 'advicePolicyWindow',
  recipient_unavailable: 'adviceRecipientUnavailable',
  auth: 'adviceAuth',
  invalid_request: 'adviceInvalidRequest',
  unknown: 'adviceUnknown',
};

const LEVEL_LABEL: Record<ProviderLevel, MessageKey> = {
  operational: 'healthOperational',
  degraded: 'healthDegraded',
  outage: 'healthOutage',
  unknown: 'healthUnknown',
};

/** A level's name in the UI (banner, popup), as a `_locales` key. */
export function levelLabel(level: ProviderLevel): MessageKey {
  return LEVEL_LABEL[level];
}

/** A status reading's age (banner, popup): minutes up to two hours, then hours. */
export function ageWording(ms: number): Wording {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes < 120 ? words('ageMinutes', String(minutes)) : words('ageHours', String(Math.round(minutes / 60)));
}

/**
 * The banner's lines, first-party evidence first, then what the provider says. `translate` turns
 * the channel key into its name (it is a noun inside other sentences).
 */
export function describeHealth(
  health: ProviderHealth,
  fmt: { time: TimeFormatter; age: AgeFormatter; translate: Translate },
  now: number,
): Wording[] {
  const lines: Wording[] = [];
  const channel = fmt.translate(channelLabel(health.channel));
  const at = (ms: number) => [fmt.time(ms), fmt.time(ms, { utc: true })];
  const n = health.affectedConversations;
  if (health.firstParty !== 'operational' && health.since !== null) {
    if (health.reasons.includes('rate-limited')) lines.push(words('bannerRateLimited', channel, ...at(health.since)));
    else {
      const key: MessageKey =
        health.firstParty === 'outage'
          ? n === 1
            ? 'healthDownHereOne'
            : 'healthDownHere'
          : n === 1
            ? 'healthFailingHereOne'
            : 'healthFailingHere';
      lines.push(words(key, channel, ...at(health.since), String(n)));
    }
  }
  // Team mode: another agent's browser opened the outage ticket (the banner links it).
  const team = health.team;
  if (team) lines.push(words('healthTeamReports', channel, fmt.time(team.since, { utc: true }), String(team.ticketId)));
  const officialTrouble = troubled(health.official?.state);
  if (team && health.firstParty === 'operational' && !officialTrouble) {
    lines.push(words('healthNotSeenHere', channel), words('adviceProviderTransient'));
  }
  const official = health.official;
  if (official) {
    const source = official.source;
    if (officialTrouble) {
      const key: MessageKey = official.state === 'outage' ? 'healthOfficialOutage' : 'healthOfficialDisruption';
      lines.push(
        official.since !== null
          ? words(key, source, channel, ...at(official.since))
          : words(official.state === 'outage' ? 'healthOfficialOutageNow' : 'healthOfficialDisruptionNow', source, channel),
      );
      if (health.firstParty === 'operational') lines.push(words('healthNotSeenHere', channel));
      if (team && health.firstParty === 'operational') lines.push(words('adviceProviderTransient'));
    } else if (official.state === 'operational') {
      if (health.firstParty !== 'operational') lines.push(words('healthOfficialNotYet', source));
    } else if (official.lastKnownState && official.lastKnownAt !== null) {
      lines.push(
        note('healthOfficialUnknownLast', source, fmt.translate(levelLabel(official.lastKnownState)), fmt.age(now - official.lastKnownAt)),
      );
    } else {
      lines.push(note('healthOfficialUnknown', source));
    }
    if (official.stale && official.state !== 'unknown') lines.push(note('healthOfficialStale', fmt.age(now - official.checkedAt)));
  }
  if (health.reasons.includes('recovered') && health.recoveredAt !== null) {
    lines.push(
      words(health.queuedReplies === 1 ? 'healthRecoveredOne' : 'healthRecovered', ...at(health.recoveredAt), String(health.queuedReplies)),
    );
  }
  // First-hand evidence and the provider's own words lead; notes about the source follow.
  return [...lines.filter((l) => !l.secondary), ...lines.filter((l) => l.secondary)];
}

/** The words of the provider status block in the banner's head, in the order they are shown. */
export interface ProviderWording {
  /** What was seen here, then what the provider says (`.sg-health`). */
  lines: Wording[];
  /** Notes about the status source itself (`.sg-source-note`). */
  notes: Wording[];
  /** Who made the statement quoted after it: only while the provider reports trouble. */
  statementBy: Wording | null;
  /** The team ticket's link text, in team mode. */
  teamTicket: Wording | null;
  level: Wording;
}

/** The provider status block's words, or null when there is nothing to say. */
export function providerWording(
  health: ProviderHealth,
  fmt: { time: TimeFormatter; age: AgeFormatter; translate: Translate },
  now: number,
): ProviderWording | null {
  const wording = describeHealth(health, fmt, now);
  const lines = wording.filter((l) => !l.secondary);
  const notes = wording.filter((l) => l.secondary);
  if (lines.length === 0 && notes.length === 0) return null;
  const official = health.official;
  const statement = official?.statement && troubled(official.state);
  return {
    lines,
    notes,
    statementBy: statement ? words('healthStatementBy', official?.source ?? '') : null,
    teamTicket: health.team ? words('healthOpenTeamTicket', String(health.team.ticketId)) : null,
    level: words('healthLevel', fmt.translate(levelLabel(health.level))),
  };
}

/** The detector's own line, for a banner without merged provider health. */
export function detectorLine(
  channel: Channel,
  health: ChannelHealth | null,
  fmt: { time: TimeFormatter; translate: Translate },
): Wording | null {
  if (!health || health.level === 'operational' || health.since === undefined) return null;
  const subs = [fmt.translate(channelLabel(channel)), fmt.time(health.since), fmt.time(health.since, { utc: true })];
  return words(
    health.cause === 'rate_limited' ? 'bannerRateLimited' : health.level === 'outage' ? 'bannerOutage' : 'bannerFailing',
    ...subs,
  );
}

/** How many of this ticket's replies are kept. */
export function keptWording(count: number): Wording {
  if (count === 1) return words('bannerKeptOne');
  return count > 1 ? words('bannerKept', String(count)) : words('bannerNoneKept');
}

/** The handoff button's label per channel: WhatsApp can only be copied. */
export const HANDOFF_LABEL: Record<Channel, MessageKey> = {
  messenger: 'actionOpenInMessenger',
  instagram: 'actionOpenInInstagram',
  whatsapp: 'actionCopyForWhatsapp',
};

/** The words of one kept reply in the banner: when it failed, the advice, and its two buttons' labels. */
export type ReplyWording = [failedAt: Wording, advice: Wording, primary: Wording, secondary: Wording];

/**
 * An unconfirmed reply asks the agent (is it in the conversation?) instead of advising, and offers
 * "mark sent" / "send again" instead of handoff / retry. `channel` is the banner's (the ticket's).
 */
export function replyWording(
  reply: Pick<QueuedReply, 'state' | 'firstFailedAt' | 'error'>,
  channel: Channel,
  busy: boolean,
  fmt: { time: TimeFormatter },
): ReplyWording {
  const unconfirmed = reply.state === 'unconfirmed';
  return [
    words('replyFailedAt', fmt.time(reply.firstFailedAt)),
    words(unconfirmed ? 'replyUnconfirmed' : ADVICE[reply.error.errorClass]),
    words(unconfirmed ? 'actionMarkSent' : HANDOFF_LABEL[channel]),
    words(busy ? 'actionRetrying' : unconfirmed ? 'actionSendAgain' : 'actionRetry'),
  ];
}

/** Where the 24-hour / 7-day messaging windows stand, when the standard one has closed; `date` gives the day. */
export function windowWording(window: MessagingWindow | null, fmt: { time: TimeFormatter; date: (ms: number) => string }): Wording | null {
  if (!window || window.kind === 'open') return null;
  const dateTime = (ms: number) => `${fmt.date(ms)} ${fmt.time(ms)} (${fmt.time(ms, { utc: true })} UTC)`;
  return window.kind === 'human_agent'
    ? words('windowHumanAgent', dateTime(window.closedAt), dateTime(window.humanAgentUntil))
    : words('windowClosed', dateTime(window.closedAt));
}

/** The Page id prompt's label, naming the helpdesk it is asked for. */
export function pageIdLabel(helpdeskOrigin: string): Wording {
  return words('pageIdLabel', new URL(helpdeskOrigin).host);
}

/** The first line of the internal note a handoff offers: which channel, and when (UTC, as teams compare). */
export function internalNoteWording(channel: Channel, at: number, fmt: { time: TimeFormatter; translate: Translate }): Wording {
  return words('internalNoteText', fmt.translate(channelLabel(channel)), fmt.time(at, { utc: true }));
}

/** What a retry or an internal note ended with; a reply of another ticket or customer: `wrongPlaceNotice`. */
export type OutcomeNoticed = Exclude<RetryOutcome | NoteOutcome, 'wrong_ticket' | 'wrong_customer'>;

const OUTCOME_NOTICE: Record<OutcomeNoticed, MessageKey> = {
  delivered: 'retryDelivered',
  delivered_late: 'retryAlreadyDelivered',
  failed: 'retryFailed',
  composer_busy: 'retryComposerBusy',
  no_composer: 'retryNoComposer',
  claimed_elsewhere: 'retryClaimed',
  pending: 'retryPending',
  unconfirmed: 'retryUnconfirmed',
  unchecked: 'retryUnchecked',
  added: 'noteAdded',
  no_note_mode: 'noteUnavailable',
};

export function outcomeNotice(outcome: OutcomeNoticed): Wording {
  return words(OUTCOME_NOTICE[outcome]);
}

/** A reply that may not be acted on here: it belongs to another ticket (named, with a way there) or customer. */
export function wrongPlaceNotice(why: 'ticket' | 'customer' | 'origin', ticketId: string): Wording {
  return why === 'customer' ? words('wrongCustomer') : words('wrongTicket', ticketId);
}

/** The button that brings the reply's own ticket on screen. */
export function goToTicketLabel(ticketId: string): Wording {
  return words('actionGoToTicket', ticketId);
}

/** Copying a reply that could not be kept. */
export function copyNotKeptNotice(copied: boolean): Wording {
  return words(copied ? 'notKeptCopied' : 'handoffCopyFailed');
}

/** The worker's answer to "it's in the conversation" / "send again" when it does not retry at once. */
export function unconfirmedAnswerNotice(ok: boolean): Wording {
  return words(ok ? 'markedSent' : 'retryClaimed');
}

/** What the background answered to a handoff (core/protocol.ts `HandOffResult`). */
export type HandOffOutcome =
  | { ok: true; conversation: boolean }
  | { ok: false; reason: 'no-page-id' | 'not-found' | 'not-allowed' | 'copy-only' };

/** A WhatsApp id is the customer's phone number in international form without "+". */
function whoFor(reply: { channel: Channel; customerName?: string | undefined; userId?: string | undefined }): string {
  const number = reply.channel === 'whatsapp' && reply.userId && /^\d{7,15}$/.test(reply.userId) ? `+${reply.userId}` : null;
  if (number && reply.customerName) return `${reply.customerName} (${number})`;
  return number ?? reply.customerName ?? '';
}

/**
 * What the agent is told after pressing the handoff button, in the banner (`place: 'page'`, which can ask
 * for a Page id) or in the popup (which cannot). One place, so both say the same.
 */
export function handOffNotice(
  outcome: HandOffOutcome,
  reply: { channel: Channel; customerName?: string | undefined; userId?: string | undefined },
  copied: boolean,
  place: 'page' | 'popup',
): Wording {
  if (!outcome.ok && outcome.reason === 'copy-only') {
    if (!copied) return words('handoffCopyFailed');
    const who = whoFor(reply);
    return who ? words('handoffWhatsappCopied', who) : words('handoffWhatsappCopiedNoName');
  }
  if (!outcome.ok) {
    if (outcome.reason === 'no-page-id') return words(place === 'page' ? 'handoffAskPageId' : 'handoffNoPage');
    return words('retryClaimed');
  }
  if (!copied) return words('handoffCopyFailed');
  return outcome.conversation ? words('handoffCopied') : words('handoffCopiedFind', reply.customerName ?? '');
}
