import type { Channel } from '@/utils/channels';
import { formatTime, type MessageKey, t } from '@/utils/i18n';
import type { QueuedReply, ReplyState } from '@/utils/queue/record';
import { isClaimable, isUnsent } from '@/utils/queue/transitions';
import { ADVICE } from '@/utils/send-errors';

const STATE_KEY: Record<ReplyState, MessageKey> = {
  queued: 'stateQueued',
  sending: 'stateSending',
  sent: 'stateSent',
  handed_off: 'stateHandedOff',
  discarded: 'stateDiscarded',
  needs_attention: 'stateNeedsAttention',
  unconfirmed: 'stateUnconfirmed',
};

const CHANNEL_KEY: Record<Channel, MessageKey> = {
  messenger: 'channelMessenger',
  instagram: 'channelInstagram',
  whatsapp: 'channelWhatsapp',
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

export function matchesSearch(reply: QueuedReply, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [reply.text, reply.customerName ?? '', reply.ticketId, reply.channel].some((field) => field.toLowerCase().includes(q));
}

/** Kept replies grouped by ticket, the ticket with the oldest waiting reply first. */
export function QueueList({
  replies,
  now,
  actions,
  stale,
}: {
  replies: QueuedReply[];
  now: number;
  actions: QueueActions;
  stale?: StaleFlags;
}) {
  if (replies.length === 0) return <p class="empty">{t('popupEmpty')}</p>;
  const byTicket = new Map<string, QueuedReply[]>();
  for (const reply of [...replies].sort((a, b) => a.firstFailedAt - b.firstFailedAt)) {
    const key = `${reply.helpdeskOrigin}/${reply.ticketId}`;
    byTicket.set(key, [...(byTicket.get(key) ?? []), reply]);
  }
  return (
    <div class="tickets">
      {[...byTicket.entries()].map(([key, items]) => {
        const first = items[0];
        if (!first) return null;
        const retryable = items.filter(isClaimable).map((r) => r.id);
        const heading = `${t('popupTicket', first.ticketId)}${first.customerName ? ` · ${first.customerName}` : ''} · ${t(CHANNEL_KEY[first.channel])}`;
        return (
          <section key={key} class="ticket" aria-label={heading}>
            <div class="ticket-head">
              <h2>{heading}</h2>
              {retryable.length > 1 && (
                <button type="button" onClick={() => actions.onRetry(retryable)}>
                  {t('popupRetryTicket')}
                </button>
              )}
            </div>
            <ul>
              {items.map((reply) => (
                <li key={reply.id} class={`reply state-${reply.state}`} data-reply-id={reply.id}>
                  <p class="text">{reply.text}</p>
                  <p class="meta">
                    <span class="state">{t(STATE_KEY[reply.state])}</span> · {age(reply.firstFailedAt, now)} (
                    {formatTime(reply.firstFailedAt)}) ·{' '}
                    {reply.state === 'unconfirmed' ? t('replyUnconfirmed') : t(ADVICE[reply.error.errorClass])}
                  </p>
                  {stale?.ids.has(reply.id) && <p class="stale">{t('replyStale', stale.age)}</p>}
                  <div class="actions">
                    {reply.state === 'unconfirmed' && (
                      <button type="button" onClick={() => actions.onMarkSent(reply)}>
                        {t('actionMarkSent')}
                      </button>
                    )}
                    {reply.state === 'unconfirmed' && (
                      <button type="button" onClick={() => actions.onSendAgain(reply)}>
                        {t('actionSendAgain')}
                      </button>
                    )}
                    {isClaimable(reply) && (
                      <button type="button" onClick={() => actions.onRetry([reply.id])}>
                        {t('actionRetry')}
                      </button>
                    )}
                    {isClaimable(reply) && (
                      <button type="button" onClick={() => actions.onHandOff(reply)}>
                        {reply.channel === 'instagram' ? t('actionOpenInInstagram') : t('actionOpenInMessenger')}
                      </button>
                    )}
                    <button type="button" onClick={() => actions.onCopy(reply)}>
                      {t('actionCopy')}
                    </button>
                    {isUnsent(reply) && reply.state !== 'sending' && (
                      <button type="button" onClick={() => actions.onDiscard(reply)}>
                        {t('actionDiscard')}
                      </button>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
