import type { ProviderHealth } from '@/core/health/health-model';
import { formatTime, say, t } from '@/utils/i18n';
import { ageWording, providerWording } from './wording';

/** What the banner gets from the background: the merged health and whether the agent snoozed it. */
export interface ProviderStatusView {
  health: ProviderHealth;
  snoozed: boolean;
}

/**
 * The banner is needed for provider status when something is (or was just) wrong and not snoozed. A status
 * source that cannot be read is no reason on its own: it is a note under what was seen, never a headline.
 */
export function providerWantsBanner(view: ProviderStatusView | null): boolean {
  if (!view || view.snoozed) return false;
  return isTroubled(view) || view.health.reasons.includes('recovered');
}

export function isTroubled(view: ProviderStatusView | null): boolean {
  return !!view && (view.health.level === 'degraded' || view.health.level === 'outage');
}

/**
 * First-party evidence first (`.sg-health`), then what the provider says, with its statement and link
 * (marked unofficial for Meta's undocumented data); a source that could not be read is a small note
 * (`.sg-source-note`) after them; then the level, and a snooze for this incident.
 */
export function ProviderStatus({ view, onSnooze }: { view: ProviderStatusView; onSnooze: () => void }) {
  if (view.snoozed) return null;
  const { health } = view;
  const words = providerWording(health, { time: formatTime, age: (ms) => say(ageWording(ms)), translate: t }, Date.now());
  if (!words) return null;
  const lines = words.lines.map(say);
  const notes = words.notes.map(say);
  const official = health.official;
  // The worker builds it from the helpdesk's origin and a ticket number; checked again before it becomes a link.
  const teamUrl = health.team && /^https?:\/\//.test(health.team.url) ? health.team.url : null;
  return (
    <div class="sg-provider" data-testid="send-guard-provider" data-level={health.level} style="flex-basis:100%">
      {lines.length > 0 && (
        <p class="sg-health" style="margin:2px 0">
          {lines.join(' ')}
        </p>
      )}
      {(words.statementBy || official?.link || official?.unofficial) && (
        <p class="sg-official" data-testid="send-guard-official" style="margin:2px 0;color:#49545c">
          {words.statementBy && (
            <>
              {say(words.statementBy)} <q>{official?.statement}</q>{' '}
            </>
          )}
          {official?.link && (
            <a href={official.link} target="_blank" rel="noopener noreferrer" style="color:#1f73b7">
              {t('healthOpenStatusPage')}
            </a>
          )}
          {official?.unofficial && <span class="sg-unofficial"> ({t('healthUnofficial')})</span>}
        </p>
      )}
      {notes.length > 0 && (
        <p class="sg-source-note" data-testid="send-guard-source-note" style="margin:2px 0;font-size:12px;color:#68737d">
          {notes.join(' ')}
        </p>
      )}
      {words.teamTicket && teamUrl && (
        <p class="sg-team" data-testid="send-guard-team" style="margin:2px 0">
          <a href={teamUrl} target="_blank" rel="noopener noreferrer" style="color:#1f73b7">
            {say(words.teamTicket)}
          </a>
        </p>
      )}
      <p class="sg-level" style="margin:2px 0;font-size:12px;color:#68737d">
        {say(words.level)}
        {isTroubled(view) && (
          <>
            {' · '}
            <button type="button" onClick={onSnooze} style="font-size:12px;padding:0 8px">
              {t('healthSnooze')}
            </button>
          </>
        )}
      </p>
    </div>
  );
}
