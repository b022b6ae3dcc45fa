import { useEffect, useState } from 'preact/hooks';
import { clearDebugLog, type DebugEntry, loadDebugLog, logError } from '@/utils/debug-log';
import { t } from '@/utils/i18n';
import { useDraft } from './options-draft';

const utc = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/** The debug log: the setting (saved with the others) and what it has kept, to read, copy or clear. */
export function DebugLogOptions() {
  const { draft, update } = useDraft();
  const [entries, setEntries] = useState<DebugEntry[]>([]);
  const reload = () =>
    void loadDebugLog()
      .then(setEntries)
      .catch((error: unknown) => logError('debug log (options page)', error));
  useEffect(reload, []);
  const text = entries.map((e) => `${utc(e.at)}  ${e.where}  ${e.message}${e.stack ? `\n${e.stack}` : ''}`).join('\n\n');
  return (
    <>
      <h3>{t('optionsDebugLogHeading')}</h3>
      <label class="choice">
        <input type="checkbox" checked={draft.debugLog} onChange={(e) => update({ debugLog: e.currentTarget.checked })} />{' '}
        {t('optionsDebugLog')}
      </label>
      <p class="help">{t('optionsDebugLogHelp')}</p>
      {entries.length === 0 ? (
        <p class="help" data-testid="debug-log-empty">
          {t('optionsDebugLogEmpty')}
        </p>
      ) : (
        <details data-testid="debug-log">
          <summary>{t('optionsDebugLogEntries', String(entries.length))}</summary>
          <pre>{text}</pre>
          <button type="button" onClick={() => void clearDebugLog().then(reload)}>
            {t('optionsDebugLogClear')}
          </button>
        </details>
      )}
    </>
  );
}
