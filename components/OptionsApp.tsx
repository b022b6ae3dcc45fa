import { type FunctionComponent, render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { loadEffectiveSettings, loadManagedSettings } from '@/core/settings/effective-settings';
import { loadSettings, type Settings, saveSettings } from '@/core/settings/settings';
import type { ManagedSettings } from '@/core/settings/settings-io';
import { loadLanguageOverride, type MessageKey, t, uiLanguage } from '@/utils/i18n';
import { DebugLogOptions } from './DebugLogOptions';
import { HelpdeskDomains } from './HelpdeskDomains';
import { type Draft, DraftContext, type DraftState, draftFrom, planSave } from './options-draft';
import { CustomProfileEditor, ProfileChoiceField, SelfTestPanel } from './ProfileOptions';
import { BasicsSection, DetectionSettings } from './SettingsForm';
import { SettingsShare } from './SettingsShare';
import { StatusOptions } from './StatusOptions';
import { TeamOptions } from './TeamOptions';

/** The user's own settings, the admin's, and what runs (the two merged). */
interface Loaded {
  local: Settings;
  managed: ManagedSettings;
  effective: Settings;
}

interface SectionProps {
  initial: Settings;
  onImported: () => void;
}

/** The page's sections, in order. A new section is one component and one line here. */
const SECTIONS: { id: string; title: MessageKey; Body: FunctionComponent<SectionProps> }[] = [
  { id: 'basics', title: 'optionsSectionBasics', Body: () => <BasicsSection /> },
  {
    id: 'helpdesk',
    title: 'optionsSectionHelpdesk',
    Body: ({ initial }) => (
      <>
        <HelpdeskDomains initial={initial} />
        <ProfileChoiceField />
        <SelfTestPanel />
      </>
    ),
  },
  { id: 'status', title: 'optionsSectionStatus', Body: () => <StatusOptions /> },
  {
    id: 'advanced',
    title: 'optionsSectionAdvanced',
    Body: () => (
      <>
        <DetectionSettings />
        <CustomProfileEditor />
        <DebugLogOptions />
      </>
    ),
  },
  { id: 'team', title: 'optionsTeamHeading', Body: () => <TeamOptions /> },
  { id: 'share', title: 'optionsShareHeading', Body: ({ onImported }) => <SettingsShare onImported={onImported} /> },
];

async function loadAll(): Promise<Loaded> {
  const [local, managed, effective] = await Promise.all([loadSettings(), loadManagedSettings(), loadEffectiveSettings()]);
  return { local, managed, effective };
}

/** Every section edits one draft; one Save checks all of it and stores it (field errors stay beside their fields). */
function Form({ loaded, onReload }: { loaded: Loaded; onReload: () => void }) {
  const start = useMemo(() => draftFrom(loaded.local, loaded.managed, loaded.effective), [loaded]);
  const [draft, setDraft] = useState<Draft>(start);
  const [baseline, setBaseline] = useState(() => JSON.stringify(start));
  // After an import or a language change every section starts again from what is stored.
  useEffect(() => {
    setDraft(start);
    setBaseline(JSON.stringify(start));
  }, [start]);
  const [notice, setNotice] = useState<string | null>(null);
  const pending = useRef(new Map<string, boolean>());
  const update = useCallback((patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setNotice(null);
  }, []);
  const setPendingError = useCallback((section: string, value: boolean) => void pending.current.set(section, value), []);
  const state: DraftState = { draft, update, managed: loaded.managed, setPendingError };
  const dirty = JSON.stringify(draft) !== baseline;

  const save = () => {
    const plan = planSave(draft, loaded.managed, [...pending.current.values()].some(Boolean));
    if (!plan.ok) {
      setNotice(t(plan.message, plan.subs));
      return;
    }
    // Asked within the click (before any other await), one origin per status page or webhook.
    const granted = plan.origins.length ? browser.permissions.request({ origins: plan.origins }) : Promise.resolve(true);
    void granted.then(async (ok) => {
      if (!ok) {
        setNotice(t('optionsPermissionDenied'));
        return;
      }
      // Re-read first: the worker or another tab may have changed other settings since this page opened.
      const current = await loadSettings();
      const next = plan.apply(current);
      if (!next) {
        setNotice(t('optionsFixFirst'));
        return;
      }
      await saveSettings(next);
      // The draft shows what was stored (e.g. a pasted Zendesk address becomes its subdomain).
      const stored = loaded.managed.zendeskSubdomains ? draft : { ...draft, zendeskSubdomains: (next.zendeskSubdomains ?? []).join('\n') };
      setDraft(stored);
      setBaseline(JSON.stringify(stored));
      const subdomainsChanged = JSON.stringify(next.zendeskSubdomains ?? []) !== JSON.stringify(current.zendeskSubdomains ?? []);
      setNotice(
        subdomainsChanged
          ? t((next.zendeskSubdomains ?? []).length ? 'optionsZendeskSaved' : 'optionsZendeskSavedAll')
          : t('optionsSettingsSaved'),
      );
      // A new language applies to the whole page: draw it again in that language.
      if ((next.language ?? 'auto') !== (current.language ?? 'auto')) onReload();
    });
  };

  return (
    <DraftContext.Provider value={state}>
      {SECTIONS.map(({ id, title, Body }) => (
        <section key={id} id={id} class="card" aria-labelledby={`${id}-heading`}>
          <h2 id={`${id}-heading`}>{t(title)}</h2>
          <Body initial={loaded.local} onImported={onReload} />
        </section>
      ))}
      <div class={`save-bar${dirty ? ' dirty' : ''}`}>
        <span class="save-state" data-testid="save-state">
          {dirty ? t('optionsUnsaved') : t('optionsAllSaved')}
        </span>
        {notice && (
          <span role="status" data-testid="settings-notice">
            {notice}
          </span>
        )}
        <button type="button" class="primary" onClick={save}>
          {t('optionsSaveSettings')}
        </button>
      </div>
    </DraftContext.Provider>
  );
}

/** The page's frame: drawn at once, before any storage is read, so text is on screen immediately. */
function Shell({ loaded, onReload }: { loaded: Loaded | null; onReload: () => void }) {
  const anyLocked = loaded ? Object.keys(loaded.managed).length > 0 : false;
  return (
    <div class="layout">
      <nav class="sidebar" aria-label={t('optionsTitle')}>
        <ul>
          {SECTIONS.map(({ id, title }) => (
            <li key={id}>
              <a href={`#${id}`}>{t(title)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        <h1>{t('optionsTitle')}</h1>
        {anyLocked && (
          <p class="locked" data-testid="managed-note">
            {t('optionsManagedNote')}
          </p>
        )}
        {loaded ? <Form loaded={loaded} onReload={onReload} /> : <p class="help">{t('optionsLoading')}</p>}
      </main>
    </div>
  );
}

function draw(app: Element, loaded: Loaded | null): void {
  document.documentElement.lang = uiLanguage();
  document.title = t('optionsTitle');
  const reload = () => {
    // After an import or a language change every section starts again from what is stored.
    void loadAll().then(async (next) => {
      await loadLanguageOverride(next.local.language);
      draw(app, next);
    });
  };
  render(<Shell loaded={loaded} onReload={reload} />, app);
}

/** Draws the settings page into `app` (replacing the frame the page drew first) and loads what is stored. */
export function startOptions(app: Element): void {
  app.replaceChildren();
  draw(app, null);
  void loadAll()
    .then(async (loaded) => {
      await loadLanguageOverride(loaded.local.language);
      draw(app, loaded);
    })
    .catch((error: unknown) => console.error('Send Guard: settings could not be read', error));
}
