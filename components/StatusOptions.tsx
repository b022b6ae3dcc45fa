import { t } from '@/utils/i18n';
import { useDraft } from './options-draft';
import { NumberInput } from './SettingsForm';

/** Status and alerts: polling, user-added Statuspage pages and the opt-in team webhook. */
export function StatusOptions() {
  const { draft, update, managed } = useDraft();
  // Locked fields show the admin's value; saving keeps the user's own one underneath.
  const lockedPages = managed.customStatuspages !== undefined;
  const lockedWebhook = managed.webhookUrl !== undefined;
  const lockedFormat = managed.webhookFormat !== undefined;
  return (
    <>
      <p class="help">{t('optionsStatusHelp')}</p>
      <label class="choice">
        <input type="checkbox" checked={draft.polling} onChange={(e) => update({ polling: e.currentTarget.checked })} />{' '}
        {t('optionsPollingEnabled')}
      </label>
      <NumberInput field="activeIntervalMin" label="optionsPollingActive" />
      <NumberInput field="idleIntervalMin" label="optionsPollingIdle" />
      <label for="status-pages" class="field-label">
        {t('optionsStatusPages')}
      </label>
      <textarea
        id="status-pages"
        rows={3}
        spellcheck={false}
        value={draft.statusPages}
        disabled={lockedPages}
        aria-describedby={lockedPages ? 'status-pages-locked' : undefined}
        onInput={(e) => update({ statusPages: e.currentTarget.value })}
      />
      {lockedPages && (
        <span id="status-pages-locked" class="locked">
          {t('optionsLocked')}
        </span>
      )}
      <label for="webhook-url" class="field-label">
        {t('optionsWebhook')}
      </label>
      <input
        id="webhook-url"
        type="url"
        value={draft.webhookUrl}
        disabled={lockedWebhook}
        aria-describedby="webhook-help"
        onInput={(e) => update({ webhookUrl: e.currentTarget.value })}
      />
      <p id="webhook-help" class="help">
        {lockedWebhook ? <span class="locked">{t('optionsLocked')} </span> : null}
        {t('optionsWebhookHelp')}
      </p>
      <fieldset disabled={lockedFormat}>
        <legend>{t('optionsWebhookFormat')}</legend>
        <label class="choice">
          <input
            type="radio"
            name="webhook-format"
            checked={draft.webhookFormat === 'slack'}
            onChange={() => update({ webhookFormat: 'slack' })}
          />{' '}
          {t('optionsWebhookSlack')}
        </label>
        <label class="choice">
          <input
            type="radio"
            name="webhook-format"
            checked={draft.webhookFormat === 'json'}
            onChange={() => update({ webhookFormat: 'json' })}
          />{' '}
          {t('optionsWebhookJson')}
        </label>
      </fieldset>
    </>
  );
}
