import { useEffect, useState } from 'preact/hooks';
import type { TeamState } from '@/core/team/outbox';
import { loadTeamState, teamStateItem } from '@/core/team/store';
import { formatTime, t } from '@/utils/i18n';
import { useDraft } from './options-draft';

/** Options section: team mode (opt-in), saved with the page's other settings, and how many of its writes still wait for the helpdesk. */
export function TeamOptions() {
  const { draft, update, managed } = useDraft();
  // Locked fields show the admin's value; saving keeps the user's own one underneath.
  const lockedEnabled = managed.teamMode !== undefined;
  const lockedLink = managed.teamLinkIncidents !== undefined;
  const [state, setState] = useState<TeamState | null>(null);

  useEffect(() => {
    void loadTeamState().then(setState);
    // The worker writes the outbox; this page follows it live.
    return teamStateItem.watch(() => void loadTeamState().then(setState));
  }, []);

  const waiting = state?.outbox.length ?? 0;
  return (
    <div data-testid="team-options">
      <p class="help">{t('optionsTeamHelp')}</p>
      <label class="choice">
        <input
          type="checkbox"
          checked={draft.teamMode}
          disabled={lockedEnabled}
          onChange={(e) => update({ teamMode: e.currentTarget.checked })}
        />{' '}
        {t('optionsTeamEnable')}
        {lockedEnabled && <span class="locked"> {t('optionsLocked')}</span>}
      </label>
      <label class="choice">
        <input
          type="checkbox"
          checked={draft.teamLinkIncidents}
          disabled={lockedLink}
          onChange={(e) => update({ teamLinkIncidents: e.currentTarget.checked })}
        />{' '}
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
    </div>
  );
}
