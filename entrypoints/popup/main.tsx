import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ChannelStatus } from '@/components/ChannelStatus';
import { HostAccessNotice, useHostAccess } from '@/components/HostAccess';
import { renderLocalized } from '@/components/page-shell';
import { matchesSearch, prepareSearch, QueueList } from '@/components/QueueList';
import type { ProviderHealth } from '@/core/health/health-model';
import { askBackground, type ExtensionPageToBackground, isExtensionPageNotice, type QueueListing, type ResponseOf } from '@/core/protocol';
import { queueToCsv, queueToJson } from '@/core/queue/export';
import type { QueuedReply } from '@/core/queue/record';
import { duePurge, staleUnsent } from '@/core/queue/retention';
import { isUnsent } from '@/core/queue/transitions';
import { handOffNotice } from '@/entrypoints/helpdesk.content/banner/wording';
import { say, t } from '@/utils/i18n';
import '@/components/garden.css';
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

/** An extension page of Send Guard's own, in a new tab. */
function openOwnPage(path: '/onboarding.html'): void {
  void browser.tabs.create({ url: browser.runtime.getURL(path as '/') });
}

const HOUR_MS = 60 * 60_000;
/** Unsent replies asked for first: more than a screen of them, read without reading the whole queue. */
const FIRST_SCREEN = 40;

/** A retention age as the settings hold it: whole days, else hours. */
function retentionAge(ms: number): string {
  return ms % (24 * HOUR_MS) === 0 ? t('ageDays', String(ms / (24 * HOUR_MS))) : t('ageHours', String(Math.round(ms / HOUR_MS)));
}

// Asked for as the page loads, before the first paint: the rows are the popup's point.
const startOfList = ask({ type: 'list-replies', first: FIRST_SCREEN });

function Popup() {
  const [listing, setListing] = useState<QueueListing | null>(null);
  const [healths, setHealths] = useState<ProviderHealth[] | null>(null);
  const access = useHostAccess();
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [notice, setNotice] = useState<{ text: string; undo?: QueuedReply } | null>(null);
  const [showDone, setShowDone] = useState(false);
  const now = Date.now();

  // Once the whole queue was listed, a late answer about its start is no news.
  const whole = useRef(false);
  const reload = async () => {
    try {
      const [nextListing, nextHealths] = await Promise.all([ask({ type: 'list-replies' }), ask({ type: 'list-provider-health' })]);
      whole.current = true;
      setListing(nextListing);
      setHealths(nextHealths);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    // The start of the list first (a queue of thousands takes seconds to read whole), then all of it.
    void startOfList
      .then((start) => {
        if (!whole.current) setListing(start);
      })
      // Not shown: the whole listing asked next says what went wrong, if anything did.
      .catch((e: unknown) => console.warn('[send-guard] the start of the queue could not be listed', e))
      .finally(() => void reload());
    // The queue changes while the popup is open (a retry finishes in a tab): stay current.
    const onMessage = (raw: unknown) => {
      if (isExtensionPageNotice(raw)) void reload();
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
        // Not copied: the notice says so, and the text is still in the queue.
        const copied = await navigator.clipboard.writeText(reply.text).then(
          () => true,
          () => false,
        );
        const result = await ask({ type: 'hand-off', id: reply.id });
        if (result.ok) window.open(result.url, '_blank', 'noopener,noreferrer');
        const said = handOffNotice(result, reply, copied, 'popup');
        setNotice({ text: say(said) });
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

  // The search box answers each keystroke at once; the list follows a moment later (ten thousand replies
  // are filtered between keystrokes, never while one is typed).
  const [search, setSearch] = useState('');
  useEffect(() => {
    if (!listing?.complete) return;
    const stop = new AbortController();
    prepareSearch(listing.replies, stop.signal);
    return () => stop.abort();
  }, [listing]);
  useEffect(() => {
    const timer = setTimeout(() => setSearch(query), 0);
    return () => clearTimeout(timer);
  }, [query]);
  const replies = useMemo(
    () => (listing?.replies ?? []).filter((r) => (showDone || isUnsent(r)) && matchesSearch(r, search)),
    [listing, showDone, search],
  );
  // Counts, warnings, exports and Retry all speak of the whole queue: they wait for it.
  const wholeListing = listing?.complete ? listing : null;
  const unsent = useMemo(() => (wholeListing?.replies ?? []).filter(isUnsent), [wholeListing]);
  // The rules in force (an admin's policy over the agent's settings), read against the worker's clock.
  const purgeSoon = useMemo(
    () => (wholeListing ? duePurge(wholeListing.replies, wholeListing.now + 24 * HOUR_MS, wholeListing.retention) : []),
    [wholeListing],
  );
  const stale = useMemo(() => {
    const old = wholeListing ? staleUnsent(wholeListing.replies, wholeListing.now, wholeListing.retention) : [];
    return { ids: new Set(old.map((r) => r.id)), age: wholeListing ? retentionAge(wholeListing.retention.maxAgeMs) : '' };
  }, [wholeListing]);

  const exportJson = () =>
    wholeListing && download('send-guard-queue.json', 'application/json', queueToJson(wholeListing.replies, Date.now()));
  const exportCsv = () => wholeListing && download('send-guard-queue.csv', 'text/csv', queueToCsv(wholeListing.replies));
  const exportTimeline = () =>
    void act(async () => download('send-guard-incidents.md', 'text/markdown', (await ask({ type: 'export-timeline' })).markdown));

  return (
    <main>
      <header class="top">
        <h1>{t('extName')}</h1>
        <nav class="links" aria-label={t('extName')}>
          <button type="button" class="link" onClick={() => openOwnPage('/onboarding.html')}>
            {t('popupHowItWorks')}
          </button>
          <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
            {t('popupSettings')}
          </button>
        </nav>
      </header>
      <HostAccessNotice access={access} />
      <section class="status" aria-labelledby="status-heading">
        <h2 id="status-heading">{t('popupStatusHeading')}</h2>
        {healths ? <ChannelStatus healths={healths} now={now} /> : <p class="help">{t('popupStatusLoading')}</p>}
      </section>
      <section class="queue" aria-labelledby="queue-heading">
        <div class="queue-head">
          <h2 id="queue-heading">
            {t('popupQueueHeading')}
            {unsent.length > 0 && <span class="count"> ({unsent.length})</span>}
          </h2>
          <details class="menu">
            <summary>{t('popupExportMenu')}</summary>
            <div class="menu-items">
              <button type="button" disabled={!wholeListing} onClick={exportJson}>
                {t('popupExportJson')}
              </button>
              <button type="button" disabled={!wholeListing} onClick={exportCsv}>
                {t('popupExportCsv')}
              </button>
              <button type="button" onClick={exportTimeline}>
                {t('popupExportTimeline')}
              </button>
            </div>
          </details>
        </div>
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
        {stale.ids.size > 0 && <p class="stale">{t('popupStaleUnsent', [String(stale.ids.size), stale.age])}</p>}
        {listing?.dropped.map((d) => (
          <p role="alert" key={d.origin} data-testid="dropped-reports">
            {t('popupDroppedReports', [String(d.count), new URL(d.origin).host])}
          </p>
        ))}
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
            class="primary"
            disabled={unsent.filter((r) => r.state === 'queued').length === 0}
            onClick={() => actions.onRetry(unsent.filter((r) => r.state === 'queued').map((r) => r.id))}
          >
            {t('popupRetryAll')}
          </button>
        </div>
        <label class="show-done">
          <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.currentTarget.checked)} /> {t('popupShowDone')}
        </label>
        {notice && (
          <p class="notice" role="status">
            {notice.text}{' '}
            {notice.undo && (
              <button
                type="button"
                class="small"
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
        {listing && !listing.complete && <p class="help">{t('popupQueueLoading')}</p>}
        {listing && <QueueList replies={replies} now={now} actions={actions} stale={stale} />}
      </section>
    </main>
  );
}

const app = document.getElementById('app');
if (app) renderLocalized(app, () => <Popup />);
