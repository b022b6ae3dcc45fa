import type { Channel } from '../schemas';

const HOUR = 60 * 60_000;
/** Meta's standard messaging window: 24 hours after the customer's last message. */
export const STANDARD_WINDOW_MS = 24 * HOUR;
/** Messenger and Instagram let a human agent answer (HUMAN_AGENT tag) for 7 days. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;

export type MessagingWindow =
  | { kind: 'open'; closesAt: number }
  | { kind: 'human_agent'; closedAt: number; humanAgentUntil: number }
  | { kind: 'closed'; closedAt: number };

/**
 * Where a conversation stands in Meta's messaging windows, from the customer's last message.
 * Pure; null when the last message time is unknown.
 */
export function messagingWindow(channel: Channel, lastCustomerMessageAt: number | null, now: number): MessagingWindow | null {
  if (lastCustomerMessageAt === null || !Number.isFinite(lastCustomerMessageAt)) return null;
  const closedAt = lastCustomerMessageAt + STANDARD_WINDOW_MS;
  if (now < closedAt) return { kind: 'open', closesAt: closedAt };
  // WhatsApp has no human-agent extension: after 24 h only a template message goes out.
  if (channel === 'whatsapp') return { kind: 'closed', closedAt };
  const humanAgentUntil = lastCustomerMessageAt + HUMAN_AGENT_WINDOW_MS;
  return now < humanAgentUntil ? { kind: 'human_agent', closedAt, humanAgentUntil } : { kind: 'closed', closedAt };
}
