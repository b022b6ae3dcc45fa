import { z } from 'zod';
import { ChannelHealth, initialHealth, type SendEvent, stepHealth } from '@/core/health/detector';
import { Channel } from '@/core/schemas';
import { loadEffectiveSettings } from '@/core/settings/effective-settings';
import { defineStoredValue } from '@/utils/stored-value';

/** The detector's state per channel (status.ts watches it to re-merge provider health). */
export const storedHealth = defineStoredValue({ key: 'local:health:v1', schema: z.record(z.string(), ChannelHealth), fallback: {} });

function everyChannel(byChannel: Record<string, ChannelHealth>): Record<Channel, ChannelHealth> {
  return {
    messenger: byChannel.messenger ?? initialHealth('messenger'),
    instagram: byChannel.instagram ?? initialHealth('instagram'),
    whatsapp: byChannel.whatsapp ?? initialHealth('whatsapp'),
  };
}

/** Per-channel health as last stored; a damaged store starts over rather than blocking detection. */
export async function loadHealth(): Promise<Record<Channel, ChannelHealth>> {
  return everyChannel(await storedHealth.get());
}

/** Feeds one event (or a clock tick) to a channel's detector and stores the result durably. */
export function recordHealth(
  channel: Channel,
  input: { event?: SendEvent; now: number },
): Promise<{ before: ChannelHealth; after: ChannelHealth }> {
  let before = initialHealth(channel);
  let after = before;
  return storedHealth
    .update(async (stored) => {
      const all = everyChannel(stored);
      before = all[channel];
      after = stepHealth(before, input, (await loadEffectiveSettings()).detector);
      return { ...all, [channel]: after };
    })
    .then(() => ({ before, after }));
}

/** A clock tick for every channel (quiet-period recovery); returns the channels that changed. */
export async function tickAllHealth(now: number): Promise<{ channel: Channel; before: ChannelHealth; after: ChannelHealth }[]> {
  const changes = [];
  for (const channel of Channel.options) {
    const { before, after } = await recordHealth(channel, { now });
    if (before.level !== after.level) changes.push({ channel, before, after });
  }
  return changes;
}
