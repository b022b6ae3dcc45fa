import { z } from 'zod';

// Team mode's settings; part of the one settings item (core/settings/settings.ts). Off unless an admin or the agent turns it on.

export const TeamSettings = z.object({
  /** Kept replies and outages are written to the helpdesk (tags, private notes, one outage ticket). */
  enabled: z.boolean(),
  /** Also link each ticket with a kept reply to the outage ticket as an incident (`problem_id`). */
  linkIncidents: z.boolean(),
});
export type TeamSettings = z.infer<typeof TeamSettings>;

export const DEFAULT_TEAM_SETTINGS: TeamSettings = { enabled: false, linkIncidents: false };
