import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { loadEffectiveSettings, loadManagedSettings } from '@/utils/effective-settings';
import { chatwootProfile } from '@/utils/helpdesk/chatwoot';
import type { ProfileChoice } from '@/utils/helpdesk/choose-profile';
import { browserSelectorCheck, customProfileFrom, type ProfileIssue, parseCustomProfile } from '@/utils/helpdesk/custom-profile';
import type { HelpdeskProfile } from '@/utils/helpdesk/profile';
import { zendeskProfile } from '@/utils/helpdesk/zendesk';
import { loadLanguageOverride, type MessageKey, t, uiLanguage } from '@/utils/i18n';
import { askBackground, type SelfTestResult } from '@/utils/messages';
import { loadSettings, type Settings, saveSettings } from '@/utils/settings';
import type { ManagedSettings } from '@/utils/settings-io';
import './style.css';
import { HelpdeskDomains } from '@/components/HelpdeskDomains';
import { SettingsForm } from '@/components/SettingsForm';
import { SettingsShare } from '@/components/SettingsShare';
import { StatusOptions } from '@/components/StatusOptions';
import { TeamOptions } from '@/components/TeamOptions';

const CHOICES: { value: ProfileChoice; label: MessageKey }[] = [
  { value: 'auto', label: 'optionsProfileAuto' },
  { value: 'zendesk', label: 'optionsProfileZendesk' },
  { value: 'chatwoot', label: 'optionsProfileChatwoot' },
  { value: 'custom', label: 'optionsProfileCustom' },
];

/** One issue in the user's language; the path is the JSON field it concerns. */
function issueText(issue: ProfileIssue): string {
  const path = issue.path || t('issueWholeProfile');
  switch (issue.kind) {
    case 'invalid_json':
      return t('issueInvalidJson', issue.detail);
    case 'unknown_key':
      return t('issueUnknownKey', [path, issue.detail, (issue.allowed ?? []).join(', ')]);
    case 'invalid_selector':
      return t('issueInvalidSelector', [path, issue.detail]);
    case 'invalid_regex':
      return t('issueInvalidRegex', [path, issue.detail]);
    case 'regex_no_group':
      return t('issueRegexNoGroup', path);
    case 'no_failure_cue':
      return t('issueNoFailureCue', path);
    case 'invalid_value':
      return t('issueInvalidValue', [path, issue.detail]);
  }
}

function IssueList({ issues, testId }: { issues: ProfileIssue[]; testId: string }) {
  return (
    <ul class="issues" data-testid={testId}>
      {issues.map((issue) => (
        <li key={`${issue.path}|${issue.kind}|${issue.detail}`}>{issueText(issue)}</li>
      ))}
    </ul>
  );
}

function SelfTest({ result }: { result: SelfTestResult }) {
  if (!result.ok) {
    if (result.reason === 'invalid-profile') {
      return (
        <div role="alert">
          <p>{t('optionsTestInvalid')}</p>
          <IssueList issues={result.issues ?? []} testId="self-test-issues" />
        </div>
      );
    }
    const key: MessageKey =
      result.reason === 'no-helpdesk-tab'
        ? 'optionsTestNoTab'
        : result.reason === 'no-profile'
          ? 'optionsTestNoProfile'
          : 'optionsTestNoAnswer';
    return <p role="alert">{t(key)}</p>;
  }
  return (
    <div data-testid="self-test-result">
      <p>{t('optionsTestTab', [result.url, result.profileId, result.ticketId ?? t('optionsTestNoTicket')])}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('optionsColGroup')}</th>
            <th scope="col">{t('optionsColSelector')}</th>
            <th scope="col">{t('optionsColCount')}</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((row) => (
            <tr key={`${row.group}|${row.selector}`} data-group={row.group} class={row.count === 0 ? 'zero' : undefined}>
              <td>{row.group}</td>
              <td>
                <code>{row.selector}</code>
                {row.error && <div class="error">{row.error}</div>}
              </td>
              <td class="count">{row.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The user's own settings, the admin's, and what runs (the two merged). */
interface Loaded {
  local: Settings;
  managed: ManagedSettings;
  effective: Settings;
}

async function loadAll(): Promise<Loaded> {
  const [local, managed, effective] = await Promise.all([loadSettings(), loadManagedSettings(), loadEffectiveSettings()]);
  return { local, managed, effective };
}

function Options(props: { initial: Settings; managed: ManagedSettings; effective: Settings; onLanguageChanged: () => void }) {
  const { initial, managed, effective, onLanguageChanged } = props;
  const [choice, setChoice] = useState<ProfileChoice>(initial.profile);
  const [customText, setCustomText] = useState(initial.customProfile ?? '');
  const [notice, setNotice] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [testResult, setTestResult] = useState<SelfTestResult | null>(null);

  // Validated as the user types: the options page has a DOM, so the browser's own CSS parser checks selectors.
  const validation = useMemo(() => (customText.trim() ? parseCustomProfile(customText, browserSelectorCheck) : null), [customText]);

  const startFrom = (profile: HelpdeskProfile) => {
    setCustomText(JSON.stringify(customProfileFrom(profile), null, 2));
    setNotice(null);
  };

  const save = async () => {
    if (choice === 'custom' && !validation?.ok) {
      setNotice(t('optionsSaveBlocked'));
      return;
    }
    // Re-read first: other settings may have changed since this page opened.
    const { customProfile: _old, ...current } = await loadSettings();
    await saveSettings({ ...current, profile: choice, ...(customText.trim() ? { customProfile: customText } : {}) });
    setNotice(t('optionsSaved'));
  };

  const test = async () => {
    setTesting(true);
    setTestResult(null);
    try {
      const result = await askBackground((m) => browser.runtime.sendMessage(m), {
        type: 'test-selectors',
        profile: choice,
        ...(choice === 'custom' ? { customProfile: customText } : {}),
      });
      setTestResult(result);
    } catch {
      setTestResult({ ok: false, reason: 'no-answer' });
    } finally {
      setTesting(false);
    }
  };

  return (
    <>
      <section>
        <h2>{t('optionsProfileHeading')}</h2>
        <p class="help">{t('optionsProfileHelp')}</p>
        <fieldset>
          <legend class="visually-hidden">{t('optionsProfileHeading')}</legend>
          {CHOICES.map(({ value, label }) => (
            <label key={value} class="choice">
              <input type="radio" name="profile" value={value} checked={choice === value} onChange={() => setChoice(value)} />
              {t(label)}
            </label>
          ))}
        </fieldset>
      </section>
      <section>
        <label for="custom-profile" class="field-label">
          {t('optionsCustomLabel')}
        </label>
        <div class="row">
          <button type="button" onClick={() => startFrom(zendeskProfile)}>
            {t('optionsCustomStartZendesk')}
          </button>
          <button type="button" onClick={() => startFrom(chatwootProfile)}>
            {t('optionsCustomStartChatwoot')}
          </button>
        </div>
        <div class="editor">
          <textarea
            id="custom-profile"
            spellcheck={false}
            rows={18}
            value={customText}
            aria-invalid={validation ? !validation.ok : undefined}
            aria-describedby="custom-profile-status"
            onInput={(event) => setCustomText(event.currentTarget.value)}
          />
          <div id="custom-profile-status" aria-live="polite">
            {validation?.ok && <p class="ok">{t('optionsCustomValid')}</p>}
            {validation && !validation.ok && (
              <div role="alert">
                <p>{t('optionsCustomInvalid', String(validation.issues.length))}</p>
                <IssueList issues={validation.issues} testId="custom-profile-issues" />
              </div>
            )}
          </div>
        </div>
      </section>
      <div class="row">
        <button type="button" class="primary" onClick={() => void save()}>
          {t('optionsSave')}
        </button>
        {notice && <span role="status">{notice}</span>}
      </div>
      <HelpdeskDomains initial={initial} managed={managed} />
      <SettingsForm initial={initial} managed={managed} effective={effective} onLanguageChanged={onLanguageChanged} />
      <StatusOptions initial={initial} managed={managed} />
      <TeamOptions initial={initial} managed={managed} />
      <section>
        <h2>{t('optionsTestHeading')}</h2>
        <p class="help">{t('optionsTestHelp')}</p>
        <button type="button" onClick={() => void test()} disabled={testing}>
          {testing ? t('optionsTestRunning') : t('optionsTestButton')}
        </button>
        {testResult && <SelfTest result={testResult} />}
      </section>
    </>
  );
}

/** Applies the chosen language to the page; `t()` reads it from then on. */
async function applyLanguage(local: Settings): Promise<void> {
  await loadLanguageOverride(local.language);
  document.documentElement.lang = uiLanguage();
  document.title = t('optionsTitle');
}

function App({ start }: { start: Loaded }) {
  const [loaded, setLoaded] = useState(start);
  const [generation, setGeneration] = useState(0);
  // After an import or a language change every section starts again from what is stored.
  const reload = async () => {
    const next = await loadAll();
    await applyLanguage(next.local);
    setLoaded(next);
    setGeneration((g) => g + 1);
  };
  const anyLocked = Object.keys(loaded.managed).length > 0;
  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      {anyLocked && (
        <p class="locked" data-testid="managed-note">
          {t('optionsManagedNote')}
        </p>
      )}
      <Options
        key={generation}
        initial={loaded.local}
        managed={loaded.managed}
        effective={loaded.effective}
        onLanguageChanged={() => void reload()}
      />
      <SettingsShare onImported={() => void reload()} />
    </main>
  );
}

async function main() {
  const app = document.getElementById('app');
  if (!app) return;
  const start = await loadAll();
  await applyLanguage(start.local);
  render(<App start={start} />, app);
}

void main();
