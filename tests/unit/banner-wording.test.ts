// @vitest-environment node

import { describe, expect, it } from 'vitest';
import type { MessagingWindow } from '@/core/failures/messaging-window';
import type { ChannelHealth } from '@/core/health/detector';
import type { OfficialSummary, ProviderHealth } from '@/core/health/health-model';
import { ERROR_CLASSES } from '@/core/vocabulary';
import {
  ageWording,
  copyNotKeptNotice,
  describeHealth,
  detectorLine,
  goToTicketLabel,
  HANDOFF_LABEL,
  type HandOffOutcome,
  handOffNotice,
  internalNoteWording,
  keptWording,
  outcomeNotice,
  pageIdLabel,
  providerWording,
  replyWording,
  unconfirmedAnswerNotice,
  type Wording,
  windowWording,
  wrongPlaceNotice,
} from '@/entrypoints/helpdesk.content/banner/wording';
import type { MessageKey } from '@/utils/i18n';
import { providerHealth } from '../fixtures/health';
import { queuedRecord } from '../fixtures/replies';

// What the banner says in each state, as keys and substitutions. The formatters mark what they made
// (`here:`/`utc:` times, `[key]` for a word translated inside a sentence), so every substitution is exact.

const T = (hhmm: string) => Date.UTC(2026, 11, 2, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3)));
const NOW = T('21:30');
const MIN = 60_000;
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const fmt = {
  time: (ms: number, options: { utc?: boolean } = {}) => `${options.utc ? 'utc' : 'here'}:${clock(ms)}`,
  age: (ms: number) => `${Math.round(ms / MIN)} min`,
  translate: (key: MessageKey) => `[${key}]`,
  date: (ms: number) => new Date(ms).toISOString().slice(0, 10),
};
const MESSENGER = '[channelMessenger]';
const w = (key: MessageKey, ...subs: string[]): Wording => ({ key, subs });
const note = (key: MessageKey, ...subs: string[]): Wording => ({ key, subs, secondary: true });

const health = providerHealth;

function official(overrides: Partial<OfficialSummary> = {}): OfficialSummary {
  return {
    state: 'operational',
    statement: null,
    link: 'https://metastatus.com/',
    source: 'Meta',
    unofficial: true,
    since: null,
    checkedAt: NOW - 2 * MIN,
    stale: false,
    lastKnownState: null,
    lastKnownAt: null,
    ...overrides,
  };
}

const downHere = (n: number) =>
  health({ level: 'outage', firstParty: 'outage', since: T('21:00'), reasons: ['down-here'], affectedConversations: n });
const failingHere = health({
  level: 'degraded',
  firstParty: 'degraded',
  since: T('21:00'),
  reasons: ['failing-here'],
  affectedConversations: 5,
});
const team = { ticketId: 812, url: 'https://acme.zendesk.com/agent/tickets/812', since: T('21:05') };

describe('the banner head: what is seen here, what the provider says, notes about the source', () => {
  it.each<[string, ProviderHealth, Wording[]]>([
    ['outage seen here, one conversation', downHere(1), [w('healthDownHereOne', MESSENGER, 'here:21:00', 'utc:21:00', '1')]],
    ['outage seen here, four conversations', downHere(4), [w('healthDownHere', MESSENGER, 'here:21:00', 'utc:21:00', '4')]],
    ['failing here', failingHere, [w('healthFailingHere', MESSENGER, 'here:21:00', 'utc:21:00', '5')]],
    [
      'rate-limited here',
      health({ level: 'degraded', firstParty: 'degraded', since: T('21:10'), reasons: ['rate-limited'], affectedConversations: 3 }),
      [w('bannerRateLimited', MESSENGER, 'here:21:10', 'utc:21:10')],
    ],
    [
      'official outage with its start, nothing failing here',
      health({ level: 'outage', reasons: ['official-reports'], official: official({ state: 'outage', since: T('20:50') }) }),
      [w('healthOfficialOutage', 'Meta', MESSENGER, 'here:20:50', 'utc:20:50'), w('healthNotSeenHere', MESSENGER)],
    ],
    [
      'official outage without a start',
      health({ level: 'outage', reasons: ['official-reports'], official: official({ state: 'outage' }) }),
      [w('healthOfficialOutageNow', 'Meta', MESSENGER), w('healthNotSeenHere', MESSENGER)],
    ],
    [
      'official disruption without a start, failing here too',
      { ...failingHere, official: official({ state: 'degraded' }) },
      [w('healthFailingHere', MESSENGER, 'here:21:00', 'utc:21:00', '5'), w('healthOfficialDisruptionNow', 'Meta', MESSENGER)],
    ],
    [
      'failing here, the provider silent',
      { ...failingHere, official: official() },
      [w('healthFailingHere', MESSENGER, 'here:21:00', 'utc:21:00', '5'), w('healthOfficialNotYet', 'Meta')],
    ],
    [
      'official status unknown, with the last known state (a note)',
      health({
        level: 'unknown',
        reasons: ['official-unknown'],
        official: official({ state: 'unknown', lastKnownState: 'operational', lastKnownAt: NOW - 12 * MIN }),
      }),
      [note('healthOfficialUnknownLast', 'Meta', '[healthOperational]', '12 min')],
    ],
    [
      'official status unknown after what is seen here: the note comes last',
      { ...downHere(2), official: official({ state: 'unknown', lastKnownState: 'degraded', lastKnownAt: NOW - 30 * MIN }) },
      [
        w('healthDownHere', MESSENGER, 'here:21:00', 'utc:21:00', '2'),
        note('healthOfficialUnknownLast', 'Meta', '[healthDegraded]', '30 min'),
      ],
    ],
    [
      'official status unknown, never read',
      health({ level: 'unknown', reasons: ['official-unknown'], official: official({ state: 'unknown' }) }),
      [note('healthOfficialUnknown', 'Meta')],
    ],
    [
      'a stale source: what it last said, and how old that is (a note)',
      { ...failingHere, official: official({ stale: true, checkedAt: NOW - 45 * MIN }) },
      [
        w('healthFailingHere', MESSENGER, 'here:21:00', 'utc:21:00', '5'),
        w('healthOfficialNotYet', 'Meta'),
        note('healthOfficialStale', '45 min'),
      ],
    ],
    [
      'recovered, three replies waiting',
      health({ reasons: ['recovered'], recoveredAt: T('21:25'), queuedReplies: 3 }),
      [w('healthRecovered', 'here:21:25', 'utc:21:25', '3')],
    ],
    [
      'recovered, one reply waiting',
      health({ reasons: ['recovered'], recoveredAt: T('21:25'), queuedReplies: 1 }),
      [w('healthRecoveredOne', 'here:21:25', 'utc:21:25', '1')],
    ],
    [
      "a team member's outage ticket, nothing failing here",
      health({ level: 'outage', reasons: ['team-reports'], team, official: official() }),
      [w('healthTeamReports', MESSENGER, 'utc:21:05', '812'), w('healthNotSeenHere', MESSENGER), w('adviceProviderTransient')],
    ],
  ])('%s', (_state, h, expected) => {
    expect(describeHealth(h, fmt, NOW)).toStrictEqual(expected);
  });

  it('the provider block adds who made the statement (only in trouble), the team ticket link and the level', () => {
    const reported = health({
      level: 'outage',
      reasons: ['official-reports', 'team-reports'],
      team,
      official: official({ state: 'outage', since: T('20:50'), statement: 'Send API errors' }),
    });
    expect(providerWording(reported, fmt, NOW)).toStrictEqual({
      lines: [
        w('healthTeamReports', MESSENGER, 'utc:21:05', '812'),
        w('healthOfficialOutage', 'Meta', MESSENGER, 'here:20:50', 'utc:20:50'),
        w('healthNotSeenHere', MESSENGER),
        w('adviceProviderTransient'),
      ],
      notes: [],
      statementBy: w('healthStatementBy', 'Meta'),
      teamTicket: w('healthOpenTeamTicket', '812'),
      level: w('healthLevel', '[healthOutage]'),
    });
    // A statement left over from an incident that is over is not quoted.
    const over = { ...failingHere, official: official({ statement: 'Resolved', stale: true, checkedAt: NOW - 45 * MIN }) };
    expect(providerWording(over, fmt, NOW)).toStrictEqual({
      lines: [w('healthFailingHere', MESSENGER, 'here:21:00', 'utc:21:00', '5'), w('healthOfficialNotYet', 'Meta')],
      notes: [note('healthOfficialStale', '45 min')],
      statementBy: null,
      teamTicket: null,
      level: w('healthLevel', '[healthDegraded]'),
    });
    expect(providerWording(health({ official: official() }), fmt, NOW)).toBeNull();
  });

  it.each<[string, number, Wording]>([
    ['no time', 0, w('ageMinutes', '0')],
    ['a clock a little ahead', -5 * MIN, w('ageMinutes', '0')],
    ['just under two hours', 119 * MIN + 20_000, w('ageMinutes', '119')],
    ['two hours', 120 * MIN, w('ageHours', '2')],
    ['two and a half hours', 150 * MIN, w('ageHours', '3')],
  ])("a reading's age: %s", (_case, ms, expected) => {
    expect(ageWording(ms)).toStrictEqual(expected);
  });
});

describe("the detector's own line (no merged health yet)", () => {
  const detector = (overrides: Partial<ChannelHealth>): ChannelHealth => ({
    channel: 'messenger',
    level: 'operational',
    conversations: 0,
    successStreak: 0,
    events: [],
    ...overrides,
  });
  it.each<[string, ChannelHealth | null, Wording | null]>([
    ['outage', detector({ level: 'outage', since: T('21:00') }), w('bannerOutage', MESSENGER, 'here:21:00', 'utc:21:00')],
    ['failing', detector({ level: 'degraded', since: T('21:00') }), w('bannerFailing', MESSENGER, 'here:21:00', 'utc:21:00')],
    [
      'rate-limited',
      detector({ level: 'degraded', cause: 'rate_limited', since: T('21:00') }),
      w('bannerRateLimited', MESSENGER, 'here:21:00', 'utc:21:00'),
    ],
    ['operational', detector({}), null],
    ['not known yet', null, null],
  ])('%s', (_case, h, expected) => {
    expect(detectorLine('messenger', h, fmt)).toStrictEqual(expected);
  });
});

describe('kept replies', () => {
  it.each<[number, Wording]>([
    [0, w('bannerNoneKept')],
    [1, w('bannerKeptOne')],
    [3, w('bannerKept', '3')],
  ])('%i kept', (count, expected) => {
    expect(keptWording(count)).toStrictEqual(expected);
  });

  const failedAt = w('replyFailedAt', 'here:20:10');
  it.each<[string, Parameters<typeof replyWording>, Wording[]]>([
    [
      'a kept Messenger reply',
      [queuedRecord(), 'messenger', false, fmt],
      [failedAt, w('adviceProviderTransient'), w('actionOpenInMessenger'), w('actionRetry')],
    ],
    [
      'a kept reply being retried',
      [queuedRecord(), 'messenger', true, fmt],
      [failedAt, w('adviceProviderTransient'), w('actionOpenInMessenger'), w('actionRetrying')],
    ],
    [
      'a closed messaging window, on an Instagram ticket',
      [queuedRecord({ channel: 'instagram', error: { errorClass: 'policy_window' } }), 'instagram', false, fmt],
      [failedAt, w('advicePolicyWindow'), w('actionOpenInInstagram'), w('actionRetry')],
    ],
    [
      'a WhatsApp reply: copied, not opened',
      [queuedRecord({ channel: 'whatsapp' }), 'whatsapp', false, fmt],
      [failedAt, w('adviceProviderTransient'), w('actionCopyForWhatsapp'), w('actionRetry')],
    ],
    [
      'an unconfirmed retry: the agent says whether it arrived',
      [queuedRecord({ state: 'unconfirmed' }), 'messenger', false, fmt],
      [failedAt, w('replyUnconfirmed'), w('actionMarkSent'), w('actionSendAgain')],
    ],
  ])('%s', (_case, args, expected) => {
    expect(replyWording(...args)).toStrictEqual(expected);
  });

  it('every error class has its own advice', () => {
    expect(
      ERROR_CLASSES.map((errorClass) => replyWording(queuedRecord({ error: { errorClass } }), 'messenger', false, fmt)[1].key),
    ).toEqual([
      'adviceProviderTransient',
      'adviceRateLimited',
      'advicePolicyWindow',
      'adviceRecipientUnavailable',
      'adviceAuth',
      'adviceInvalidRequest',
      'adviceUnknown',
    ]);
  });
});

describe('notices after the agent acts', () => {
  // A retry's outcomes, then an internal note's (a busy or missing composer says the same for both).
  it.each<['retry' | 'internal note', Parameters<typeof outcomeNotice>[0], MessageKey]>([
    ['retry', 'delivered', 'retryDelivered'],
    ['retry', 'delivered_late', 'retryAlreadyDelivered'],
    ['retry', 'failed', 'retryFailed'],
    ['retry', 'composer_busy', 'retryComposerBusy'],
    ['retry', 'no_composer', 'retryNoComposer'],
    ['retry', 'claimed_elsewhere', 'retryClaimed'],
    ['retry', 'pending', 'retryPending'],
    ['retry', 'unconfirmed', 'retryUnconfirmed'],
    ['retry', 'unchecked', 'retryUnchecked'],
    ['internal note', 'added', 'noteAdded'],
    ['internal note', 'composer_busy', 'retryComposerBusy'],
    ['internal note', 'no_composer', 'retryNoComposer'],
    ['internal note', 'no_note_mode', 'noteUnavailable'],
  ])('%s: %s', (_what, outcome, key) => {
    expect(outcomeNotice(outcome)).toStrictEqual(w(key));
  });

  it.each<[Parameters<typeof wrongPlaceNotice>[0], Wording]>([
    ['ticket', w('wrongTicket', '4711')],
    ['origin', w('wrongTicket', '4711')],
    ['customer', w('wrongCustomer')],
  ])('a reply of another %s', (why, expected) => {
    expect(wrongPlaceNotice(why, '4711')).toStrictEqual(expected);
  });

  it('the way to the reply’s own ticket, a copied reply, the answer to an unconfirmed retry', () => {
    expect(goToTicketLabel('4711')).toStrictEqual(w('actionGoToTicket', '4711'));
    expect(copyNotKeptNotice(true)).toStrictEqual(w('notKeptCopied'));
    expect(copyNotKeptNotice(false)).toStrictEqual(w('handoffCopyFailed'));
    expect(unconfirmedAnswerNotice(true)).toStrictEqual(w('markedSent'));
    expect(unconfirmedAnswerNotice(false)).toStrictEqual(w('retryClaimed'));
  });
});

describe('handoff', () => {
  it('each channel has its button', () => {
    expect(HANDOFF_LABEL).toStrictEqual({
      messenger: 'actionOpenInMessenger',
      instagram: 'actionOpenInInstagram',
      whatsapp: 'actionCopyForWhatsapp',
    });
  });

  const anna = { customerName: 'Anna' };
  const dana = { channel: 'whatsapp' as const, customerName: 'Dana Lee', userId: '4915112345678' };
  const opened: HandOffOutcome = { ok: true, conversation: true };
  const inbox: HandOffOutcome = { ok: true, conversation: false };
  const copyOnly: HandOffOutcome = { ok: false, reason: 'copy-only' };
  const noPage: HandOffOutcome = { ok: false, reason: 'no-page-id' };
  it.each<[string, Parameters<typeof handOffNotice>, Wording]>([
    ['Messenger: the conversation opened', [opened, { channel: 'messenger', ...anna }, true, 'page'], w('handoffCopied')],
    ['Messenger: only the inbox opened', [inbox, { channel: 'messenger', ...anna }, true, 'page'], w('handoffCopiedFind', 'Anna')],
    ['Instagram: the conversation opened', [opened, { channel: 'instagram', ...anna }, true, 'page'], w('handoffCopied')],
    ['Instagram: only the inbox opened', [inbox, { channel: 'instagram', ...anna }, true, 'popup'], w('handoffCopiedFind', 'Anna')],
    ['Messenger: not copied', [opened, { channel: 'messenger', ...anna }, false, 'page'], w('handoffCopyFailed')],
    ['no Page id, on the page: asked for', [noPage, { channel: 'messenger', ...anna }, true, 'page'], w('handoffAskPageId')],
    ['no Page id, in the popup', [noPage, { channel: 'messenger', ...anna }, true, 'popup'], w('handoffNoPage')],
    ['refused by the worker', [{ ok: false, reason: 'not-allowed' }, { channel: 'messenger', ...anna }, true, 'page'], w('retryClaimed')],
    [
      'WhatsApp: copied, customer and number shown',
      [copyOnly, dana, true, 'page'],
      w('handoffWhatsappCopied', 'Dana Lee (+4915112345678)'),
    ],
    [
      'WhatsApp: copied, the number alone',
      [copyOnly, { channel: 'whatsapp', userId: '4915112345678' }, true, 'popup'],
      w('handoffWhatsappCopied', '+4915112345678'),
    ],
    ['WhatsApp: copied, nobody to name', [copyOnly, { channel: 'whatsapp' }, true, 'page'], w('handoffWhatsappCopiedNoName')],
    ['WhatsApp: not copied', [copyOnly, dana, false, 'page'], w('handoffCopyFailed')],
  ])('%s', (_case, args, expected) => {
    expect(handOffNotice(...args)).toStrictEqual(expected);
  });

  it('the Page id prompt names the helpdesk; the internal note names the channel and the time in UTC', () => {
    expect(pageIdLabel('https://acme.zendesk.com')).toStrictEqual(w('pageIdLabel', 'acme.zendesk.com'));
    expect(internalNoteWording('instagram', T('21:00'), fmt)).toStrictEqual(w('internalNoteText', '[channelInstagram]', 'utc:21:00'));
  });
});

describe('the messaging window line', () => {
  const closedAt = T('20:10');
  const until = closedAt + 6 * 24 * 60 * MIN;
  it.each<[string, MessagingWindow | null, Wording | null]>([
    ['unknown', null, null],
    ['still open', { kind: 'open', closesAt: closedAt }, null],
    [
      'closed, the human-agent window still open',
      { kind: 'human_agent', closedAt, humanAgentUntil: until },
      w('windowHumanAgent', '2026-12-02 here:20:10 (utc:20:10 UTC)', '2026-12-08 here:20:10 (utc:20:10 UTC)'),
    ],
    ['closed', { kind: 'closed', closedAt }, w('windowClosed', '2026-12-02 here:20:10 (utc:20:10 UTC)')],
  ])('%s', (_case, window, expected) => {
    expect(windowWording(window, fmt)).toStrictEqual(expected);
  });
});
