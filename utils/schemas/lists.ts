import { z } from 'zod';
import { CHANNELS, TICKET_CHANNELS } from '../channels';
import { ERROR_CLASSES } from '../send-errors';

// Zod schemas of the plain lists that content scripts use without zod (their bundle stays small).

export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;
export const TicketChannel = z.enum(TICKET_CHANNELS);
export type TicketChannel = z.infer<typeof TicketChannel>;
export const ErrorClass = z.enum(ERROR_CLASSES);
export type ErrorClass = z.infer<typeof ErrorClass>;
