import type { MessageKey } from '../../utils/i18n';
import type { ErrorClass } from '../schemas';

// Apart from the classifier (send-errors.ts), whose code tables the helpdesk tab's banner does not need.

/** What the agent is told to do about each kind of failure (i18n keys). */
export const ADVICE: Record<ErrorClass, MessageKey> = {
  provider_transient: 'adviceProviderTransient',
  rate_limited: 'adviceRateLimited',
  policy_window: 'advicePolicyWindow',
  recipient_unavailable: 'adviceRecipientUnavailable',
  auth: 'adviceAuth',
  invalid_request: 'adviceInvalidRequest',
  unknown: 'adviceUnknown',
};
