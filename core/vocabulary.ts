// The words Send Guard's data is made of, each list in one place. Plain lists without imports, so the
// helpdesk tab (no zod in its bundle) and the schemas (core/schemas.ts: a z.enum of each) share them.

/** Outbound channels whose replies travel through Meta's Send APIs. */
export const CHANNELS = ['messenger', 'instagram', 'whatsapp'] as const;

/** What a helpdesk ticket is answered through; `other` (e-mail, web form …) is never watched. */
export const TICKET_CHANNELS = [...CHANNELS, 'other'] as const;

/**
 * What kind of trouble a failed send is. Only `provider_transient` (and, widespread,
 * `rate_limited`) says anything about the platform; the rest are about one conversation.
 */
export const ERROR_CLASSES = [
  'provider_transient',
  'rate_limited',
  'policy_window',
  'recipient_unavailable',
  'auth',
  'invalid_request',
  'unknown',
] as const;

/** A kept reply's states (core/queue/transitions.ts moves between them). */
export const REPLY_STATES = ['queued', 'sending', 'sent', 'handed_off', 'discarded', 'needs_attention', 'unconfirmed'] as const;

/** States a reply ends in; each leaves a tombstone so its failed marker never counts as new again. */
export const FINAL_STATE_NAMES = ['sent', 'handed_off', 'discarded'] as const;

/** How well a channel works, as this browser's own sends show it (the detector). */
export const HEALTH_LEVELS = ['operational', 'degraded', 'outage'] as const;

/** How well a provider works, merged or as a status page says it: `unknown` when it cannot be read. */
export const PROVIDER_LEVELS = [...HEALTH_LEVELS, 'unknown'] as const;

/** Which helpdesk profile reads the page; `auto` picks one from the page's path. */
export const PROFILE_CHOICES = ['auto', 'zendesk', 'chatwoot', 'custom'] as const;

/** UI language: `auto` follows the browser; otherwise `_locales/<lang>` is used (utils/i18n.ts). */
export const LANGUAGE_CHOICES = ['auto', 'en', 'de'] as const;
