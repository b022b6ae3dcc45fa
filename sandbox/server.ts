// Send Guard sandbox: a Zendesk-like helpdesk, a fake Meta Graph Send API and fake status pages,
// all served from one local HTTP server that only ever talks to itself.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CHATWOOT_ACCOUNT_ID, chatwootPage } from './chatwoot.js';
import type { GraphCounters } from './graph.js';
import { answerFor, fbtraceId, graphMessageId } from './graph.js';
import { appPage, controlPage, indexPage, notFoundPage, parseVariant } from './pages.js';
import type { ProviderLevel } from './status.js';
import { metaOrgPage, metaOrgs, STATUS_HTML, statuspageStatus, statuspageSummary, zendeskActiveIncidents } from './status.js';
import { createTicketComments } from './ticket-comments.js';
import { AGENT_NAME, seedTickets, ticketSummary, zendeskTicketJson } from './tickets.js';
import type {
  DeliveryError,
  GraphMode,
  Lang,
  ModeRequest,
  OutageKind,
  SandboxMessage,
  SandboxState,
  SentMessage,
  StatusForce,
  StatusForces,
  StatusSource,
  Ticket,
  UiDelays,
} from './types.js';
import { GRAPH_MODES, OUTAGE_KINDS, STATUS_FORCES } from './types.js';
import { createZendeskApi } from './zendesk-api.js';

export type * from './types.js';
export { GRAPH_MODES, OUTAGE_KINDS, STATUS_FORCES } from './types.js';

export interface SandboxOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), localhost or ::1. */
  host?: string;
}

export interface SandboxHandle {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:4870 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The sandbox's own Graph client gives up after this long, like a real helpdesk backend would. */
export const GRAPH_TIMEOUT_MS = 4000;
/** Delay before the Graph call so the "pending" state is visible in the page. */
export const SEND_DELAY_MS = 150;
const GRAPH_VERSION = 'v19.0';
const ACCESS_TOKEN = 'sandbox-token';
const MAX_BODY_BYTES = 64 * 1024;
const MAX_REPLY_CHARS = 5000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const PUBLIC_FILE = /^[a-z0-9-]+\.(js|css)$/;
const CONTENT_TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
const STATUS_SOURCES: readonly StatusSource[] = ['statuspage', 'zendesk', 'meta'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type GraphOutcome = { ok: true; messageId: string } | { ok: false; error: DeliveryError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMode(value: unknown): value is GraphMode {
  return typeof value === 'string' && (GRAPH_MODES as readonly string[]).includes(value);
}

function isOutageKind(value: unknown): value is OutageKind {
  return typeof value === 'string' && (OUTAGE_KINDS as readonly string[]).includes(value);
}

function isStatusForce(value: unknown): value is StatusForce {
  return typeof value === 'string' && (STATUS_FORCES as readonly string[]).includes(value);
}

/** Validates a POST /__sandbox/mode body; returns an error message for a 400 on failure. */
export function parseModeRequest(body: unknown): ModeRequest | string {
  if (!isRecord(body)) return 'Body must be a JSON object like {"mode":"outage"}.';
  const out: ModeRequest = {};
  if (body.mode !== undefined) {
    if (!isMode(body.mode)) return `Unknown mode ${JSON.stringify(body.mode)}. Known modes: ${GRAPH_MODES.join(', ')}.`;
    out.mode = body.mode;
  }
  if (body.failureRatio !== undefined) {
    const r = body.failureRatio;
    if (typeof r !== 'number' || !Number.isFinite(r) || r < 0 || r > 1) return 'failureRatio must be a number from 0 to 1.';
    out.failureRatio = r;
  }
  if (body.outageKind !== undefined) {
    if (!isOutageKind(body.outageKind))
      return `Unknown outageKind ${JSON.stringify(body.outageKind)}. Known kinds: ${OUTAGE_KINDS.join(', ')}.`;
    out.outageKind = body.outageKind;
  }
  if (body.confirmDelayMs !== undefined) {
    const ms = body.confirmDelayMs;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 60_000)
      return 'confirmDelayMs must be a whole number from 0 to 60000.';
    out.confirmDelayMs = ms;
  }
  if (body.overrides !== undefined) {
    if (!isRecord(body.overrides)) return 'overrides must be an object mapping recipient ids to modes.';
    const overrides: Record<string, GraphMode> = {};
    for (const [psid, mode] of Object.entries(body.overrides)) {
      if (!isMode(mode)) return `Unknown mode ${JSON.stringify(mode)} for recipient ${psid}. Known modes: ${GRAPH_MODES.join(', ')}.`;
      overrides[psid] = mode;
    }
    out.overrides = overrides;
  }
  const known = new Set(['mode', 'failureRatio', 'outageKind', 'overrides', 'confirmDelayMs']);
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (unknown.length > 0) return `Unknown field(s): ${unknown.join(', ')}.`;
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
  });
  res.end(html);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large.');
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'Body is not valid JSON.');
  }
}

const MAX_DELAY_MS = 30_000;
/** The SSE clients of `/api/sandbox/events`, keyed apart from any ticket id. */
const ALL_TICKETS = -1;
const NO_DELAYS: UiDelays = { ticketApiMs: 0, renderMs: 0, swapMs: 0 };

/** Validates a POST /__sandbox/delays body; returns an error message for a 400 on failure. */
export function parseDelays(body: unknown, current: UiDelays): UiDelays | string {
  if (!isRecord(body)) return 'Body must be a JSON object like {"ticketApiMs": 2000}.';
  const next = { ...current };
  for (const [key, value] of Object.entries(body)) {
    if (!(key in NO_DELAYS)) return `Unknown field ${key}. Known: ${Object.keys(NO_DELAYS).join(', ')}.`;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DELAY_MS)
      return `${key} must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}.`;
    next[key as keyof UiDelays] = value;
  }
  return next;
}

function levelForMode(mode: GraphMode): ProviderLevel {
  if (mode === 'outage' || mode === 'hang') return 'major';
  if (mode === 'intermittent') return 'minor';
  return 'none';
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`The sandbox only listens on loopback (127.0.0.1, localhost, ::1), not ${host}.`);
  const startedAt = Date.now();

  // All state lives in memory and is rebuilt by reset().
  let tickets = seedTickets(startedAt);
  let mode: GraphMode = 'healthy';
  let failureRatio = 0.5;
  let outageKind: OutageKind = 'rotate';
  let overrides: Record<string, GraphMode> = {};
  // How long after Meta's answer the helpdesk shows the reply delivered or failed (a slow helpdesk).
  let confirmDelayMs = 0;
  let sent: SentMessage[] = [];
  let attempts = 0;
  let counters: GraphCounters = { outageCalls: 0, intermittentCalls: 0 };
  let statusForces: StatusForces = { statuspage: 'auto', zendesk: 'auto', meta: 'auto' };
  let delays: UiDelays = { ...NO_DELAYS };
  let eventSeq = 0;
  // When the reported provider level last changed, so incidents get a stable start time.
  const levelSince: Record<StatusSource, { level: ProviderLevel; since: string }> = {
    statuspage: { level: 'none', since: new Date(startedAt).toISOString() },
    zendesk: { level: 'none', since: new Date(startedAt).toISOString() },
    meta: { level: 'none', since: new Date(startedAt).toISOString() },
  };
  let seq = 0;
  let closed = false;

  // Connections and timers that close() and reset() must be able to cut.
  const sseClients = new Map<number, Set<ServerResponse>>();
  const hanging = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const outbound = new Set<http.ClientRequest>();

  // Zendesk's List Comments, derived from the tickets' messages (ticket-comments.ts).
  const comments = createTicketComments(
    (id) => tickets.get(id),
    () => origin(),
  );

  let port = 0;
  // Self-calls go to the address actually bound, so "localhost" can't resolve to the other IP family.
  let selfAddress = host;
  const urlHost = host === '::1' ? '[::1]' : host;
  const origin = () => `http://${urlHost}:${port}`;

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  function hang(res: ServerResponse): void {
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
  }

  function broadcast(ticketId: number, data: string, event?: string): void {
    const frame = `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;
    for (const res of sseClients.get(ticketId) ?? []) res.write(frame);
    // The single-page app's one stream for every ticket it has open (each frame names its ticket).
    for (const res of sseClients.get(ALL_TICKETS) ?? []) res.write(frame);
  }

  function updateMessage(ticket: Ticket, msg: SandboxMessage, patch: Partial<SandboxMessage>): void {
    const wasFailed = msg.status === 'failed';
    Object.assign(msg, patch, { version: msg.version + 1, updatedAt: new Date().toISOString() });
    broadcast(ticket.id, JSON.stringify(msg));
    // The events log keeps every failure (and a late delivery) for as long as the ticket exists.
    if (msg.status === 'failed' && !wasFailed) addEvent(ticket, 'failed', msg, msg.error?.message ?? null);
    if (msg.status === 'delivered' && wasFailed) addEvent(ticket, 'delivered_late', msg, null);
  }

  function addEvent(ticket: Ticket, kind: 'failed' | 'delivered_late', msg: SandboxMessage, detail: string | null): void {
    const event = {
      id: `e-${ticket.id}-${++eventSeq}`,
      ticketId: ticket.id,
      at: new Date().toISOString(),
      kind,
      messageId: msg.id,
      detail,
    };
    ticket.events.push(event);
    broadcast(ticket.id, JSON.stringify(event), 'ticket-event');
  }

  /** True while `msg` still belongs to live state (a reset or close drops it). */
  function isLive(ticket: Ticket, msg: SandboxMessage): boolean {
    return !closed && tickets.get(ticket.id) === ticket && ticket.messages.includes(msg);
  }

  function currentLevel(source: StatusSource): ProviderLevel {
    const force = statusForces[source];
    const level: ProviderLevel =
      force === 'operational' ? 'none' : force === 'outage' || force === 'hostile' ? 'major' : levelForMode(mode);
    const entry = levelSince[source];
    if (entry.level !== level) levelSince[source] = { level, since: new Date().toISOString() };
    return level;
  }

  /** Calls this server's own fake Graph Send API, the way a helpdesk backend calls Meta. */
  function callGraph(recipientId: string, text: string): Promise<GraphOutcome> {
    return new Promise((resolve) => {
      const payload = JSON.stringify({ recipient: { id: recipientId }, messaging_type: 'RESPONSE', message: { text } });
      let timedOut = false;
      const req = http.request(
        {
          host: selfAddress,
          port,
          method: 'POST',
          path: `/${GRAPH_VERSION}/me/messages?access_token=${ACCESS_TOKEN}`,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            clearTimeout(timer);
            outbound.delete(req);
            resolve(interpretGraphResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          });
          res.on('error', () => undefined);
        },
      );
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy();
      }, GRAPH_TIMEOUT_MS);
      req.on('error', (err) => {
        clearTimeout(timer);
        outbound.delete(req);
        resolve({
          ok: false,
          error: {
            code: null,
            subcode: null,
            type: null,
            message: timedOut ? 'Request timed out' : `Network error: ${err.message}`,
            httpStatus: null,
            fbtraceId: null,
            timedOut,
          },
        });
      });
      outbound.add(req);
      req.end(payload);
    });
  }

  async function deliver(ticket: Ticket, msg: SandboxMessage): Promise<void> {
    if (!isLive(ticket, msg) || msg.status !== 'pending') return;
    if (ticket.channel === 'email' || !ticket.customer.psid) {
      updateMessage(ticket, msg, { status: 'delivered' });
      return;
    }
    const outcome = await callGraph(ticket.customer.psid, msg.text);
    const show = () => {
      if (!isLive(ticket, msg)) return;
      if (outcome.ok) updateMessage(ticket, msg, { status: 'delivered', error: null, graphMessageId: outcome.messageId });
      else updateMessage(ticket, msg, { status: 'failed', error: outcome.error });
    };
    if (confirmDelayMs > 0) later(confirmDelayMs, show);
    else show();
  }

  function postReply(ticket: Ticket, text: string, internal: boolean, senderName: string = AGENT_NAME): SandboxMessage {
    const now = new Date().toISOString();
    const msg: SandboxMessage = {
      id: `m-${ticket.id}-a${++seq}`,
      ticketId: ticket.id,
      author: 'agent',
      senderName,
      text,
      createdAt: now,
      updatedAt: now,
      version: 1,
      internal,
      status: internal ? null : 'pending',
      error: null,
      graphMessageId: null,
    };
    ticket.messages.push(msg);
    broadcast(ticket.id, JSON.stringify(msg));
    if (!internal) later(SEND_DELAY_MS, () => void deliver(ticket, msg));
    return msg;
  }

  // Zendesk's API with the agent's session and CSRF token (sandbox/zendesk-api.ts).
  const zendeskApi = createZendeskApi({ tickets: () => tickets, origin, addComment: postReply, readJson, sendJson });

  function abortInFlight(): void {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const req of outbound) req.destroy();
    outbound.clear();
    for (const res of hanging) res.socket?.destroy();
    hanging.clear();
  }

  function reset(): void {
    abortInFlight();
    tickets = seedTickets(Date.now());
    mode = 'healthy';
    failureRatio = 0.5;
    outageKind = 'rotate';
    overrides = {};
    confirmDelayMs = 0;
    comments.reset();
    sent = [];
    attempts = 0;
    counters = { outageCalls: 0, intermittentCalls: 0 };
    statusForces = { statuspage: 'auto', zendesk: 'auto', meta: 'auto' };
    delays = { ...NO_DELAYS };
    zendeskApi.reset();
    // Open ticket pages reload their log on this event.
    for (const clients of sseClients.values()) for (const res of clients) res.write('event: reset\ndata: {}\n\n');
  }

  function state(): SandboxState {
    return { mode, failureRatio, outageKind, overrides, confirmDelayMs, sent, attempts, status: statusForces, delays };
  }

  // ---- route handlers ----

  async function handleGraph(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    attempts++;
    const graphError = (status: number, message: string, code: number, type = 'OAuthException') =>
      sendJson(res, status, { error: { message, type, code, fbtrace_id: fbtraceId() } });
    const auth = req.headers.authorization;
    const token = url.searchParams.get('access_token') ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : null);
    if (!token) return graphError(400, 'An active access token must be used to query information about the current user.', 2500);
    const body = await readJson(req).catch(() => null);
    const recipientId = isRecord(body) && isRecord(body.recipient) ? body.recipient.id : undefined;
    const text = isRecord(body) && isRecord(body.message) ? body.message.text : undefined;
    if (typeof recipientId !== 'string' || recipientId === '') return graphError(400, '(#100) The parameter recipient is required', 100);
    if (typeof text !== 'string' || text === '') return graphError(400, '(#100) param message must be non-empty.', 100);
    const answer = answerFor(overrides[recipientId] ?? mode, { outageKind, failureRatio }, counters);
    if (answer.kind === 'hang') return hang(res);
    if (answer.kind === 'error') {
      return sendJson(
        res,
        answer.httpStatus,
        { error: { ...answer.error, fbtrace_id: fbtraceId() } },
        { 'www-authenticate': 'OAuth "Facebook Platform"' },
      );
    }
    const record: SentMessage = { message_id: graphMessageId(), recipient_id: recipientId, text, at: new Date().toISOString() };
    sent.push(record);
    sendJson(res, 200, { recipient_id: recipientId, message_id: record.message_id });
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse, ticket: Ticket | typeof ALL_TICKETS): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    const key = ticket === ALL_TICKETS ? ALL_TICKETS : ticket.id;
    let clients = sseClients.get(key);
    if (!clients) {
      clients = new Set();
      sseClients.set(key, clients);
    }
    clients.add(res);
    req.on('close', () => clients.delete(res));
  }

  async function handleReply(req: IncomingMessage, res: ServerResponse, ticket: Ticket): Promise<void> {
    const body = await readJson(req);
    if (!isRecord(body) || typeof body.text !== 'string') throw new HttpError(400, 'Body must be {"text": string, "internal"?: boolean}.');
    const text = body.text.trim();
    if (text === '') throw new HttpError(400, 'text must not be empty.');
    if (text.length > MAX_REPLY_CHARS) throw new HttpError(400, `text must be at most ${MAX_REPLY_CHARS} characters.`);
    if (body.internal !== undefined && typeof body.internal !== 'boolean') throw new HttpError(400, 'internal must be a boolean.');
    sendJson(res, 201, { message: postReply(ticket, text, body.internal === true) });
  }

  async function handleDeliverLate(req: IncomingMessage, res: ServerResponse, ticket: Ticket): Promise<void> {
    const body = await readJson(req);
    if (!isRecord(body) || typeof body.messageId !== 'string') throw new HttpError(400, 'Body must be {"messageId": string}.');
    const msg = ticket.messages.find((m) => m.id === body.messageId);
    if (!msg) throw new HttpError(404, `No message ${body.messageId} in ticket ${ticket.id}.`);
    if (msg.status !== 'failed') throw new HttpError(409, `Message ${msg.id} is ${msg.status ?? 'not an outbound reply'}, not failed.`);
    const record: SentMessage = {
      message_id: graphMessageId(),
      recipient_id: ticket.customer.psid ?? ticket.customer.email ?? '',
      text: msg.text,
      at: new Date().toISOString(),
    };
    sent.push(record);
    updateMessage(ticket, msg, { status: 'delivered', error: null, graphMessageId: record.message_id });
    sendJson(res, 200, { message: msg, sent: record });
  }

  function handleStatusSource(
    res: ServerResponse,
    source: StatusSource,
    body: (level: ProviderLevel, since: string, hostile: boolean) => unknown,
  ): void {
    const force = statusForces[source];
    if (force === 'hang') {
      hang(res);
      return;
    }
    if (force === 'html' || force === '500') {
      sendHtml(
        res,
        force === 'html' ? 200 : 500,
        force === 'html' ? STATUS_HTML : '<!doctype html><title>500</title><h1>Internal Server Error</h1>',
      );
      return;
    }
    const level = currentLevel(source);
    // Public status APIs allow any origin; the extension polls them from its own origin.
    sendJson(res, 200, body(level, levelSince[source].since, force === 'hostile'), { 'access-control-allow-origin': '*' });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin());
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const is = (m: string) => {
      if (method === m || (m === 'GET' && method === 'HEAD')) return true;
      throw new HttpError(405, `Use ${m} for ${path}.`);
    };
    const graphMatch = /^\/v\d+\.\d+\/(.*)$/.exec(path);
    if (graphMatch) {
      if (graphMatch[1] === 'me/messages' && method === 'POST') return handleGraph(req, res, url);
      return sendJson(res, 400, {
        error: { message: `Unknown path components: /${graphMatch[1] ?? ''}`, type: 'OAuthException', code: 2500, fbtrace_id: fbtraceId() },
      });
    }
    if (method === 'GET' && (path === '/' || /^\/(agent|app)\//.test(path))) zendeskApi.ensureSession(req, res);
    if (await zendeskApi.handle(req, res, url)) return;
    if (path === '/' && is('GET')) return sendHtml(res, 200, indexPage([...tickets.values()]));
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const publicMatch = /^\/public\/([^/]+)$/.exec(path);
    if (publicMatch && is('GET')) {
      const name = publicMatch[1] ?? '';
      if (!PUBLIC_FILE.test(name)) throw new HttpError(404, 'Not found.');
      const data = await readFile(PUBLIC_DIR + name).catch(() => null);
      if (!data) throw new HttpError(404, 'Not found.');
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(data);
      return;
    }
    // The single-page helpdesk: any of its paths loads the same app, which opens the ticket in the path.
    const pageMatch = /^\/agent\/tickets\/(\d+)\/?$/.exec(path);
    if ((pageMatch || path === '/agent/dashboard' || path === '/agent') && is('GET')) {
      const ticket = pageMatch ? tickets.get(Number(pageMatch[1])) : undefined;
      if (pageMatch && !ticket) return sendHtml(res, 404, notFoundPage());
      const q = url.searchParams.get('lang');
      const lang: Lang = q === 'de' || q === 'en' ? q : (ticket?.lang ?? 'en');
      const summaries = [...tickets.values()].map(ticketSummary);
      return sendHtml(res, 200, appPage(ticket ? ticketSummary(ticket) : null, lang, summaries, parseVariant(url.searchParams)));
    }
    // Chatwoot-like view of the same tickets (conversation id = ticket id), same reply and Graph machinery.
    const chatwootMatch = /^\/app\/accounts\/(\d+)\/conversations\/(\d+)\/?$/.exec(path);
    if (chatwootMatch && is('GET')) {
      const ticket = Number(chatwootMatch[1]) === CHATWOOT_ACCOUNT_ID ? tickets.get(Number(chatwootMatch[2])) : undefined;
      if (!ticket) return sendHtml(res, 404, notFoundPage());
      const q = url.searchParams.get('lang');
      return sendHtml(res, 200, chatwootPage(ticket, q === 'de' || q === 'en' ? q : ticket.lang, [...tickets.values()]));
    }
    if (await comments.handle(req, res, url)) return;
    const restMatch = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(path);
    if (restMatch && is('GET')) {
      // A busy helpdesk answers its ticket API late, after the agent may have moved to another ticket.
      if (delays.ticketApiMs > 0) await new Promise((resolve) => setTimeout(resolve, delays.ticketApiMs));
      if (closed) return;
      const ticket = tickets.get(Number(restMatch[1]));
      if (!ticket) return sendJson(res, 404, { error: 'RecordNotFound', description: 'Not found' });
      return sendJson(res, 200, zendeskTicketJson(ticket, origin()));
    }
    // One message with the provider's error in Graph's own shape, as helpdesks re-fetch a failed reply.
    const messageMatch = /^\/api\/sandbox\/tickets\/(\d+)\/messages\/([\w-]{1,100})$/.exec(path);
    if (messageMatch && is('GET')) {
      const msg = tickets.get(Number(messageMatch[1]))?.messages.find((m) => m.id === messageMatch[2]);
      if (!msg) throw new HttpError(404, `No message ${messageMatch[2] ?? ''} in ticket ${messageMatch[1] ?? ''}.`);
      return sendJson(res, 200, { message: msg, delivery: { status: msg.status, error: graphShape(msg.error) } });
    }
    // One stream for every ticket, as a single-page app keeps one connection (a browser allows only
    // six per host over HTTP/1.1: one per opened ticket would starve the app's own requests).
    if (path === '/api/sandbox/events' && is('GET')) return handleEvents(req, res, ALL_TICKETS);
    const pageApiMatch = /^\/api\/sandbox\/tickets\/(\d+)\/(messages|replies|events)$/.exec(path);
    if (pageApiMatch) {
      const ticket = tickets.get(Number(pageApiMatch[1]));
      if (!ticket) throw new HttpError(404, `No ticket ${pageApiMatch[1] ?? ''}.`);
      if (pageApiMatch[2] === 'messages' && is('GET')) return sendJson(res, 200, { messages: ticket.messages, events: ticket.events });
      if (pageApiMatch[2] === 'events' && is('GET')) return handleEvents(req, res, ticket);
      if (pageApiMatch[2] === 'replies' && is('POST')) return handleReply(req, res, ticket);
    }
    if (path === '/status/statuspage/api/v2/summary.json' && is('GET')) {
      return handleStatusSource(res, 'statuspage', (level, since, hostile) =>
        statuspageSummary(level, origin(), since, new Date().toISOString(), hostile),
      );
    }
    if (path === '/status/statuspage/api/v2/status.json' && is('GET')) {
      return handleStatusSource(res, 'statuspage', (level, since, hostile) =>
        statuspageStatus(level, origin(), since, new Date().toISOString(), hostile),
      );
    }
    if (path === '/status/zendesk/api/incidents/active' && is('GET')) {
      return handleStatusSource(res, 'zendesk', (level, since, hostile) => zendeskActiveIncidents(level, since, hostile));
    }
    if (path === '/status/meta/orgs.json' && is('GET')) {
      return handleStatusSource(res, 'meta', (level, since, hostile) => metaOrgs(level, since, hostile));
    }
    const metaOrg = /^\/status\/meta\/([a-z0-9-]{1,60})$/.exec(path);
    if (metaOrg && is('GET')) return sendHtml(res, 200, metaOrgPage(metaOrg[1] ?? ''));
    if (path === '/__sandbox/state' && is('GET')) return sendJson(res, 200, state());
    // What the app reads before each navigation: how late to swap workspaces and render a new one.
    if (path === '/api/sandbox/ui' && is('GET')) return sendJson(res, 200, { delays });
    if (path === '/__sandbox/delays' && is('POST')) {
      const parsed = parseDelays(await readJson(req), delays);
      if (typeof parsed === 'string') throw new HttpError(400, parsed);
      delays = parsed;
      return sendJson(res, 200, state());
    }
    if (path === '/__sandbox/sent' && is('GET')) return sendJson(res, 200, sent);
    if (path === '/__sandbox/control' && is('GET')) return sendHtml(res, 200, controlPage(GRAPH_MODES, OUTAGE_KINDS, STATUS_FORCES));
    if (path === '/__sandbox/mode' && is('POST')) {
      const parsed = parseModeRequest(await readJson(req));
      if (typeof parsed === 'string') throw new HttpError(400, parsed);
      mode = parsed.mode ?? mode;
      failureRatio = parsed.failureRatio ?? failureRatio;
      outageKind = parsed.outageKind ?? outageKind;
      overrides = parsed.overrides ?? overrides;
      confirmDelayMs = parsed.confirmDelayMs ?? confirmDelayMs;
      // Restart rotation and the intermittent pattern so tests see the same sequence every time.
      counters = { outageCalls: 0, intermittentCalls: 0 };
      return sendJson(res, 200, state());
    }
    if (path === '/__sandbox/status' && is('POST')) {
      const body = await readJson(req);
      if (!isRecord(body)) throw new HttpError(400, 'Body must be a JSON object like {"statuspage":"outage"}.');
      const next = { ...statusForces };
      for (const [key, value] of Object.entries(body)) {
        if (!(STATUS_SOURCES as readonly string[]).includes(key))
          throw new HttpError(400, `Unknown status source ${key}. Known: ${STATUS_SOURCES.join(', ')}.`);
        if (!isStatusForce(value))
          throw new HttpError(400, `Unknown state ${JSON.stringify(value)} for ${key}. Known: ${STATUS_FORCES.join(', ')}.`);
        next[key as StatusSource] = value;
      }
      statusForces = next;
      return sendJson(res, 200, state());
    }
    if (path === '/__sandbox/reset' && is('POST')) {
      reset();
      return sendJson(res, 200, state());
    }
    const lateMatch = /^\/__sandbox\/tickets\/(\d+)\/deliver-late$/.exec(path);
    if (lateMatch && is('POST')) {
      const ticket = tickets.get(Number(lateMatch[1]));
      if (!ticket) throw new HttpError(404, `No ticket ${lateMatch[1] ?? ''}.`);
      return handleDeliverLate(req, res, ticket);
    }
    throw new HttpError(404, `Nothing at ${method} ${path}.`);
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) sendJson(res, err.status, { error: err.message });
      else {
        console.error('[sandbox] handler failed:', err);
        sendJson(res, 500, { error: 'Internal sandbox error.' });
      }
    });
  });

  // Comment frames keep SSE connections from idling out behind proxies or browser heuristics.
  const heartbeat = setInterval(() => {
    for (const clients of sseClients.values()) for (const res of clients) res.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;
  selfAddress = bound.address;

  let closing: Promise<void> | null = null;
  return {
    url: origin(),
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        clearInterval(heartbeat);
        zendeskApi.close();
        abortInFlight();
        for (const clients of sseClients.values()) for (const res of clients) res.end();
        sseClients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** A stored delivery error as Meta sent it: `{error: {message, type, code, error_subcode?, fbtrace_id}}`; none without a code. */
function graphShape(error: DeliveryError | null): { error: Record<string, unknown> } | null {
  if (!error || error.code === null) return null;
  const { message, type, code, subcode, fbtraceId } = error;
  return { error: { message, type, code, ...(subcode !== null ? { error_subcode: subcode } : {}), fbtrace_id: fbtraceId } };
}

/** Turns the fake Graph API's HTTP answer into a delivery outcome. */
function interpretGraphResponse(status: number, text: string): GraphOutcome {
  let body: unknown = null;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // A non-JSON answer is handled below as a bare HTTP failure.
  }
  if (status === 200 && isRecord(body) && typeof body.message_id === 'string') return { ok: true, messageId: body.message_id };
  const err = isRecord(body) && isRecord(body.error) ? body.error : null;
  return {
    ok: false,
    error: {
      code: typeof err?.code === 'number' ? err.code : null,
      subcode: typeof err?.error_subcode === 'number' ? err.error_subcode : null,
      type: typeof err?.type === 'string' ? err.type : null,
      message: typeof err?.message === 'string' ? err.message : `HTTP ${status}`,
      httpStatus: status,
      fbtraceId: typeof err?.fbtrace_id === 'string' ? err.fbtrace_id : null,
      timedOut: false,
    },
  };
}
