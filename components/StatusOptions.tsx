import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '@/utils/i18n';
import { loadSettings, type Settings, saveSettings } from '@/utils/settings';
import type { ManagedSettings } from '@/utils/settings-io';
import { statuspageSourceFromUrl } from '@/utils/status/sources';

/** Options section: notifications, user-added Statuspage pages and the opt-in team webhook. */
export function StatusOptions({ initial, managed = {} }: { initial: Settings; managed?: ManagedSettings }) {
  // Locked fields show the admin's value; saving keeps the user's own one underneath.
  const lockedPages = managed.customStatuspages !== undefined;
  const lockedWebhook = managed.webhookUrl !== undefined;
  const lockedFormat = managed.webhookFormat !== undefined;
  const [notifications, setNotifications] = useState(initial.alerts.notifications);
  const [pages, setPages] = useState((managed.customStatuspages ?? initial.status.customStatuspages).join('\n'));
  const [webhook, setWebhook] = useState(managed.webhookUrl ?? initial.alerts.webhookUrl ?? '');
  const [format, setFormat] = useState(managed.webhookFormat ?? initial.alerts.webhookFormat);
  const [notice, setNotice] = useState<string | null>(null);

  const save = () => {
    const urls = lockedPages
      ? []
      : pages
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
    const ownWebhook = lockedWebhook ? '' : webhook.trim();
    const bad = [...urls, ...(ownWebhook ? [ownWebhook] : [])].find((u) => !u.startsWith('https://') || !statuspageSourceFromUrl(u));
    if (bad) {
      setNotice(t('optionsStatusInvalid', bad));
      return;
    }
    const origins = [...new Set([...urls, ...(ownWebhook ? [ownWebhook] : [])].map((u) => `${new URL(u).origin}/*`))];
    // Asked within the click (before any other await), one origin per page or webhook: least privilege.
    const granted = origins.length ? browser.permissions.request({ origins }) : Promise.resolve(true);
    void granted.then(async (ok) => {
      if (!ok) {
        setNotice(t('optionsPermissionDenied'));
        return;
      }
      const current = await loadSettings();
      const { webhookUrl: old, ...alerts } = current.alerts;
      const webhookUrl = lockedWebhook ? old : ownWebhook || undefined;
      await saveSettings({
        ...current,
        status: { ...current.status, customStatuspages: lockedPages ? current.status.customStatuspages : urls },
        alerts: {
          ...alerts,
          notifications,
          webhookFormat: lockedFormat ? current.alerts.webhookFormat : format,
          ...(webhookUrl ? { webhookUrl } : {}),
        },
      });
      setNotice(t('optionsSaved'));
    });
  };

  return (
    <section>
      <h2>{t('optionsStatusHeading')}</h2>
      <p class="help">{t('optionsStatusHelp')}</p>
      <label class="choice">
        <input type="checkbox" checked={notifications} onChange={(e) => setNotifications(e.currentTarget.checked)} />{' '}
        {t('optionsNotifications')}
      </label>
      <label for="status-pages" class="field-label">
        {t('optionsStatusPages')}
      </label>
      <textarea
        id="status-pages"
        rows={3}
        spellcheck={false}
        value={pages}
        disabled={lockedPages}
        aria-describedby={lockedPages ? 'status-pages-locked' : undefined}
        onInput={(e) => setPages(e.currentTarget.value)}
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
        value={webhook}
        disabled={lockedWebhook}
        aria-describedby="webhook-help"
        onInput={(e) => setWebhook(e.currentTarget.value)}
      />
      <p id="webhook-help" class="help">
        {lockedWebhook ? <span class="locked">{t('optionsLocked')} </span> : null}
        {t('optionsWebhookHelp')}
      </p>
      <fieldset disabled={lockedFormat}>
        <legend>{t('optionsWebhookFormat')}</legend>
        <label class="choice">
          <input type="radio" name="webhook-format" checked={format === 'slack'} onChange={() => setFormat('slack')} />{' '}
          {t('optionsWebhookSlack')}
        </label>
        <label class="choice">
          <input type="radio" name="webhook-format" checked={format === 'json'} onChange={() => setFormat('json')} />{' '}
          {t('optionsWebhookJson')}
        </label>
      </fieldset>
      <div class="row">
        <button type="button" onClick={save}>
          {t('optionsStatusSave')}
        </button>
        {notice && <span role="status">{notice}</span>}
      </div>
    </section>
  );
}
