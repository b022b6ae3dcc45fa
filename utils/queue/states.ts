// A kept reply's states as plain lists: the content script reads them without zod (record.ts
// builds the schema from the same list).

export const REPLY_STATES = ['queued', 'sending', 'sent', 'handed_off', 'discarded', 'needs_attention', 'unconfirmed'] as const;
export type ReplyStateName = (typeof REPLY_STATES)[number];

/** States in which the customer may not have the reply yet and the agent must still act. */
export const UNSENT_STATES: readonly ReplyStateName[] = ['queued', 'sending', 'needs_attention', 'unconfirmed'];

/**
 * States a retry may claim without the agent deciding first (Retry, Retry all, the popup).
 * `unconfirmed` is not one: a copy may have reached the customer, so the agent checks first.
 */
export const CLAIMABLE_STATES: readonly ReplyStateName[] = ['queued', 'needs_attention'];

/** States a reply ends in; each leaves a tombstone so its failed marker never counts as new again. */
export const FINAL_STATE_NAMES = ['sent', 'handed_off', 'discarded'] as const;
export const FINAL_STATES: readonly ReplyStateName[] = FINAL_STATE_NAMES;

/** Why a claim is refused when the last retry was never confirmed (read by the tab without zod). */
export const REFUSED_UNCONFIRMED = 'the last retry was not confirmed: check the conversation first';
