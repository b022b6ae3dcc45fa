import type { ComponentChildren } from 'preact';
import type { ChannelHealth } from '@/core/health/detector';
import type { QueuedReply } from '@/core/queue/record';
import { CLAIMABLE_STATES } from '@/core/queue/states';
import type { Channel } from '@/core/schemas';
import { formatTime, say, t } from '@/utils/i18n';
import { ProviderStatus, type ProviderStatusView } from './ProviderStatus';
import { detectorLine, keptWording, replyWording } from './wording';

export interface BannerProps {
  channel: Channel;
  replies: QueuedReply[];
  health: ChannelHealth | null;
  busy: ReadonlySet<string>;
  notice: string | null;
  onRetry: (reply: QueuedReply) => void;
  onRetryAll: () => void;
  /** Opens the queue of every ticket's kept replies. */
  onOpenQueue?: () => void;
  onHandOff: (reply: QueuedReply) => void;
  /** The agent's answers to an `unconfirmed` retry: it is in the conversation, or it is not. */
  onMarkSent?: (reply: QueuedReply) => void;
  onSendAgain?: (reply: QueuedReply) => void;
  /** Failed replies this browser could not store: shown with their text and a Copy button. */
  notKept?: readonly string[];
  onCopyNotKept?: (text: string) => void;
  /** Handoff extras (messaging window, Page id prompt, note offer), shown under the replies. */
  children?: ComponentChildren;
  /** Merged provider health (first-party + official status); replaces the detector-only line. */
  provider?: ProviderStatusView | null;
  onSnooze?: () => void;
}

export function shouldShowBanner(replies: QueuedReply[], health: ChannelHealth | null, notKept: readonly string[] = []): boolean {
  return replies.length > 0 || notKept.length > 0 || (health !== null && health.level !== 'operational');
}

/** Replies "Retry all" takes: never one another retry holds, nor an unconfirmed one (the agent checks it first). */
export function retryAllIds(replies: readonly QueuedReply[]): string[] {
  return replies.filter((r) => CLAIMABLE_STATES.includes(r.state)).map((r) => r.id);
}

/** The in-page banner: what is failing, which replies are kept, and what the agent can do now. */
export function Banner({
  channel,
  replies,
  health,
  busy,
  notice,
  onRetry,
  onRetryAll,
  onOpenQueue,
  onHandOff,
  onMarkSent,
  onSendAgain,
  notKept = [],
  onCopyNotKept,
  children,
  provider,
  onSnooze,
}: BannerProps) {
  const level = provider && !provider.snoozed ? provider.health.level : (health?.level ?? 'operational');
  const healthLine = detectorLine(channel, health, { time: formatTime, translate: t });
  const line = healthLine && say(healthLine);
  return (
    <section
      class={`sg-banner sg-${level}`}
      role={level === 'outage' ? 'alert' : 'status'}
      aria-label={t('extName')}
      data-testid="send-guard-banner"
    >
      <div class="sg-head">
        <strong class="sg-brand">{t('extName')}</strong>
        {provider ? (
          <ProviderStatus view={provider} onSnooze={onSnooze ?? (() => undefined)} />
        ) : (
          line && <span class="sg-health">{line}</span>
        )}
      </div>
      <div class="sg-kept-row">
        <p class="sg-kept" data-testid="send-guard-kept">
          {say(keptWording(replies.length))}
        </p>
        <div class="sg-actions">
          {retryAllIds(replies).length > 1 && (
            <button type="button" onClick={onRetryAll}>
              {t('popupRetryAll')}
            </button>
          )}
          {onOpenQueue && (
            <button type="button" onClick={onOpenQueue}>
              {t('actionOpenQueue')}
            </button>
          )}
        </div>
      </div>
      {notKept.length > 0 && (
        <ul class="sg-replies">
          {notKept.map((text) => (
            <li key={text} class="sg-reply sg-not-kept" role="alert">
              <strong>{t('notKeptTitle')}</strong>
              <p class="sg-meta">{t('notKeptBody')}</p>
              <blockquote class="sg-text">{text}</blockquote>
              <div class="sg-actions">
                <button type="button" class="sg-primary" onClick={() => onCopyNotKept?.(text)}>
                  {t('actionCopy')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {replies.length > 0 && (
        <ul class="sg-replies">
          {replies.map((reply) => {
            const [failedAt, advice, primary, secondary] = replyWording(reply, channel, busy.has(reply.id), { time: formatTime });
            return (
              <li key={reply.id} class="sg-reply" data-reply-id={reply.id} data-state={reply.state}>
                <blockquote class="sg-text">{reply.text}</blockquote>
                <p class="sg-meta">
                  {say(failedAt)} · {say(advice)}
                </p>
                {/* Unconfirmed: the agent says whether it is in the conversation; no plain retry, no handoff. */}
                <div class="sg-actions">
                  <button
                    type="button"
                    class="sg-primary"
                    onClick={() => (reply.state === 'unconfirmed' ? onMarkSent?.(reply) : onHandOff(reply))}
                  >
                    {say(primary)}
                  </button>
                  <button
                    type="button"
                    disabled={busy.has(reply.id)}
                    onClick={() => (reply.state === 'unconfirmed' ? onSendAgain?.(reply) : onRetry(reply))}
                  >
                    {say(secondary)}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {children}
      {notice && (
        <p class="sg-notice" role="alert">
          {notice}
        </p>
      )}
    </section>
  );
}
