import { loadEffectiveSettings } from '@/utils/effective-settings';
import { purgeExpired } from '@/utils/queue/retention';

import { db } from './db';

export const RETENTION_ALARM = 'retention';

/** Deletes replies the retention rules say are due; customer text is kept no longer than needed. */
export async function runRetention(now: number): Promise<number> {
  const settings = await loadEffectiveSettings();
  return purgeExpired(await db(), now, settings.retention);
}
