import { z } from 'zod';
import { StatusSource } from './sources';

// Settings for official status polling and for alerts; part of the one settings item (core/settings/settings.ts).

export const StatusSettings = z.object({
  enabled: z.boolean(),
  /** Minutes between polls while a helpdesk tab is open, and otherwise. */
  activeIntervalMin: z.number().min(0.5).max(60),
  idleIntervalMin: z.number().min(1).max(240),
  /** Replaces the built-in source list when set (the sandbox and tests point it at their own port). */
  sources: z.array(StatusSource).max(20).optional(),
  /** Statuspage-based pages the user added, by URL (e.g. https://status.example.com). */
  customStatuspages: z.array(z.string().url().max(2000)).max(20),
});
export type StatusSettings = z.infer<typeof StatusSettings>;

export const DEFAULT_STATUS_SETTINGS: StatusSettings = {
  enabled: true,
  activeIntervalMin: 2,
  idleIntervalMin: 10,
  customStatuspages: [],
};

export const AlertSettings = z.object({
  /** System notifications at the start and end of an incident. */
  notifications: z.boolean(),
  /** Optional team webhook, opt-in; its origin is asked for as an optional host permission. */
  webhookUrl: z
    .string()
    .url()
    .max(2000)
    .refine((u) => u.startsWith('https://') || u.startsWith('http://127.0.0.1'), 'the webhook must use https')
    .optional(),
  webhookFormat: z.enum(['slack', 'json']),
});
export type AlertSettings = z.infer<typeof AlertSettings>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { notifications: false, webhookFormat: 'slack' };
