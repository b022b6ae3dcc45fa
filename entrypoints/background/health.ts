import { browser } from 'wxt/browser';
import { z } from 'zod';
import { ChannelHealth, initialHealth, type SendEvent, stepHealth } from '@/utils/detector';
import { loadEffectiveSettings } from '@/utils/effective-settings';
import { Channel } from '@/utils/schemas';
import { createSerialQueue } from '@/utils/serial';

const HEALTH_KEY = 'health:v1';
const StoredHealth = z.record(z.string(), ChannelHealth);
const serial = createSerialQueue();

/** Per-channel health as last stored; a damaged entry starts over rather than blocking detection. */
export async function loadHealth(): Promise<Record<Channel, ChannelHealth>> {
  const stored = (await browser.storage.local.get(HEALTH_KEY))[HEALTH_KEY];
  const parsed = StoredHealth.safeParse(stored ?? {});
  const byChannel = parsed.success ? parsed.data : {};
  return {
    messenger: byChannel.messenger ?? initialHealth('messenger'),
    instagram: byChannel.instagram ?? initialHealth('instagram'),
    whatsapp: byChannel.whatsapp ?? initialHealth('whatsapp'),
  };
}

/** Feeds one event (or a clock tick) to a channel's detector and stores the result durably. */
export function recordHealth(
  channel: Channel,
  input: { event?: SendEvent; now: number },
): Promise<{ before: ChannelHealth; after: ChannelHealth }> {
  return serial(async () => {
    const all = await loadHealth();
    const before = all[channel];
    const after = stepHealth(before, input, (await loadEffectiveSettings()).detector);
    await browser.storage.local.set({ [HEALTH_KEY]: { ...all, [channel]: after } });
    return { before, after };
  });
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
