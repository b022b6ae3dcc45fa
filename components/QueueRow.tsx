import { ADVICE } from '@/utils/error-advice';
import { formatTime, type MessageKey, t } from '@/utils/i18n';
import { HANDOFF_LABEL } from '@/utils/links';
import type { QueuedReply, ReplyState } from '@/utils/queue/record';
import { isUnsent } from '@/utils/queue/transitions';

const STATE_KEY: Record<ReplyState, MessageKey> = {
  queued: 'stateQueued',
  sending: 'stateSending',
  sent: 'stateSent',
  handed_off: 'stateHandedOff',
  discarded: 'stateDiscarded',
  needs_attention: 'stateNeedsAttention',
};

export interface QueueActions {
  onRetry: (ids: string[]) => void;
  onHandOff: (reply: QueuedReply) => void;
  onCopy: (reply: QueuedReply) => void;
  onDiscard: (reply: QueuedReply) => void;
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
export function QueueRow({ reply, now, actions }: { reply: QueuedReply; now: number; actions: QueueActions }) {
  const open = isUnsent(reply) && reply.state !== 'sending';
  return (
    <li class={`reply state-${reply.state}`} data-reply-id={reply.id}>
      <p class="text">{reply.text}</p>
      <p class="meta">
        <span class="state">{t(STATE_KEY[reply.state])}</span> · {age(reply.firstFailedAt, now)} ({formatTime(reply.firstFailedAt)}) ·{' '}
        {t(ADVICE[reply.error.errorClass])}
      </p>
      <div class="actions">
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
