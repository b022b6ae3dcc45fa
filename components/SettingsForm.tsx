import { useMemo, useState } from 'preact/hooks';
import { type MessageKey, t } from '@/utils/i18n';
import { Channel } from '@/utils/schemas/lists';
import { LanguageChoice, loadSettings, type PageMapping, type Settings, Settings as SettingsSchema, saveSettings } from '@/utils/settings';
import {
  checkNumber,
  checkOrigin,
  checkPageId,
  type FieldResult,
  NUMBER_FIELDS,
  type NumberField,
  numberText,
} from '@/utils/settings-form';
import type { ManagedSettings } from '@/utils/settings-io';

const CHANNEL_LABEL: Record<Channel, MessageKey> = {
  messenger: 'channelMessenger',
  instagram: 'channelInstagram',
  whatsapp: 'channelWhatsapp',
};
const LANGUAGE_LABEL: Record<LanguageChoice, MessageKey> = {
  auto: 'optionsLanguageAuto',
  en: 'optionsLanguageEnglish',
  de: 'optionsLanguageGerman',
};
const DETECTOR_LABEL: Record<
  Exclude<NumberField, 'doneMs' | 'maxAgeMs' | 'tombstoneMs' | 'activeIntervalMin' | 'idleIntervalMin'>,
  MessageKey
> = {
  windowMs: 'optionsDetectorWindow',
  degradedFailures: 'optionsDetectorFailures',
  degradedConversations: 'optionsDetectorConversations',
  outageMinAttempts: 'optionsDetectorOutageAttempts',
  recoverySuccesses: 'optionsDetectorRecovery',
  quietMs: 'optionsDetectorQuiet',
};

/** The error (or the admin lock) under a field, tied to it by aria-describedby. */
function FieldNote({ id, result, locked }: { id: string; result?: FieldResult<unknown> | null; locked?: boolean }) {
  if (locked) {
    return (
      <span id={id} class="locked">
        {t('optionsLocked')}
      </span>
    );
  }
  return (
    <span id={id} class="error" role={result && !result.ok ? 'alert' : undefined}>
      {result && !result.ok ? t(result.error) : ''}
    </span>
  );
}

function NumberInput(props: {
  field: NumberField;
  label: MessageKey;
  value: string;
  locked: boolean;
  onInput: (field: NumberField, value: string) => void;
}) {
  const { field, label, value, locked, onInput } = props;
  const result = checkNumber(field, value);
  const id = `field-${field}`;
  return (
    <div class="field">
      <label for={id}>{t(label)}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        value={value}
        disabled={locked}
        aria-invalid={!result.ok}
        aria-describedby={`${id}-note`}
        onInput={(e) => onInput(field, e.currentTarget.value)}
      />
      <FieldNote id={`${id}-note`} result={result} locked={locked} />
    </div>
  );
}

/**
 * Page IDs, detector, auto-retry, retention and language. Every field is checked as it is typed
 * with the settings' own schemas; Save writes only when all of them pass. `managed` fields are locked.
 */
export function SettingsForm(props: { initial: Settings; managed: ManagedSettings; effective: Settings; onLanguageChanged: () => void }) {
  const { initial, managed, effective, onLanguageChanged } = props;
  const lockedMappings = managed.pageMappings !== undefined;
  const lockedRetry = managed.autoRetry !== undefined;
  const lockedDone = managed.retentionDoneHours !== undefined;
  const lockedMax = managed.retentionMaxAgeHours !== undefined;

  const [mappings, setMappings] = useState<PageMapping[]>(effective.pageMappings);
  const [origin, setOrigin] = useState('');
  const [channel, setChannel] = useState<Channel>('messenger');
  const [pageId, setPageId] = useState('');
  const [triedAdd, setTriedAdd] = useState(false);
  const [numbers, setNumbers] = useState<Record<NumberField, string>>(
    () =>
      Object.fromEntries(Object.keys(NUMBER_FIELDS).map((f) => [f, numberText(f as NumberField, effective)])) as Record<
        NumberField,
        string
      >,
  );
  const [autoRetry, setAutoRetry] = useState(effective.autoRetry);
  const [polling, setPolling] = useState(effective.status.enabled);
  const [language, setLanguage] = useState<LanguageChoice>(initial.language ?? 'auto');
  const [notice, setNotice] = useState<string | null>(null);

  // An empty add-form is not an error until the user types or presses Add.
  const originResult = origin || triedAdd ? checkOrigin(origin) : null;
  const pageIdResult = pageId || triedAdd ? checkPageId(pageId) : null;
  const duplicate =
    originResult?.ok && mappings.some((m) => m.helpdeskOrigin === originResult.value && m.channel === channel)
      ? ({ ok: false, error: 'optionsErrMappingExists' } as const)
      : null;
  const numberResults = useMemo(
    () =>
      Object.fromEntries(Object.entries(numbers).map(([f, v]) => [f, checkNumber(f as NumberField, v)])) as Record<
        NumberField,
        FieldResult<number>
      >,
    [numbers],
  );

  const onNumber = (field: NumberField, value: string) => {
    setNumbers((current) => ({ ...current, [field]: value }));
    setNotice(null);
  };

  const add = () => {
    setTriedAdd(true);
    const o = checkOrigin(origin);
    const p = checkPageId(pageId);
    if (!o.ok || !p.ok || mappings.some((m) => m.helpdeskOrigin === o.value && m.channel === channel)) return;
    setMappings([...mappings, { helpdeskOrigin: o.value, channel, pageId: p.value }]);
    setOrigin('');
    setPageId('');
    setTriedAdd(false);
    setNotice(null);
  };

  const save = async () => {
    const results = Object.values(numberResults);
    if (results.some((r) => !r.ok) || (origin.trim() && !originResult?.ok) || (pageId.trim() && !pageIdResult?.ok)) {
      setNotice(t('optionsFixFirst'));
      return;
    }
    const n = (field: NumberField) => {
      const r = numberResults[field];
      return r.ok ? r.value : 0;
    };
    // Re-read first: other sections save their own parts. Locked fields keep the user's own value underneath.
    const current = await loadSettings();
    const next = SettingsSchema.safeParse({
      ...current,
      pageMappings: lockedMappings ? current.pageMappings : mappings,
      autoRetry: lockedRetry ? current.autoRetry : autoRetry,
      detector: {
        windowMs: n('windowMs'),
        degradedFailures: n('degradedFailures'),
        degradedConversations: n('degradedConversations'),
        outageMinAttempts: n('outageMinAttempts'),
        recoverySuccesses: n('recoverySuccesses'),
        quietMs: n('quietMs'),
      },
      retention: {
        doneMs: lockedDone ? current.retention.doneMs : n('doneMs'),
        maxAgeMs: lockedMax ? current.retention.maxAgeMs : n('maxAgeMs'),
        tombstoneMs: n('tombstoneMs'),
      },
      status: { ...current.status, enabled: polling, activeIntervalMin: n('activeIntervalMin'), idleIntervalMin: n('idleIntervalMin') },
      language,
    });
    if (!next.success) {
      setNotice(t('optionsFixFirst'));
      return;
    }
    await saveSettings(next.data);
    setNotice(t('optionsSettingsSaved'));
    // A new language applies to the whole page: draw it again in that language.
    if (language !== (current.language ?? 'auto')) onLanguageChanged();
  };

  return (
    <section>
      <h2>{t('optionsLanguageHeading')}</h2>
      <div class="field">
        <label for="field-language">{t('optionsLanguageLabel')}</label>
        <select id="field-language" value={language} onChange={(e) => setLanguage(LanguageChoice.parse(e.currentTarget.value))}>
          {LanguageChoice.options.map((value) => (
            <option key={value} value={value}>
              {t(LANGUAGE_LABEL[value])}
            </option>
          ))}
        </select>
      </div>

      <h2>{t('optionsMappingsHeading')}</h2>
      <p class="help">{t('optionsMappingsHelp')}</p>
      {lockedMappings && <p class="locked">{t('optionsLocked')}</p>}
      {mappings.length === 0 ? (
        <p class="help">{t('optionsMappingsEmpty')}</p>
      ) : (
        <table data-testid="page-mappings">
          <thead>
            <tr>
              <th scope="col">{t('optionsMappingOrigin')}</th>
              <th scope="col">{t('optionsMappingChannel')}</th>
              <th scope="col">{t('optionsMappingPageId')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('optionsMappingRemove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {mappings.map((m) => (
              <tr key={`${m.helpdeskOrigin}|${m.channel}`}>
                <td>{m.helpdeskOrigin}</td>
                <td>{t(CHANNEL_LABEL[m.channel])}</td>
                <td>{m.pageId}</td>
                <td>
                  <button
                    type="button"
                    disabled={lockedMappings}
                    onClick={() => setMappings(mappings.filter((x) => x !== m))}
                    aria-label={`${t('optionsMappingRemove')} ${m.helpdeskOrigin} ${t(CHANNEL_LABEL[m.channel])}`}
                  >
                    {t('optionsMappingRemove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!lockedMappings && (
        <div class="mapping-form">
          <div class="field">
            <label for="mapping-origin">{t('optionsMappingOrigin')}</label>
            <input
              id="mapping-origin"
              type="url"
              placeholder="https://acme.zendesk.com"
              value={origin}
              aria-invalid={originResult ? !originResult.ok || !!duplicate : undefined}
              aria-describedby="mapping-origin-note"
              onInput={(e) => setOrigin(e.currentTarget.value)}
            />
            <FieldNote id="mapping-origin-note" result={duplicate ?? originResult} />
          </div>
          <div class="field">
            <label for="mapping-channel">{t('optionsMappingChannel')}</label>
            <select id="mapping-channel" value={channel} onChange={(e) => setChannel(Channel.parse(e.currentTarget.value))}>
              {Channel.options.map((c) => (
                <option key={c} value={c}>
                  {t(CHANNEL_LABEL[c])}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="mapping-page-id">{t('optionsMappingPageId')}</label>
            <input
              id="mapping-page-id"
              type="text"
              inputMode="numeric"
              value={pageId}
              aria-invalid={pageIdResult ? !pageIdResult.ok : undefined}
              aria-describedby="mapping-page-id-note"
              onInput={(e) => setPageId(e.currentTarget.value)}
            />
            <FieldNote id="mapping-page-id-note" result={pageIdResult} />
          </div>
          <button type="button" onClick={add}>
            {t('optionsMappingAdd')}
          </button>
        </div>
      )}

      <h2>{t('optionsDetectorHeading')}</h2>
      <p class="help">{t('optionsDetectorHelp')}</p>
      {(Object.keys(DETECTOR_LABEL) as (keyof typeof DETECTOR_LABEL)[]).map((field) => (
        <NumberInput key={field} field={field} label={DETECTOR_LABEL[field]} value={numbers[field]} locked={false} onInput={onNumber} />
      ))}
      <label class="choice">
        <input type="checkbox" checked={autoRetry} disabled={lockedRetry} onChange={(e) => setAutoRetry(e.currentTarget.checked)} />{' '}
        {t('optionsAutoRetry')}
        {lockedRetry && <span class="locked"> ({t('optionsLocked')})</span>}
      </label>

      <h2>{t('optionsRetentionHeading')}</h2>
      <NumberInput field="doneMs" label="optionsRetentionDone" value={numbers.doneMs} locked={lockedDone} onInput={onNumber} />
      <NumberInput field="maxAgeMs" label="optionsRetentionMax" value={numbers.maxAgeMs} locked={lockedMax} onInput={onNumber} />
      <NumberInput field="tombstoneMs" label="optionsRetentionTombstones" value={numbers.tombstoneMs} locked={false} onInput={onNumber} />

      <h2>{t('optionsPollingHeading')}</h2>
      <label class="choice">
        <input type="checkbox" checked={polling} onChange={(e) => setPolling(e.currentTarget.checked)} /> {t('optionsPollingEnabled')}
      </label>
      <NumberInput
        field="activeIntervalMin"
        label="optionsPollingActive"
        value={numbers.activeIntervalMin}
        locked={false}
        onInput={onNumber}
      />
      <NumberInput field="idleIntervalMin" label="optionsPollingIdle" value={numbers.idleIntervalMin} locked={false} onInput={onNumber} />

      <div class="row">
        <button type="button" class="primary" onClick={() => void save()}>
          {t('optionsSaveSettings')}
        </button>
        {notice && (
          <span role="status" data-testid="settings-notice">
            {notice}
          </span>
        )}
      </div>
    </section>
  );
}
