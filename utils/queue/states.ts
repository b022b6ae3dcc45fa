// A kept reply's states as plain lists: the content script reads them without zod (record.ts
// builds the schema from the same list).

export const REPLY_STATES = ['queued', 'sending', 'sent', 'handed_off', 'discarded', 'needs_attention'] as const;

/** States in which the customer has not got the reply yet and the agent must still act. */
export const UNSENT_STATES: readonly (typeof REPLY_STATES)[number][] = ['queued', 'sending', 'needs_attention'];
