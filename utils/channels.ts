import { z } from 'zod';

/** Outbound channels whose replies travel through Meta's Send APIs. */
export const Channel = z.enum(['messenger', 'instagram', 'whatsapp']);
export type Channel = z.infer<typeof Channel>;

/** What a helpdesk ticket is answered through; `other` (e-mail, web form …) is never watched. */
export const TicketChannel = z.enum(['messenger', 'instagram', 'whatsapp', 'other']);
export type TicketChannel = z.infer<typeof TicketChannel>;

export function isWatchedChannel(channel: TicketChannel): channel is Channel {
  return channel !== 'other';
}
