import type { MessageKey } from '../utils/i18n';
import type { Channel, TicketChannel } from './schemas';

// What the code asks of a channel: whether it is watched, and its name in the UI (lists: core/vocabulary.ts).

export function isWatchedChannel(channel: TicketChannel): channel is Channel {
  return channel !== 'other';
}

const LABEL = {
  messenger: 'channelMessenger',
  instagram: 'channelInstagram',
  whatsapp: 'channelWhatsapp',
} as const satisfies Record<Channel, MessageKey>;

/** The channel's name in the UI, as a `_locales` key: `t(channelLabel(channel))`. */
export function channelLabel(channel: Channel): MessageKey {
  return LABEL[channel];
}
