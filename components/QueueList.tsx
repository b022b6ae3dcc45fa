import { formatTime, type MessageKey, t } from '@/utils/i18n';
import type { QueuedReply, ReplyState } from '@/utils/queue/record';
import { ADVICE } from '@/utils/send-errors';

const STATE_KEY: Record<ReplyState, MessageKey> = {
  queued: 'stateQueued',
  sending: 'stateSending',
  sent: 'stateSent',
  handed_off: 'stateHandedOff',
  discarded: 'stateDiscarded',
  needs_attention: 'stateNeedsAttention',
};

/** Kept replies grouped by ticket, newest ticket first. */
export function QueueList({ replies }: { replies: QueuedReply[] }) {
  if (replies.length === 0) return <p class="empty">{t('popupEmpty')}</p>;
  const byTicket = new Map<string, QueuedReply[]>();
  for (const reply of replies) {
    const key = `${reply.helpdeskOrigin}/${reply.ticketId}`;
    byTicket.set(key, [...(byTicket.get(key) ?? []), reply]);
  }
  return (
    <div class="tickets">
      {[...byTicket.entries()].map(([key, items]) => (
        <section key={key} class="ticket" aria-label={t('popupTicket', items[0]?.ticketId ?? '')}>
          <h2>
            {t('popupTicket', items[0]?.ticketId ?? '')}
            {items[0]?.customerName ? ` · ${items[0].customerName}` : ''}
          </h2>
          <ul>
            {items.map((reply) => (
              <li key={reply.id} class={`reply state-${reply.state}`} data-reply-id={reply.id}>
                <p class="text">{reply.text}</p>
                <p class="meta">
                  <span class="state">{t(STATE_KEY[reply.state])}</span> · {formatTime(reply.firstFailedAt)} ·{' '}
                  {t(ADVICE[reply.error.errorClass])}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
