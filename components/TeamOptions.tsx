import { useEffect, useState } from 'preact/hooks';
import { formatTime, t } from '@/utils/i18n';
import { loadSettings, type Settings, saveSettings } from '@/utils/settings';
import type { ManagedSettings } from '@/utils/settings-io';
import type { TeamState } from '@/utils/team/outbox';
import { DEFAULT_TEAM_SETTINGS } from '@/utils/team/settings';
import { loadTeamState, teamStateItem } from '@/utils/team/store';

/** Options section: team mode (opt-in) and how many of its writes still wait for the helpdesk. */
export function TeamOptions({ initial, managed = {} }: { initial: Settings; managed?: ManagedSettings }) {
  const own = initial.team ?? DEFAULT_TEAM_SETTINGS;
  // Locked fields show the admin's value; saving keeps the user's own one underneath.
  const lockedEnabled = managed.teamMode !== undefined;
  const lockedLink = managed.teamLinkIncidents !== undefined;
  const [enabled, setEnabled] = useState(managed.teamMode ?? own.enabled);
  const [linkIncidents, setLinkIncidents] = useState(managed.teamLinkIncidents ?? own.linkIncidents);
  const [notice, setNotice] = useState<string | null>(null);
  const [state, setState] = useState<TeamState | null>(null);

  useEffect(() => {
    void loadTeamState().then(setState);
    // The worker writes the outbox; this page follows it live.
    return teamStateItem.watch(() => void loadTeamState().then(setState));
  }, []);

  const save = async () => {
    const current = await loadSettings();
    const team = current.team ?? DEFAULT_TEAM_SETTINGS;
    await saveSettings({
      ...current,
      team: { enabled: lockedEnabled ? team.enabled : enabled, linkIncidents: lockedLink ? team.linkIncidents : linkIncidents },
    });
    setNotice(t('optionsTeamSaved'));
  };

  const waiting = state?.outbox.length ?? 0;
  return (
    <section data-testid="team-options">
      <h2>{t('optionsTeamHeading')}</h2>
      <p class="help">{t('optionsTeamHelp')}</p>
      <label class="choice">
        <input type="checkbox" checked={enabled} disabled={lockedEnabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />{' '}
        {t('optionsTeamEnable')}
        {lockedEnabled && <span class="locked"> {t('optionsLocked')}</span>}
      </label>
      <label class="choice">
        <input type="checkbox" checked={linkIncidents} disabled={lockedLink} onChange={(e) => setLinkIncidents(e.currentTarget.checked)} />{' '}
        {t('optionsTeamLinkIncidents')}
        {lockedLink && <span class="locked"> {t('optionsLocked')}</span>}
      </label>
      <p data-testid="team-sync" aria-live="polite">
        {t('optionsTeamWaiting', String(waiting))}
        {waiting > 0 && <> · {t('optionsTeamNoTab')}</>}
      </p>
      {state?.lastError && (
        <p class="help" data-testid="team-last-problem">
          {t('optionsTeamLastProblem', [state.lastError.message, formatTime(state.lastError.at)])}
        </p>
      )}
      <div class="row">
        <button type="button" onClick={() => void save()}>
          {t('optionsTeamSave')}
        </button>
        {notice && <span role="status">{notice}</span>}
      </div>
    </section>
  );
}
