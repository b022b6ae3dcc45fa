import { useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { askBackground, type SelfTestResult } from '@/core/protocol';
import type { ProfileChoice } from '@/core/schemas';
import { chatwootProfile } from '@/profiles/chatwoot';
import { customProfileFrom, type ProfileIssue, parseCustomProfile } from '@/profiles/custom-profile';
import type { HelpdeskProfile } from '@/profiles/profile';
import { browserSelectorCheck } from '@/profiles/resolve';
import { zendeskProfile } from '@/profiles/zendesk';
import { type MessageKey, t } from '@/utils/i18n';
import { useDraft } from './options-draft';

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

/** Which helpdesk profile reads the page (Helpdesk section). */
export function ProfileChoiceField() {
  const { draft, update } = useDraft();
  return (
    <>
      <h3>{t('optionsProfileHeading')}</h3>
      <p class="help">{t('optionsProfileHelp')}</p>
      <fieldset>
        <legend class="visually-hidden">{t('optionsProfileHeading')}</legend>
        {CHOICES.map(({ value, label }) => (
          <label key={value} class="choice">
            <input
              type="radio"
              name="profile"
              value={value}
              checked={draft.profile === value}
              onChange={() => update({ profile: value })}
            />
            {t(label)}
          </label>
        ))}
      </fieldset>
    </>
  );
}

/** "Test on this tab": what each selector of the chosen (possibly unsaved) profile matches on the open helpdesk tab. */
export function SelfTestPanel() {
  const { draft } = useDraft();
  const [testing, setTesting] = useState(false);
  const [testResult, setTestResult] = useState<SelfTestResult | null>(null);
  const test = async () => {
    setTesting(true);
    setTestResult(null);
    try {
      const result = await askBackground((m) => browser.runtime.sendMessage(m), {
        type: 'test-selectors',
        profile: draft.profile,
        ...(draft.profile === 'custom' ? { customProfile: draft.customProfile } : {}),
      });
      setTestResult(result);
    } catch (error) {
      console.warn('Send Guard: self-test got no answer', error);
      setTestResult({ ok: false, reason: 'no-answer' });
    } finally {
      setTesting(false);
    }
  };
  return (
    <>
      <h3>{t('optionsTestHeading')}</h3>
      <p class="help">{t('optionsTestHelp')}</p>
      <button type="button" onClick={() => void test()} disabled={testing}>
        {testing ? t('optionsTestRunning') : t('optionsTestButton')}
      </button>
      {testResult && <SelfTest result={testResult} />}
    </>
  );
}

/** The custom profile's JSON, checked as it is typed (Advanced section). */
export function CustomProfileEditor() {
  const { draft, update } = useDraft();
  const customText = draft.customProfile;
  // The options page has a DOM, so the browser's own CSS parser checks selectors.
  const validation = useMemo(() => (customText.trim() ? parseCustomProfile(customText, browserSelectorCheck) : null), [customText]);
  const startFrom = (profile: HelpdeskProfile) => update({ customProfile: JSON.stringify(customProfileFrom(profile), null, 2) });
  return (
    <>
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
          onInput={(event) => update({ customProfile: event.currentTarget.value })}
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
    </>
  );
}
