import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { HelpdeskOrigin } from '../queue/record';
import { type Channel, Channel as ChannelSchema } from '../schemas';
import { EMPTY_TEAM_STATE, TeamState } from './outbox';
import { TicketNumber } from './zendesk';

// Team mode's stored values: the outbox and its state (the worker writes, the options page reads),
// and what the last lookup found (the merged provider health reads it).

export const teamStateItem = storage.defineItem<unknown>('local:team:v1', { fallback: EMPTY_TEAM_STATE });

/** The stored state; a damaged one is reported (never silently replaced) and the empty state used. */
export async function loadTeamState(): Promise<TeamState> {
  const parsed = TeamState.safeParse(await teamStateItem.getValue());
  if (parsed.success) return parsed.data;
  console.warn('[send-guard] team state unreadable, starting empty:', parsed.error.issues[0]?.message);
  return EMPTY_TEAM_STATE;
}

/** An open outage ticket of the team, as this browser's last lookup found it. */
export const TeamReport = z.object({
  origin: HelpdeskOrigin,
  ticketId: TicketNumber,
  url: z.string().url().max(2000),
  /** When the ticket was opened: since when the team reports the channel failing. */
  since: z.number().int().nonnegative(),
  /** A browser saw recovery since (the ticket stays open until a person closes it). */
  recovered: z.boolean(),
  checkedAt: z.number().int().nonnegative(),
});
export type TeamReport = z.infer<typeof TeamReport>;

const TeamReports = z.record(z.string(), TeamReport);

export const teamReportsItem = storage.defineItem<unknown>('local:teamReports:v1', { fallback: {} });

export async function loadTeamReports(): Promise<Partial<Record<Channel, TeamReport>>> {
  const parsed = TeamReports.safeParse(await teamReportsItem.getValue());
  if (!parsed.success) return {};
  return Object.fromEntries(Object.entries(parsed.data).filter(([channel]) => ChannelSchema.safeParse(channel).success));
}
