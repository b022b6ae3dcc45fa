import { type PurgeResult, purgeExpired } from '@/core/queue';
import { loadEffectiveSettings } from '@/core/settings/effective-settings';

import { withQueueDb } from './db';

export const RETENTION_ALARM = 'retention';

/**
 * Deletes finished replies the retention rules in force say are due (each leaves a tombstone
 * without text), sets damaged records aside, and drops tombstones past their horizon. Unsent
 * replies are never deleted here: the popup flags the old ones for the agent.
 */
export async function runRetention(now: number): Promise<PurgeResult> {
  const settings = await loadEffectiveSettings();
  return withQueueDb((db) => purgeExpired(db, now, settings.retention));
}
