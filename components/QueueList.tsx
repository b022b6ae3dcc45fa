import { CHANNEL_LABEL } from '@/utils/channels';
import { t } from '@/utils/i18n';
import type { QueuedReply } from '@/utils/queue/record';
import { type QueueActions, QueueRow } from './QueueRow';

export type { QueueActions } from './QueueRow';

export function matchesSearch(reply: QueuedReply, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [reply.text, reply.customerName ?? '', reply.ticketId, reply.channel].some((field) => field.toLowerCase().includes(q));
}

/** Kept replies grouped by ticket, the ticket with the oldest waiting reply first. */
export function QueueList({ replies, now, actions }: { replies: QueuedReply[]; now: number; actions: QueueActions }) {
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
        const retryable = items.filter((r) => r.state === 'queued' || r.state === 'needs_attention').map((r) => r.id);
        const heading = `${t('popupTicket', first.ticketId)}${first.customerName ? ` · ${first.customerName}` : ''} · ${t(CHANNEL_LABEL[first.channel])}`;
        return (
          <section key={key} class="ticket" aria-label={heading}>
            <div class="ticket-head">
              <h3>{heading}</h3>
              {retryable.length > 1 && (
                <button type="button" onClick={() => actions.onRetry(retryable)}>
                  {t('popupRetryTicket')}
                </button>
              )}
            </div>
            <ul>
              {items.map((reply) => (
                <QueueRow key={reply.id} reply={reply} now={now} actions={actions} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
