import { render } from 'preact';
import { browser } from 'wxt/browser';
import { QueueList } from '@/components/QueueList';
import { t } from '@/utils/i18n';
import { askBackground, type QueueListing } from '@/utils/messages';
import './style.css';

function Popup({ listing, error }: { listing: QueueListing | null; error: string | null }) {
  return (
    <main>
      <h1>{t('popupTitle')}</h1>
      {error && <p role="alert">{error}</p>}
      {listing && listing.quarantined > 0 && <p role="alert">{t('popupQuarantined', String(listing.quarantined))}</p>}
      {listing && <QueueList replies={listing.replies} />}
    </main>
  );
}

async function main() {
  const app = document.getElementById('app');
  if (!app) return;
  document.documentElement.lang = browser.i18n.getUILanguage();
  try {
    const listing = await askBackground((m) => browser.runtime.sendMessage(m), { type: 'list-replies' });
    render(<Popup listing={listing} error={null} />, app);
  } catch (error) {
    render(<Popup listing={null} error={error instanceof Error ? error.message : String(error)} />, app);
  }
}

void main();
