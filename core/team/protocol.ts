// Worker → helpdesk tab requests of team mode, and the tab's answers. Plain types: the content
// script imports this without zod; the worker checks every answer (entrypoints/background/team.ts).

export const TEAM_REQUEST = 'team-request';

/** One call to the helpdesk's own API, run by a tab of that helpdesk with the agent's session. */
export interface TeamRequest {
  type: typeof TEAM_REQUEST;
  /** The helpdesk the request is for: a tab on another origin refuses it. */
  origin: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: string;
  /** The agent's CSRF token, on writes. */
  csrf?: string;
}

export type TeamAnswer =
  /** status 0: no answer (network error, timeout). */
  { status: number; retryAfter: string | null; text: string } | { refused: 'origin' | 'not-zendesk' };

/** Paths team mode may call: Zendesk's signed-in user, ticket list by external id, one ticket, its tags. */
export const TEAM_PATH = /^\/api\/v2\/(?:users\/me|tickets(?:\/\d{1,15}(?:\/tags)?)?)\.json(?:\?external_id=[\w%.-]{1,200})?$/;
