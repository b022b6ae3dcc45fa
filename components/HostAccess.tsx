import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type HostAccess, readHostAccess, requestHostAccess } from '@/core/settings/host-access';
import { t } from '@/utils/i18n';

/** The browser's grants, read again whenever they change (the user can change them outside Send Guard). */
export function useHostAccess(): HostAccess | null {
  const [access, setAccess] = useState<HostAccess | null>(null);
  useEffect(() => {
    const refresh = () =>
      void readHostAccess().then(setAccess, (error: unknown) => console.warn('Send Guard: host access not readable', error));
    refresh();
    browser.permissions.onAdded.addListener(refresh);
    browser.permissions.onRemoved.addListener(refresh);
    return () => {
      browser.permissions.onAdded.removeListener(refresh);
      browser.permissions.onRemoved.removeListener(refresh);
    };
  }, []);
  return access;
}

/**
 * "Send Guard can't see your helpdesk yet" with the button that asks for it, while the browser
 * withholds a manifest host (Firefox allows that); nothing once everything is granted.
 */
export function HostAccessNotice({ access, showGranted = false }: { access: HostAccess | null; showGranted?: boolean }) {
  const [refused, setRefused] = useState(false);
  if (!access) return null;
  if (access.missing.length === 0) {
    return showGranted ? (
      <p class="ok" data-testid="host-access-granted">
        {t('accessGranted')}
      </p>
    ) : null;
  }
  const ask = () => {
    // The request is the first thing the click does, before any await.
    void requestHostAccess(access.missing).then((granted) => setRefused(!granted));
  };
  return (
    <section class="callout" aria-label={t('accessHeading')} data-testid="host-access">
      <p>
        <strong>{t(access.helpdeskMissing ? 'accessMissingHelpdesk' : 'accessMissingStatus')}</strong>
      </p>
      <p class="help">{t('accessWhy')}</p>
      <button type="button" class="primary" onClick={ask}>
        {t('accessAllow')}
      </button>
      {refused && (
        <p role="status" class="help">
          {t('accessRefused')}
        </p>
      )}
    </section>
  );
}
