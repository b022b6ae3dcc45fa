import { useState } from 'preact/hooks';
import { browserSelectorCheck } from '@/utils/helpdesk/custom-profile';
import { t } from '@/utils/i18n';
import { loadSettings, saveSettings } from '@/utils/settings';
import { exportSettings, type ImportIssue, parseSettingsFile } from '@/utils/settings-io';

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

/** Export the user's own settings as a JSON file; import one through the same checks (a bad file changes nothing). */
export function SettingsShare({ onImported }: { onImported: () => void }) {
  const [imported, setImported] = useState<{ ok: true } | { ok: false; issues: ImportIssue[] } | null>(null);

  const exportFile = async () => {
    const blob = new Blob([exportSettings(await loadSettings())], { type: 'application/json' });
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
      setImported(result);
      return;
    }
    await saveSettings(result.settings);
    setImported({ ok: true });
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
        {imported?.ok && <p class="ok">{t('optionsImported')}</p>}
        {imported && !imported.ok && (
          <div role="alert">
            <p>{t('optionsImportRefused')}</p>
            <ul class="issues">
              {imported.issues.map((issue) => (
                <li key={`${issue.path}|${issue.detail}`}>{issueText(issue)}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </>
  );
}
