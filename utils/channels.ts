// Plain lists and types: content scripts import this, so it stays free of zod (schemas: utils/schemas.ts).

/** Outbound channels whose replies travel through Meta's Send APIs. */
export const CHANNELS = ['messenger', 'instagram', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a helpdesk ticket is answered through; `other` (e-mail, web form …) is never watched. */
export const TICKET_CHANNELS = [...CHANNELS, 'other'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export function isWatchedChannel(channel: TicketChannel): channel is Channel {
  return channel !== 'other';
}

/** Each channel's name in the UI (a `_locales` key; typed as such where it is translated). */
export const CHANNEL_LABEL = {
  messenger: 'channelMessenger',
  instagram: 'channelInstagram',
  whatsapp: 'channelWhatsapp',
} as const satisfies Record<Channel, string>;
