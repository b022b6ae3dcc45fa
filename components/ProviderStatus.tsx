import type { ProviderHealth } from '@/core/health/health-model';
import { describeHealth, levelLabel } from '@/core/health/health-words';
import { formatTime, t } from '@/utils/i18n';

/** What the banner gets from the background: the merged health and whether the agent snoozed it. */
export interface ProviderStatusView {
  health: ProviderHealth;
  snoozed: boolean;
}

export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes < 120 ? t('ageMinutes', String(minutes)) : t('ageHours', String(Math.round(minutes / 60)));
}

/**
 * The banner is needed for provider status when something is (or was just) wrong and not snoozed. A status
 * source that cannot be read is no reason on its own: it is a note under what was seen, never a headline.
 */
export function providerWantsBanner(view: ProviderStatusView | null): boolean {
  if (!view || view.snoozed) return false;
  return view.health.level === 'degraded' || view.health.level === 'outage' || view.health.reasons.includes('recovered');
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
  const wording = describeHealth(health, { time: formatTime, age: formatAge, translate: (k) => t(k) }, Date.now());
  const lines = wording.filter((l) => !l.secondary).map((l) => t(l.key, l.subs));
  const notes = wording.filter((l) => l.secondary).map((l) => t(l.key, l.subs));
  if (lines.length === 0 && notes.length === 0) return null;
  const official = health.official;
  const troubled = health.level === 'degraded' || health.level === 'outage';
  const showStatement = official?.statement && (official.state === 'degraded' || official.state === 'outage');
  // The worker builds it from the helpdesk's origin and a ticket number; checked again before it becomes a link.
  const teamUrl = health.team && /^https?:\/\//.test(health.team.url) ? health.team.url : null;
  return (
    <div class="sg-provider" data-testid="send-guard-provider" data-level={health.level} style="flex-basis:100%">
      {lines.length > 0 && (
        <p class="sg-health" style="margin:2px 0">
          {lines.join(' ')}
        </p>
      )}
      {(showStatement || official?.link || official?.unofficial) && (
        <p class="sg-official" data-testid="send-guard-official" style="margin:2px 0;color:#49545c">
          {showStatement && (
            <>
              {t('healthStatementBy', official?.source ?? '')} <q>{official?.statement}</q>{' '}
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
      {health.team && teamUrl && (
        <p class="sg-team" data-testid="send-guard-team" style="margin:2px 0">
          <a href={teamUrl} target="_blank" rel="noopener noreferrer" style="color:#1f73b7">
            {t('healthOpenTeamTicket', String(health.team.ticketId))}
          </a>
        </p>
      )}
      <p class="sg-level" style="margin:2px 0;font-size:12px;color:#68737d">
        {t('healthLevel', t(levelLabel(health.level)))}
        {troubled && (
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
