import type { QueuedReply } from '@/core/queue/record';
import { isClaimable } from '@/core/queue/transitions';
import type { ReplyState } from '@/core/schemas';
import { ADVICE, HANDOFF_LABEL } from '@/entrypoints/helpdesk.content/banner/wording';
import { formatTime, type MessageKey, t } from '@/utils/i18n';

const STATE_KEY: Record<ReplyState, MessageKey> = {
  queued: 'stateQueued',
  sending: 'stateSending',
  sent: 'stateSent',
  handed_off: 'stateHandedOff',
  discarded: 'stateDiscarded',
  needs_attention: 'stateNeedsAttention',
  unconfirmed: 'stateUnconfirmed',
};

export interface QueueActions {
  onRetry: (ids: string[]) => void;
  onHandOff: (reply: QueuedReply) => void;
  onCopy: (reply: QueuedReply) => void;
  onDiscard: (reply: QueuedReply) => void;
  /** The agent's answers to an unconfirmed retry. */
  onMarkSent: (reply: QueuedReply) => void;
  onSendAgain: (reply: QueuedReply) => void;
}

/** An unsent reply older than the retention age in force: kept, and flagged with that age. */
export interface StaleFlags {
  ids: ReadonlySet<string>;
  age: string;
}

/** Minutes/hours/days since a time, in the UI language. */
function age(since: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - since) / 60_000));
  const format = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: 'auto', style: 'short' });
  if (minutes < 60) return format.format(-minutes, 'minute');
  if (minutes < 48 * 60) return format.format(-Math.round(minutes / 60), 'hour');
  return format.format(-Math.round(minutes / 1440), 'day');
}

/** One kept reply: its text, state, age and advice, and what can be done with it. */
export function QueueRow({ reply, now, actions, stale }: { reply: QueuedReply; now: number; actions: QueueActions; stale?: StaleFlags }) {
  const open = isClaimable(reply);
  const unconfirmed = reply.state === 'unconfirmed';
  return (
    <li class={`reply state-${reply.state}`} data-reply-id={reply.id}>
      <p class="text">{reply.text}</p>
      <p class="meta">
        <span class="state">{t(STATE_KEY[reply.state])}</span> · {age(reply.firstFailedAt, now)} ({formatTime(reply.firstFailedAt)}) ·{' '}
        {unconfirmed ? t('replyUnconfirmed') : t(ADVICE[reply.error.errorClass])}
      </p>
      {stale?.ids.has(reply.id) && <p class="stale">{t('replyStale', stale.age)}</p>}
      <div class="actions">
        {unconfirmed && (
          <button type="button" class="small" onClick={() => actions.onMarkSent(reply)}>
            {t('actionMarkSent')}
          </button>
        )}
        {unconfirmed && (
          <button type="button" class="small" onClick={() => actions.onSendAgain(reply)}>
            {t('actionSendAgain')}
          </button>
        )}
        {open && (
          <button type="button" class="small" onClick={() => actions.onRetry([reply.id])}>
            {t('actionRetry')}
          </button>
        )}
        {open && (
          <button type="button" class="small" onClick={() => actions.onHandOff(reply)}>
            {t(HANDOFF_LABEL[reply.channel])}
          </button>
        )}
        <button type="button" class="small" onClick={() => actions.onCopy(reply)}>
          {t('actionCopy')}
        </button>
        {open && (
          <button type="button" class="small" onClick={() => actions.onDiscard(reply)}>
            {t('actionDiscard')}
          </button>
        )}
      </div>
    </li>
  );
}
