import type { ReplyState } from '../schemas';
import { FINAL_STATE_NAMES } from '../vocabulary';

// Groups of a kept reply's states (the states: core/vocabulary.ts), read by the content script without zod.

/** States in which the customer may not have the reply yet and the agent must still act. */
export const UNSENT_STATES: readonly ReplyState[] = ['queued', 'sending', 'needs_attention', 'unconfirmed'];

/**
 * States a retry may claim without the agent deciding first (Retry, Retry all, the popup).
 * `unconfirmed` is not one: a copy may have reached the customer, so the agent checks first.
 */
export const CLAIMABLE_STATES: readonly ReplyState[] = ['queued', 'needs_attention'];

/** States a reply ends in (FINAL_STATE_NAMES), typed so any state can be looked up in it. */
export const FINAL_STATES: readonly ReplyState[] = FINAL_STATE_NAMES;

/** Why a claim is refused when the last retry was never confirmed (read by the tab without zod). */
export const REFUSED_UNCONFIRMED = 'the last retry was not confirmed: check the conversation first';
