import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { matchesSearch, QueueList } from '@/components/QueueList';
import type { Channel } from '@/utils/channels';
import { loadLanguageOverride, type MessageKey, t, uiLanguage } from '@/utils/i18n';
import { askBackground, type ExtensionPageToBackground, type QueueListing, type ResponseOf } from '@/utils/messages';
import { queueToCsv, queueToJson } from '@/utils/queue/export';
import type { QueuedReply } from '@/utils/queue/record';
import { duePurge, staleUnsent } from '@/utils/queue/retention';
import { isUnsent } from '@/utils/queue/transitions';
import { loadSettings } from '@/utils/settings';
import './style.css';

function ask<M extends ExtensionPageToBackground>(message: M): Promise<ResponseOf<M['type']>> {
  return askBackground((m) => browser.runtime.sendMessage(m), message);
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const CHANNEL_KEY: Record<Channel, MessageKey> = {
  messenger: 'channelMessenger',
  instagram: 'channelInstagram',
  whatsapp: 'channelWhatsapp',
};
const HEALTH_KEY: Record<string, MessageKey> = { operational: 'healthOperational', degraded: 'healthDegraded', outage: 'healthOutage' };

const HOUR_MS = 60 * 60_000;

/** A retention age as the settings hold it: whole days, else hours. */
function retentionAge(ms: number): string {
  return ms % (24 * HOUR_MS) === 0 ? t('ageDays', String(ms / (24 * HOUR_MS))) : t('ageHours', String(Math.round(ms / HOUR_MS)));
}

function Popup() {
  const [listing, setListing] = useState<QueueListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [notice, setNotice] = useState<{ text: string; undo?: QueuedReply } | null>(null);
  const [showDone, setShowDone] = useState(false);
  const now = Date.now();

  const reload = async () => {
    try {
      setListing(await ask({ type: 'list-replies' }));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void reload();
    // The queue changes while the popup is open (a retry finishes in a tab): stay current.
    const onMessage = (raw: unknown) => {
      if (typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'queue-changed') void reload();
    };
    browser.runtime.onMessage.addListener(onMessage);
    return () => browser.runtime.onMessage.removeListener(onMessage);
  }, []);

  const act = async (job: () => Promise<void>) => {
    try {
      await job();
    } catch (e) {
      setNotice({ text: e instanceof Error ? e.message : String(e) });
    }
    await reload();
  };

  const actions = {
    onRetry: (ids: string[]) =>
      void act(async () => {
        const result = await ask({ type: 'retry-replies', ids });
        setNotice({ text: t(result.opened ? 'popupRetryOpened' : 'popupRetryStarted') });
      }),
    onHandOff: (reply: QueuedReply) =>
      void act(async () => {
        const copied = await navigator.clipboard.writeText(reply.text).then(
          () => true,
          () => false,
        );
        const result = await ask({ type: 'hand-off', id: reply.id });
        if (!result.ok) {
          setNotice({ text: t(result.reason === 'no-page-id' ? 'handoffNoPage' : 'retryClaimed') });
          return;
        }
        window.open(result.url, '_blank', 'noopener,noreferrer');
        setNotice({ text: copied ? t('handoffCopied') : t('handoffCopyFailed') });
      }),
    onCopy: (reply: QueuedReply) =>
      void act(async () => {
        await navigator.clipboard.writeText(reply.text);
        setNotice({ text: t('popupCopied') });
      }),
    onDiscard: (reply: QueuedReply) =>
      void act(async () => {
        await ask({ type: 'discard-reply', id: reply.id });
        setNotice({ text: t('popupDiscarded'), undo: reply });
      }),
    onMarkSent: (reply: QueuedReply) =>
      void act(async () => {
        const result = await ask({ type: 'mark-sent', id: reply.id });
        setNotice({ text: t(result.ok ? 'markedSent' : 'retryClaimed') });
      }),
    onSendAgain: (reply: QueuedReply) =>
      void act(async () => {
        // The agent checked the conversation: a kept reply again, retried through its ticket's tab.
        if (!(await ask({ type: 'resend-reply', id: reply.id })).ok) {
          setNotice({ text: t('retryClaimed') });
          return;
        }
        const result = await ask({ type: 'retry-replies', ids: [reply.id] });
        setNotice({ text: t(result.opened ? 'popupRetryOpened' : 'popupRetryStarted') });
      }),
  };

  // Damaged records set aside: exported as stored (JSON), or deleted at the agent's word.
  const exportQuarantine = () =>
    void act(async () => {
      const { records } = await ask({ type: 'list-quarantine' });
      download(
        'send-guard-set-aside.json',
        'application/json',
        `${JSON.stringify({ format: 'send-guard-set-aside', records }, null, 2)}\n`,
      );
    });
  const deleteQuarantine = () =>
    void act(async () => {
      const { records } = await ask({ type: 'list-quarantine' });
      if (records.length === 0) return;
      const { deleted } = await ask({ type: 'delete-quarantined', ids: records.map((r) => r.id) });
      setNotice({ text: t('popupQuarantineDeleted', String(deleted)) });
    });

  const replies = (listing?.replies ?? []).filter((r) => (showDone || isUnsent(r)) && matchesSearch(r, query));
  const unsent = (listing?.replies ?? []).filter(isUnsent);
  // The rules in force (an admin's policy over the agent's settings), read against the worker's clock.
  const purgeSoon = listing ? duePurge(listing.replies, listing.now + 24 * HOUR_MS, listing.retention) : [];
  const stale = listing ? staleUnsent(listing.replies, listing.now, listing.retention) : [];
  const staleAge = listing ? retentionAge(listing.retention.maxAgeMs) : '';
  const troubled = (listing?.health ?? []).filter((h) => h.level !== 'operational');

  return (
    <main>
      <header class="top">
        <h1>{t('popupTitle')}</h1>
        {troubled.map((h) => (
          <p key={h.channel} class={`health health-${h.level}`}>
            {t(CHANNEL_KEY[h.channel])}: {t(HEALTH_KEY[h.level] ?? 'healthDegraded')}
          </p>
        ))}
      </header>
      {error && <p role="alert">{error}</p>}
      {listing && listing.quarantined > 0 && (
        <div class="quarantine" data-testid="quarantine">
          <p role="alert">{t('popupQuarantined', String(listing.quarantined))}</p>
          <button type="button" onClick={exportQuarantine}>
            {t('popupExportQuarantine')}
          </button>{' '}
          <button type="button" onClick={deleteQuarantine}>
            {t('popupDeleteQuarantine')}
          </button>
        </div>
      )}
      {stale.length > 0 && <p class="stale">{t('popupStaleUnsent', [String(stale.length), staleAge])}</p>}
      {purgeSoon.length > 0 && <p class="purge">{t('popupPurgeSoon', String(purgeSoon.length))}</p>}
      <div class="toolbar">
        <input
          type="search"
          placeholder={t('popupSearch')}
          aria-label={t('popupSearch')}
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <button
          type="button"
          disabled={unsent.filter((r) => r.state === 'queued').length === 0}
          onClick={() => actions.onRetry(unsent.filter((r) => r.state === 'queued').map((r) => r.id))}
        >
          {t('popupRetryAll')}
        </button>
      </div>
      <div class="toolbar">
        <label>
          <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.currentTarget.checked)} /> {t('popupShowDone')}
        </label>
        <button
          type="button"
          disabled={!listing}
          onClick={() => listing && download('send-guard-queue.json', 'application/json', queueToJson(listing.replies, Date.now()))}
        >
          {t('popupExportJson')}
        </button>
        <button
          type="button"
          disabled={!listing}
          onClick={() => listing && download('send-guard-queue.csv', 'text/csv', queueToCsv(listing.replies))}
        >
          {t('popupExportCsv')}
        </button>
        <button
          type="button"
          onClick={() =>
            void act(async () => download('send-guard-incidents.md', 'text/markdown', (await ask({ type: 'export-timeline' })).markdown))
          }
        >
          {t('popupExportTimeline')}
        </button>
      </div>
      {notice && (
        <p class="notice" role="status">
          {notice.text}{' '}
          {notice.undo && (
            <button
              type="button"
              onClick={() =>
                notice.undo &&
                void act(async () => {
                  await ask({ type: 'restore-reply', id: notice.undo?.id ?? '' });
                  setNotice(null);
                })
              }
            >
              {t('popupUndo')}
            </button>
          )}
        </p>
      )}
      {listing && (
        <QueueList replies={replies} now={now} actions={actions} stale={{ ids: new Set(stale.map((r) => r.id)), age: staleAge }} />
      )}
    </main>
  );
}

async function main() {
  const app = document.getElementById('app');
  if (!app) return;
  // The language override first: every string below is drawn in it.
  await loadLanguageOverride((await loadSettings()).language);
  document.documentElement.lang = uiLanguage();
  render(<Popup />, app);
}

void main();
