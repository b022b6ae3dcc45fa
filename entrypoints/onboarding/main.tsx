import { browser } from 'wxt/browser';
import { HostAccessNotice, useHostAccess } from '@/components/HostAccess';
import { renderLocalized } from '@/components/page-shell';
import { type MessageKey, t } from '@/utils/i18n';
import '@/components/garden.css';
import './style.css';

/** Each permission the manifest asks for, and why (the README's table, in the user's language). */
const PERMISSIONS: { name: string; why: MessageKey }[] = [
  { name: 'storage', why: 'onboardPermStorage' },
  { name: 'alarms', why: 'onboardPermAlarms' },
  { name: 'notifications', why: 'onboardPermNotifications' },
  { name: 'scripting', why: 'onboardPermScripting' },
  { name: 'https://*.zendesk.com/*', why: 'onboardPermZendesk' },
  { name: 'https://metastatus.com/*', why: 'onboardPermMetaStatus' },
  { name: 'https://*/* (optional)', why: 'onboardPermOptional' },
];

function Onboarding() {
  const access = useHostAccess();
  return (
    <main>
      <header class="hero">
        <img src="/icons/96.png" alt="" width="64" height="64" />
        <div>
          <h1>{t('onboardTitle')}</h1>
          <p class="lead">{t('onboardLead')}</p>
        </div>
      </header>
      <section aria-labelledby="access-heading">
        <h2 id="access-heading">{t('accessHeading')}</h2>
        <HostAccessNotice access={access} showGranted />
      </section>
      <section aria-labelledby="watches-heading">
        <h2 id="watches-heading">{t('onboardWatchesHeading')}</h2>
        <ul>
          <li>{t('onboardWatchesReplies')}</li>
          <li>{t('onboardWatchesNetwork')}</li>
          <li>{t('onboardWatchesStatus')}</li>
        </ul>
      </section>
      <section aria-labelledby="stays-heading">
        <h2 id="stays-heading">{t('onboardStaysHeading')}</h2>
        <ul>
          <li>{t('onboardStaysQueue')}</li>
          <li>{t('onboardStaysNothing')}</li>
          <li>{t('onboardStaysLeaves')}</li>
        </ul>
      </section>
      <section aria-labelledby="perms-heading">
        <h2 id="perms-heading">{t('onboardPermsHeading')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('onboardPermsColName')}</th>
              <th scope="col">{t('onboardPermsColWhy')}</th>
            </tr>
          </thead>
          <tbody>
            {PERMISSIONS.map((p) => (
              <tr key={p.name}>
                <td>
                  <code>{p.name}</code>
                </td>
                <td>{t(p.why)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="next-heading">
        <h2 id="next-heading">{t('onboardNextHeading')}</h2>
        <p>{t('onboardNextTicket')}</p>
        <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('onboardOpenSettings')}
        </button>
      </section>
    </main>
  );
}

const app = document.getElementById('app');
if (app)
  renderLocalized(
    app,
    () => <Onboarding />,
    () => t('onboardTitle'),
  );
