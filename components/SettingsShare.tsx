import { useState } from 'preact/hooks';
import { loadSettings, saveSettings } from '@/core/settings/settings';
import { exportSettings, type ImportIssue, type ImportPlan, parseSettingsFile, planImport } from '@/core/settings/settings-io';
import { browserSelectorCheck } from '@/profiles/resolve';
import { t } from '@/utils/i18n';

/** One reason in the user's language; the path names the field in the file. */
function issueText(issue: ImportIssue): string {
  switch (issue.kind) {
    case 'not_json':
      return t('optionsImportNotJson', issue.detail);
    case 'not_settings_file':
      return t('optionsImportNotSettings');
    case 'invalid_value':
      return t('optionsImportBadValue', [issue.path, issue.detail]);
    case 'custom_profile':
      return t('optionsImportBadProfile', [issue.path, issue.detail]);
  }
}

type ImportState =
  | { step: 'done' }
  | { step: 'cancelled' }
  | { step: 'refused'; issues: ImportIssue[] }
  | { step: 'confirm'; plan: ImportPlan };

/**
 * Export the user's own settings as a JSON file (the webhook address, a secret, only when asked);
 * import one through the same checks, shown change by change and applied only when confirmed (a
 * bad file, or a cancel, changes nothing).
 */
export function SettingsShare({ onImported }: { onImported: () => void }) {
  const [imported, setImported] = useState<ImportState | null>(null);
  const [withSecrets, setWithSecrets] = useState(false);

  const exportFile = async () => {
    const blob = new Blob([exportSettings(await loadSettings(), { includeSecrets: withSecrets })], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = 'send-guard-settings.json';
    link.click();
    // Revoked later: the download reads the blob after the click returns.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const result = parseSettingsFile(await file.text(), browserSelectorCheck);
    if (!result.ok) {
      setImported({ step: 'refused', issues: result.issues });
      return;
    }
    setImported({ step: 'confirm', plan: planImport(await loadSettings(), result.settings) });
  };

  const apply = async (plan: ImportPlan) => {
    await saveSettings(plan.settings);
    setImported({ step: 'done' });
    // Every other section starts again from what was imported (and in its language).
    onImported();
  };

  return (
    <>
      <p class="help">{t('optionsShareHelp')}</p>
      <div class="row">
        <button type="button" onClick={() => void exportFile()}>
          {t('optionsExport')}
        </button>
        <label class="choice">
          <input type="checkbox" checked={withSecrets} onChange={(e) => setWithSecrets(e.currentTarget.checked)} />{' '}
          {t('optionsExportSecrets')}
        </label>
      </div>
      <div class="row">
        <label for="import-file">{t('optionsImport')}</label>
        <input
          id="import-file"
          type="file"
          accept="application/json,.json"
          aria-describedby="import-result"
          onChange={(e) => void importFile(e.currentTarget.files?.[0])}
        />
      </div>
      <div id="import-result" data-testid="import-result" aria-live="polite">
        {imported?.step === 'done' && <p class="ok">{t('optionsImported')}</p>}
        {imported?.step === 'cancelled' && <p>{t('optionsImportCancelled')}</p>}
        {imported?.step === 'refused' && (
          <div role="alert">
            <p>{t('optionsImportRefused')}</p>
            <ul class="issues">
              {imported.issues.map((issue) => (
                <li key={`${issue.path}|${issue.detail}`}>{issueText(issue)}</li>
              ))}
            </ul>
          </div>
        )}
        {imported?.step === 'confirm' && (
          <ImportPreview plan={imported.plan} onApply={apply} onCancel={() => setImported({ step: 'cancelled' })} />
        )}
      </div>
    </>
  );
}

/** What an import would change, one line each, and the choice to apply or cancel. */
function ImportPreview({
  plan,
  onApply,
  onCancel,
}: {
  plan: ImportPlan;
  onApply: (plan: ImportPlan) => Promise<void>;
  onCancel: () => void;
}) {
  const nothing = plan.changes.length === 0;
  return (
    <div data-testid="import-preview">
      <p>{nothing ? t('optionsImportNoChange') : t('optionsImportPreview', String(plan.changes.length))}</p>
      {!nothing && (
        <ul class="changes">
          {plan.changes.map((change) => (
            <li key={change.path}>
              <code>{t('optionsImportChange', [change.path, change.before || '—', change.after || '—'])}</code>
            </li>
          ))}
        </ul>
      )}
      {plan.ignored.length > 0 && <p class="help">{t('optionsImportIgnored', plan.ignored.join(', '))}</p>}
      <div class="row">
        {!nothing && (
          <button type="button" class="primary" onClick={() => void onApply(plan)}>
            {t('optionsImportApply')}
          </button>
        )}
        <button type="button" onClick={onCancel}>
          {t('optionsImportCancel')}
        </button>
      </div>
    </div>
  );
}
