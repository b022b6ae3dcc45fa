import { channelLabel } from '@/core/channels';
import type { ProviderHealth } from '@/core/health/health-model';
import type { ProviderLevel } from '@/core/schemas';
import { ageWording, levelLabel } from '@/entrypoints/helpdesk.content/banner/wording';
import { formatTime, type MessageKey, say, t } from '@/utils/i18n';

const OFFICIAL_KEY: Record<ProviderLevel, MessageKey> = {
  operational: 'popupOfficialOperational',
  degraded: 'popupOfficialDegraded',
  outage: 'popupOfficialOutage',
  unknown: 'popupOfficialUnknown',
};

/** Only web links: a status source's link is remote data. */
function safeLink(link: string | null): string | null {
  return link && /^https?:\/\//i.test(link) ? link : null;
}

/** What this browser sees itself: failures since when, in how many conversations. */
function firstHand(health: ProviderHealth): string {
  if (health.firstParty === 'operational' || health.since === null) {
    // Below the detector's thresholds is not "nothing failed": say what is kept.
    return health.queuedReplies > 0 ? t('popupHereKept', String(health.queuedReplies)) : t('popupHereFine');
  }
  const key: MessageKey = health.firstParty === 'outage' ? 'popupHereDown' : 'popupHereFailing';
  return t(key, [formatTime(health.since), String(health.affectedConversations)]);
}

/** One line per channel: the merged level, first-hand evidence, then the official reading with its age and link. */
export function ChannelStatus({ healths, now }: { healths: ProviderHealth[]; now: number }) {
  return (
    <ul class="channels">
      {healths.map((health) => {
        const official = health.official;
        const link = safeLink(official?.link ?? null);
        return (
          <li key={health.channel} class={`channel level-${health.level}`} data-channel={health.channel} data-level={health.level}>
            <p class="channel-head">
              <span class="dot" aria-hidden="true" />
              <strong>{t(channelLabel(health.channel))}</strong>
              <span class="level">{t(levelLabel(health.level))}</span>
            </p>
            <p class="channel-detail">{firstHand(health)}</p>
            <p class="channel-detail">
              {official
                ? t('popupOfficial', [official.source, t(OFFICIAL_KEY[official.state]), say(ageWording(now - official.checkedAt))])
                : t('popupOfficialNone')}
              {official?.unofficial && <> ({t('healthUnofficial')})</>}
              {link && (
                <>
                  {' · '}
                  <a href={link} target="_blank" rel="noopener noreferrer">
                    {t('healthOpenStatusPage')}
                  </a>
                </>
              )}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
