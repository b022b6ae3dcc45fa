import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { loadEffectiveSettings } from '@/core/settings/effective-settings';
import { checkCustomDomain, hostAccessStillUsed, matchPatternFor } from '@/core/settings/helpdesk-domains';
import { loadSettings, type Settings, saveSettings } from '@/core/settings/settings';
import { loggedAs } from '@/utils/debug-log';
import { type MessageKey, t } from '@/utils/i18n';
import { readSubdomains, useDraft } from './options-draft';

const DOMAIN_ERROR: Record<'format' | 'https' | 'zendesk' | 'exists', MessageKey> = {
  format: 'optionsErrDomainFormat',
  https: 'optionsErrDomainHttps',
  zendesk: 'optionsErrDomainZendesk',
  exists: 'optionsErrDomainExists',
};

/**
 * Options section: which Zendesk accounts, and which helpdesks on their own domain, Send Guard
 * works on. A custom domain's host permission is asked for in the click that adds it; the worker
 * registers the helpdesk scripts there once it is granted (entrypoints/background/helpdesk-domains.ts).
 */
export function HelpdeskDomains({ initial }: { initial: Settings }) {
  const { draft, update, managed } = useDraft();
  const lockedSubdomains = managed.zendeskSubdomains !== undefined;
  const managedDomains = managed.customHelpdeskDomains ?? [];
  const subdomains = draft.zendeskSubdomains;
  const [own, setOwn] = useState<string[]>((initial.customHelpdeskDomains ?? []).filter((d) => !managedDomains.includes(d)));
  const [access, setAccess] = useState<Record<string, boolean>>({});
  const [domainText, setDomainText] = useState('');
  const [triedAdd, setTriedAdd] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [withdraw, setWithdraw] = useState<{ domain: string; pattern: string } | null>(null);

  const domains = [...managedDomains, ...own];
  const domainsKey = domains.join(' ');

  // Whether each domain's host permission is granted; asked again whenever the browser's grants change.
  const refreshAccess = useCallback(async () => {
    const entries = await Promise.all(
      domainsKey
        .split(' ')
        .filter(Boolean)
        .map(async (d) => [d, await browser.permissions.contains({ origins: [matchPatternFor(d)] })] as const),
    );
    setAccess(Object.fromEntries(entries));
  }, [domainsKey]);
  useEffect(() => {
    void refreshAccess();
    const onChange = () => void refreshAccess();
    browser.permissions.onAdded.addListener(onChange);
    browser.permissions.onRemoved.addListener(onChange);
    return () => {
      browser.permissions.onAdded.removeListener(onChange);
      browser.permissions.onRemoved.removeListener(onChange);
    };
  }, [refreshAccess]);

  const subdomainResult = readSubdomains(subdomains);
  const checked = domainText || triedAdd ? checkCustomDomain(domainText) : null;
  const domainError: MessageKey | null = checked
    ? !checked.ok
      ? DOMAIN_ERROR[checked.reason]
      : domains.includes(checked.value)
        ? DOMAIN_ERROR.exists
        : null
    : null;

  const add = () => {
    setTriedAdd(true);
    const result = checkCustomDomain(domainText);
    if (!result.ok || domains.includes(result.value)) return;
    const domain = result.value;
    // Asked in the click itself, before any await: browsers only prompt within the user's gesture.
    const asked = browser.permissions.request({ origins: [matchPatternFor(domain)] });
    void (async () => {
      // Kept whatever the answer: without access it shows as "Needs access", with a button to ask again.
      const current = await loadSettings();
      await saveSettings({
        ...current,
        customHelpdeskDomains: [...(current.customHelpdeskDomains ?? []).filter((d) => d !== domain), domain],
      });
      setOwn((list) => [...list.filter((d) => d !== domain), domain]);
      setDomainText('');
      setTriedAdd(false);
      setWithdraw(null);
      setNotice(null);
      const granted = await asked.catch(loggedAs('helpdesk domain: host access request', false));
      setNotice(t(granted ? 'optionsDomainAdded' : 'optionsDomainAddedNoAccess', domain));
    })();
  };

  const allow = (domain: string) => {
    // Same rule as Add: the request is the first thing the click does.
    void browser.permissions
      .request({ origins: [matchPatternFor(domain)] })
      .catch(loggedAs('helpdesk domain: host access request', false))
      .then((granted) => setNotice(t(granted ? 'optionsDomainAdded' : 'optionsDomainAddedNoAccess', domain)));
  };

  const remove = async (domain: string) => {
    const current = await loadSettings();
    await saveSettings({ ...current, customHelpdeskDomains: (current.customHelpdeskDomains ?? []).filter((d) => d !== domain) });
    setOwn((list) => list.filter((d) => d !== domain));
    setNotice(t('optionsDomainRemoved', domain));
    // Offer to give the access back too, unless a status page, the webhook or another domain still needs it.
    const pattern = matchPatternFor(domain);
    const stillUsed = hostAccessStillUsed(await loadEffectiveSettings(), pattern, domain);
    setWithdraw(!stillUsed && (await browser.permissions.contains({ origins: [pattern] })) ? { domain, pattern } : null);
  };

  const withdrawAccess = async (offer: { domain: string; pattern: string }) => {
    const removed = await browser.permissions
      .remove({ origins: [offer.pattern] })
      .catch(loggedAs('helpdesk domain: withdraw access', false));
    setWithdraw(null);
    if (removed) setNotice(t('optionsDomainWithdrawn', offer.domain));
  };

  return (
    <>
      <h3>{t('optionsDomainsHeading')}</h3>
      <p class="help" id="zendesk-subdomains-help">
        {t('optionsZendeskHelp')}
      </p>
      <label for="zendesk-subdomains" class="field-label">
        {t('optionsZendeskLabel')}
      </label>
      <textarea
        id="zendesk-subdomains"
        rows={3}
        spellcheck={false}
        value={subdomains}
        disabled={lockedSubdomains}
        aria-invalid={!subdomainResult.ok}
        aria-describedby="zendesk-subdomains-help zendesk-subdomains-note"
        onInput={(e) => update({ zendeskSubdomains: e.currentTarget.value })}
      />
      {lockedSubdomains ? (
        <span id="zendesk-subdomains-note" class="locked">
          {t('optionsLocked')}
        </span>
      ) : (
        <span id="zendesk-subdomains-note" class="error" role={subdomainResult.ok ? undefined : 'alert'}>
          {subdomainResult.ok ? '' : t('optionsErrSubdomain', String(subdomainResult.line))}
        </span>
      )}
      <p class="help">{t('optionsCustomDomainsHelp')}</p>
      {domains.length === 0 ? (
        <p class="help">{t('optionsCustomDomainsEmpty')}</p>
      ) : (
        <table data-testid="custom-domains">
          <thead>
            <tr>
              <th scope="col">{t('optionsDomainColAddress')}</th>
              <th scope="col">{t('optionsDomainColStatus')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('optionsDomainRemove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {domains.map((domain) => {
              const locked = managedDomains.includes(domain);
              const granted = access[domain];
              return (
                <tr key={domain} data-domain={domain}>
                  <td>{domain}</td>
                  <td data-testid="domain-status">
                    {granted === undefined ? '' : granted ? t('optionsDomainActive') : t('optionsDomainNeedsAccess')}
                    {granted === false && (
                      <>
                        {' '}
                        <button type="button" onClick={() => allow(domain)} aria-label={t('optionsDomainAllowFor', domain)}>
                          {t('optionsDomainAllow')}
                        </button>
                      </>
                    )}
                  </td>
                  <td>
                    {locked ? (
                      <span class="locked">{t('optionsLocked')}</span>
                    ) : (
                      <button type="button" onClick={() => void remove(domain)} aria-label={t('optionsDomainRemoveFor', domain)}>
                        {t('optionsDomainRemove')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div class="mapping-form">
        <div class="field">
          <label for="custom-domain">{t('optionsCustomDomainLabel')}</label>
          <input
            id="custom-domain"
            type="url"
            placeholder="https://help.example.com"
            value={domainText}
            aria-invalid={checked ? domainError !== null : undefined}
            aria-describedby="custom-domain-note"
            onInput={(e) => setDomainText(e.currentTarget.value)}
          />
          <span id="custom-domain-note" class="error" role={domainError ? 'alert' : undefined}>
            {domainError ? t(domainError) : ''}
          </span>
        </div>
        <button type="button" onClick={add}>
          {t('optionsCustomDomainAdd')}
        </button>
      </div>
      <div class="row">
        {notice && (
          <span role="status" data-testid="domains-notice">
            {notice}
          </span>
        )}
        {withdraw && (
          <button type="button" onClick={() => void withdrawAccess(withdraw)}>
            {t('optionsDomainWithdraw', withdraw.domain)}
          </button>
        )}
      </div>
    </>
  );
}
