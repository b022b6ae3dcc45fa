import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { TEAM_PATH, TEAM_REQUEST, type TeamAnswer, type TeamRequest } from '@/core/team/protocol';
import type { HelpdeskPage } from './page';

/**
 * Team mode's helpdesk API calls, run here for the worker (which keeps the durable outbox and
 * decides what to write). Why here: a content script's fetch to its own page's origin goes out
 * with the page's Origin and the agent's session cookie, exactly like the helpdesk's own requests,
 * so every write is the agent's own same-origin request; a worker fetch would come from the
 * extension's origin instead, which the helpdesk's CSRF and cookie rules need not accept.
 */
export function init(page: HelpdeskPage, ctx: ContentScriptContext): void {
  // Only a page that speaks Zendesk's ticket API (the profile says where a ticket's JSON lives).
  const zendesk = page.profile.ticketApiPath?.('1') === '/api/v2/tickets/1.json';
  browser.runtime.onMessage.addListener((raw: unknown, _sender, sendResponse: (answer: TeamAnswer) => void) => {
    if (ctx.isInvalid || !isTeamRequest(raw)) return undefined;
    if (raw.origin !== location.origin || !zendesk) {
      sendResponse({ refused: raw.origin !== location.origin ? 'origin' : 'not-zendesk' });
      return undefined;
    }
    void run(raw, ctx.signal).then(sendResponse);
    return true; // Answered later through sendResponse (content scripts use the browser's own API).
  });
}

/** Only this extension can message a content script; the path is still held to team mode's few. */
function isTeamRequest(raw: unknown): raw is TeamRequest {
  if (typeof raw !== 'object' || raw === null) return false;
  const { type, origin, method, path, body, csrf } = raw as Record<string, unknown>;
  return (
    type === TEAM_REQUEST &&
    typeof origin === 'string' &&
    (method === 'GET' || method === 'PUT' || method === 'POST' || method === 'DELETE') &&
    typeof path === 'string' &&
    TEAM_PATH.test(path) &&
    (body === undefined || (typeof body === 'string' && body.length <= 65_536)) &&
    (csrf === undefined || typeof csrf === 'string')
  );
}

async function run(request: TeamRequest, signal: AbortSignal): Promise<TeamAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.csrf) headers['x-csrf-token'] = request.csrf;
  try {
    const response = await fetch(request.path, {
      method: request.method,
      credentials: 'same-origin',
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text: (await response.text()).slice(0, 500_000) };
  } catch (error) {
    // No answer (network, timeout): status 0, which the worker retries with backoff.
    return { status: 0, retryAfter: null, text: error instanceof Error ? error.name : 'error' };
  }
}
