import type { MessagingWindow } from '@/core/failures/messaging-window';
import type { QueuedReply } from '@/core/queue/record';
import { formatTime, say, t } from '@/utils/i18n';
import { pageIdLabel, windowWording } from './wording';

const PAGE_ID = /^\d{1,25}$/;

/** The day, in the page's language. */
const formatDate = (ms: number) => new Date(ms).toLocaleDateString(document.documentElement.lang || undefined);

/** Where the 24-hour / 7-day messaging windows stand, when the standard one has closed. */
export function WindowNotice({ window }: { window: MessagingWindow | null }) {
  const words = windowWording(window, { time: formatTime, date: formatDate });
  if (!words) return null;
  return (
    <p class="sg-window" data-testid="send-guard-window">
      {say(words)}
    </p>
  );
}

/**
 * Asked once when a ticket carries no Page id: which Page answers this helpdesk's channel. The
 * typed value is kept by the caller (no hooks: the banner's script stays small in every tab).
 */
export function PageIdPrompt({
  reply,
  value,
  onInput,
  onSave,
}: {
  reply: QueuedReply;
  value: string;
  onInput: (value: string) => void;
  onSave: (pageId: string) => void;
}) {
  // A Page id cannot open a WhatsApp conversation (core/links.ts): never ask for one there.
  if (reply.channel === 'whatsapp') return null;
  const valid = PAGE_ID.test(value.trim());
  return (
    <form
      class="sg-page-id"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onSave(value.trim());
      }}
    >
      <label>
        {say(pageIdLabel(reply.helpdeskOrigin))}
        <input value={value} inputMode="numeric" aria-invalid={value !== '' && !valid} onInput={(e) => onInput(e.currentTarget.value)} />
      </label>
      {value !== '' && !valid && <span class="sg-field-error">{t('pageIdInvalid')}</span>}
      <button type="submit" disabled={!valid}>
        {t('pageIdSave')}
      </button>
    </form>
  );
}

/** After a handoff: put the truth in the ticket's history as an internal note. */
export function NoteOffer({ onAdd }: { onAdd: () => void }) {
  return (
    <button type="button" class="sg-note" onClick={onAdd}>
      {t('actionAddNote')}
    </button>
  );
}
