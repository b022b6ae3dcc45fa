import { useEffect, useState } from 'preact/hooks';
import { channelLabel } from '@/core/channels';
import { Channel, LanguageChoice } from '@/core/schemas';
import { checkNumber, checkOrigin, checkPageId, type FieldResult, type NumberField } from '@/core/settings/settings-form';
import { type MessageKey, t } from '@/utils/i18n';
import { useDraft } from './options-draft';

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
export function FieldNote({ id, result, locked }: { id: string; result?: FieldResult<unknown> | null; locked?: boolean }) {
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

/** A numeric field of the draft, checked as it is typed with the settings' own schema. */
export function NumberInput({ field, label, locked = false }: { field: NumberField; label: MessageKey; locked?: boolean }) {
  const { draft, update } = useDraft();
  const value = draft.numbers[field];
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
        onInput={(e) => update({ numbers: { ...draft.numbers, [field]: e.currentTarget.value } })}
      />
      <FieldNote id={`${id}-note`} result={result} locked={locked} />
    </div>
  );
}

/** Basics: language, notifications, and the Facebook Page IDs per helpdesk and channel. */
export function BasicsSection() {
  const { draft, update, managed, setPendingError } = useDraft();
  const lockedMappings = managed.pageMappings !== undefined;
  const mappings = draft.pageMappings;
  const [origin, setOrigin] = useState('');
  const [channel, setChannel] = useState<Channel>('messenger');
  const [pageId, setPageId] = useState('');
  const [triedAdd, setTriedAdd] = useState(false);

  // An empty add-form is not an error until the user types or presses Add.
  const originResult = origin || triedAdd ? checkOrigin(origin) : null;
  const pageIdResult = pageId || triedAdd ? checkPageId(pageId) : null;
  const duplicate =
    originResult?.ok && mappings.some((m) => m.helpdeskOrigin === originResult.value && m.channel === channel)
      ? ({ ok: false, error: 'optionsErrMappingExists' } as const)
      : null;
  const pending = (origin.trim() !== '' && !originResult?.ok) || (pageId.trim() !== '' && !pageIdResult?.ok);
  useEffect(() => setPendingError('mappings', pending), [pending, setPendingError]);

  const add = () => {
    setTriedAdd(true);
    const o = checkOrigin(origin);
    const p = checkPageId(pageId);
    if (!o.ok || !p.ok || mappings.some((m) => m.helpdeskOrigin === o.value && m.channel === channel)) return;
    update({ pageMappings: [...mappings, { helpdeskOrigin: o.value, channel, pageId: p.value }] });
    setOrigin('');
    setPageId('');
    setTriedAdd(false);
  };

  return (
    <>
      <div class="field">
        <label for="field-language">{t('optionsLanguageLabel')}</label>
        <select
          id="field-language"
          value={draft.language}
          onChange={(e) => update({ language: LanguageChoice.parse(e.currentTarget.value) })}
        >
          {LanguageChoice.options.map((value) => (
            <option key={value} value={value}>
              {t(LANGUAGE_LABEL[value])}
            </option>
          ))}
        </select>
      </div>
      <label class="choice">
        <input type="checkbox" checked={draft.notifications} onChange={(e) => update({ notifications: e.currentTarget.checked })} />{' '}
        {t('optionsNotifications')}
      </label>

      <h3>{t('optionsMappingsHeading')}</h3>
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
                <td>{t(channelLabel(m.channel))}</td>
                <td>{m.pageId}</td>
                <td>
                  <button
                    type="button"
                    class="small"
                    disabled={lockedMappings}
                    onClick={() => update({ pageMappings: mappings.filter((x) => x !== m) })}
                    aria-label={`${t('optionsMappingRemove')} ${m.helpdeskOrigin} ${t(channelLabel(m.channel))}`}
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
                  {t(channelLabel(c))}
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
    </>
  );
}

/** Advanced: the detector's thresholds, retrying by itself, and how long replies are kept. */
export function DetectionSettings() {
  const { draft, update, managed } = useDraft();
  const lockedRetry = managed.autoRetry !== undefined;
  return (
    <>
      <h3>{t('optionsDetectorHeading')}</h3>
      <p class="help">{t('optionsDetectorHelp')}</p>
      {(Object.keys(DETECTOR_LABEL) as (keyof typeof DETECTOR_LABEL)[]).map((field) => (
        <NumberInput key={field} field={field} label={DETECTOR_LABEL[field]} />
      ))}
      <label class="choice">
        <input
          type="checkbox"
          checked={draft.autoRetry}
          disabled={lockedRetry}
          onChange={(e) => update({ autoRetry: e.currentTarget.checked })}
        />{' '}
        {t('optionsAutoRetry')}
        {lockedRetry && <span class="locked"> ({t('optionsLocked')})</span>}
      </label>

      <h3>{t('optionsRetentionHeading')}</h3>
      <NumberInput field="doneMs" label="optionsRetentionDone" locked={managed.retentionDoneHours !== undefined} />
      <NumberInput field="maxAgeMs" label="optionsRetentionMax" locked={managed.retentionMaxAgeHours !== undefined} />
      <NumberInput field="tombstoneMs" label="optionsRetentionTombstones" locked={false} />
    </>
  );
}
