import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { queueEntries } from '@/components/QueueList';
import { countByChannel, openQueueDB, type QueueDatabase, readFirstReplies, readReplies, readTombstones } from '@/core/queue/db';
import { queueToCsv, queueToJson } from '@/core/queue/export';
import type { QueuedReply } from '@/core/queue/record';
import { DEFAULT_RETENTION, duePurge, purgeAt, purgeExpired, staleUnsent } from '@/core/queue/retention';
import { UNSENT_STATES } from '@/core/queue/states';
import { isUnsent } from '@/core/queue/transitions';
import { INCIDENT_START, queuedRecord } from '../fixtures/replies';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const open: QueueDatabase[] = [];
let n = 0;

async function freshDB(): Promise<QueueDatabase> {
  const db = await openQueueDB(`retention-${++n}-${Math.random().toString(36).slice(2)}`);
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function record(id: string, state: QueuedReply['state'], createdAt: number, updatedAt = createdAt): QueuedReply {
  return queuedRecord({
    id,
    idempotencyKey: `key-${id}`,
    messageIds: [`m-${id}`],
    state,
    createdAt,
    updatedAt,
    firstFailedAt: createdAt,
    ...(state === 'sending' ? { leaseUntil: updatedAt + 60_000 } : {}),
  });
}

describe('retention rules', () => {
  it('purges sent and handed-off replies 24 h after they were done, and never an unsent one', () => {
    expect(purgeAt(record('a', 'sent', INCIDENT_START, INCIDENT_START + HOUR), DEFAULT_RETENTION)).toBe(INCIDENT_START + HOUR + DAY);
    expect(purgeAt(record('b', 'handed_off', INCIDENT_START), DEFAULT_RETENTION)).toBe(INCIDENT_START + DAY);
    for (const state of ['queued', 'needs_attention', 'sending', 'unconfirmed'] as const)
      expect(purgeAt(record('c', state, INCIDENT_START, INCIDENT_START + 3 * DAY), DEFAULT_RETENTION)).toBe(Number.POSITIVE_INFINITY);
  });

  it('flags unsent replies older than the retention age in force, and only those', () => {
    const records = [
      record('q-8d', 'queued', INCIDENT_START),
      record('q-1d', 'queued', INCIDENT_START + 7 * DAY),
      record('s', 'sent', INCIDENT_START),
    ];
    expect(staleUnsent(records, INCIDENT_START + 8 * DAY, DEFAULT_RETENTION).map((r) => r.id)).toEqual(['q-8d']);
    // A policy of 1 hour (the least allowed) flags the younger one too.
    const policy = { ...DEFAULT_RETENTION, maxAgeMs: HOUR };
    expect(staleUnsent(records, INCIDENT_START + 8 * DAY, policy).map((r) => r.id)).toEqual(['q-8d', 'q-1d']);
  });

  it('lists what the next purge takes, so the popup can offer an export first', () => {
    const records = [
      record('sent-old', 'sent', INCIDENT_START),
      record('sent-new', 'sent', INCIDENT_START + 2 * DAY),
      record('queued-old', 'queued', INCIDENT_START),
    ];
    const due = duePurge(records, INCIDENT_START + 2 * DAY, DEFAULT_RETENTION);
    expect(due.map((r) => r.id)).toEqual(['sent-old']);
    expect(duePurge(records, INCIDENT_START + 30 * DAY, DEFAULT_RETENTION).map((r) => r.id)).toEqual(['sent-old', 'sent-new']);
  });
});

describe('purgeExpired', () => {
  it('deletes exactly the records that are due and keeps every reply still waiting', async () => {
    const db = await freshDB();
    const now = INCIDENT_START + 3 * DAY;
    for (const r of [
      record('sent-2d', 'sent', INCIDENT_START, INCIDENT_START + DAY),
      record('handed-1h', 'handed_off', now - HOUR),
      record('discarded-2d', 'discarded', now - 2 * DAY),
      record('queued-3d', 'queued', INCIDENT_START),
      record('queued-8d', 'queued', now - 8 * DAY),
      record('sending-8d', 'sending', now - 8 * DAY, now - 10_000),
    ]) {
      await db.put('replies', r);
    }
    expect(await purgeExpired(db, now, DEFAULT_RETENTION)).toEqual({ purged: 2, quarantined: 0, tombstonesDropped: 0 });
    const left = (await readReplies(db)).replies.map((r) => r.id).sort();
    // Unsent replies stay however old; a reply mid-send is never cut off.
    expect(left).toEqual(['handed-1h', 'queued-3d', 'queued-8d', 'sending-8d']);
    // Each deleted reply left its tombstone: ids and key, never the text.
    const tombstones = await readTombstones(db);
    expect(tombstones.map((t) => [t.id, t.finalState, t.messageIds]).sort()).toEqual([
      ['discarded-2d', 'discarded', ['m-discarded-2d']],
      ['sent-2d', 'sent', ['m-sent-2d']],
    ]);
    expect(JSON.stringify(tombstones)).not.toContain('refund');
  });

  it('keeps tombstones for the horizon in force, then drops them; past the cap the oldest go first', async () => {
    const db = await freshDB();
    for (let i = 0; i < 5; i++) await db.put('replies', record(`sent-${i}`, 'sent', INCIDENT_START + i * HOUR));
    await purgeExpired(db, INCIDENT_START + 3 * DAY, DEFAULT_RETENTION);
    expect(await db.count('tombstones')).toBe(5);
    // 89 days on: still there (default horizon 90 days).
    expect((await purgeExpired(db, INCIDENT_START + 89 * DAY, DEFAULT_RETENTION)).tombstonesDropped).toBe(0);
    // A cap of 3: the two oldest go.
    expect((await purgeExpired(db, INCIDENT_START + 89 * DAY, DEFAULT_RETENTION, 3)).tombstonesDropped).toBe(2);
    expect((await readTombstones(db)).map((t) => t.id).sort()).toEqual(['sent-2', 'sent-3', 'sent-4']);
    // A 30-day horizon (a setting) drops the rest now.
    const shorter = { ...DEFAULT_RETENTION, tombstoneMs: 30 * DAY };
    expect((await purgeExpired(db, INCIDENT_START + 89 * DAY, shorter)).tombstonesDropped).toBe(3);
  });
});

/** The queue's database exactly as an earlier release created it (1; 2 with the retention index; 3 with tombstones). */
function releasedSchema(name: string, version: 1 | 2 | 3) {
  return openDB(name, version, {
    upgrade(db) {
      const replies = db.createObjectStore('replies', { keyPath: 'id' });
      replies.createIndex('by-key', 'idempotencyKey', { unique: true });
      replies.createIndex('by-message', 'messageIds', { multiEntry: true });
      replies.createIndex('by-ticket', ['helpdeskOrigin', 'ticketId']);
      replies.createIndex('by-state', 'state');
      if (version >= 2) replies.createIndex('by-updated', 'updatedAt');
      db.createObjectStore('quarantine', { keyPath: 'id' });
      if (version >= 3) {
        const tombstones = db.createObjectStore('tombstones', { keyPath: 'id' });
        tombstones.createIndex('by-key', 'idempotencyKey');
        tombstones.createIndex('by-message', 'messageIds', { multiEntry: true });
        tombstones.createIndex('by-ticket', ['helpdeskOrigin', 'ticketId']);
        tombstones.createIndex('by-ended', 'endedAt');
      }
    },
  });
}

describe('schema upgrade', () => {
  it('opens a version 1 database with its replies intact and adds the retention index', async () => {
    const name = `upgrade-${Math.random().toString(36).slice(2)}`;
    // Version 1 exactly as the first release created it.
    const v1 = await releasedSchema(name, 1);
    const kept = record('from-v1', 'queued', INCIDENT_START);
    await v1.put('replies', kept);
    v1.close();

    const db = await openQueueDB(name);
    open.push(db);
    expect(db.version).toBe(4);
    expect([...db.transaction('replies').store.indexNames].sort()).toEqual([
      'by-first-failed',
      'by-key',
      'by-message',
      'by-state',
      'by-state-channel',
      'by-ticket',
      'by-updated',
    ]);
    expect([...db.objectStoreNames].sort()).toEqual(['quarantine', 'replies', 'tombstones']);
    expect((await readReplies(db)).replies).toEqual([kept]);
    expect(await db.getAllFromIndex('replies', 'by-updated')).toEqual([kept]);
  });
});

describe('schema upgrade to v3', () => {
  it('opens a version 2 database with its replies intact; a reply sent before the upgrade still gets its tombstone when purged', async () => {
    const name = `upgrade-v2-${Math.random().toString(36).slice(2)}`;
    const v2 = await releasedSchema(name, 2);
    const sent = record('sent-in-v2', 'sent', INCIDENT_START);
    await v2.put('replies', sent);
    v2.close();
    const db = await openQueueDB(name);
    open.push(db);
    expect((await readReplies(db)).replies).toEqual([sent]);
    await purgeExpired(db, INCIDENT_START + 2 * DAY, DEFAULT_RETENTION);
    expect((await readTombstones(db)).map((t) => t.id)).toEqual(['sent-in-v2']);
  });
});

describe('the start of the list (popup first screen)', () => {
  /** 5 tickets, their replies interleaved in time; some ended. */
  const records = Array.from({ length: 40 }, (_, i) => {
    const state: QueuedReply['state'] = i % 7 === 3 ? 'sent' : i % 11 === 5 ? 'needs_attention' : 'queued';
    return { ...record(`r${i}`, state, INCIDENT_START + i * 60_000), ticketId: String(4700 + ((i * 3) % 5)) };
  });
  /** The lines the popup lists by default (unsent only), as keys. */
  const lines = (replies: readonly QueuedReply[]) => queueEntries(replies.filter(isUnsent)).map((entry) => entry.key);

  it('gives the same first lines as the whole queue, each ticket whole, without reading every ticket', async () => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
    const db = await freshDB();
    for (const r of [...records].reverse()) await db.put('replies', r);
    const all = (await readReplies(db)).replies;
    // Each ticket holds 8 records, 5 or 6 of them unsent: 10 unsent replies take the first two tickets.
    const start = await readFirstReplies(db, 10);
    const tickets = new Set(start.map((r) => r.ticketId));
    expect([...tickets]).toEqual(['4700', '4703']);
    // Each comes whole: all its records, ended ones too.
    expect(start.map((r) => r.id).sort()).toEqual(
      all
        .filter((r) => tickets.has(r.ticketId))
        .map((r) => r.id)
        .sort(),
    );
    const first = lines(start);
    expect(first.length).toBeGreaterThan(3);
    expect(lines(all).slice(0, first.length)).toEqual(first);
    expect(lines(all).length).toBeGreaterThan(first.length);
  });

  it('counts unsent replies per channel without reading them; ended ones are not counted', async () => {
    const db = await freshDB();
    await db.put('replies', { ...record('m1', 'queued', INCIDENT_START), channel: 'messenger' });
    await db.put('replies', { ...record('m2', 'sent', INCIDENT_START), channel: 'messenger' });
    await db.put('replies', { ...record('i1', 'unconfirmed', INCIDENT_START), channel: 'instagram' });
    await db.put('replies', { ...record('i2', 'needs_attention', INCIDENT_START), channel: 'instagram' });
    await db.put('replies', { ...record('w1', 'handed_off', INCIDENT_START), channel: 'whatsapp' });
    expect(await countByChannel(db, UNSENT_STATES)).toEqual(
      new Map([
        ['messenger', 1],
        ['instagram', 2],
      ]),
    );
  });

  it('skips ended replies and damaged records when choosing tickets', async () => {
    const db = await freshDB();
    await db.put('replies', { ...record('done', 'sent', INCIDENT_START), ticketId: '1' });
    await db.put('replies', { ...record('bad', 'queued', INCIDENT_START + 1), ticketId: '2', text: 42 } as unknown as QueuedReply);
    await db.put('replies', { ...record('waiting', 'queued', INCIDENT_START + 2), ticketId: '3' });
    expect((await readFirstReplies(db, 1)).map((r) => r.id)).toEqual(['waiting']);
  });

  it('reads a version 3 database after the upgrade: its replies are found by their first failure', async () => {
    const name = `upgrade-v3-${Math.random().toString(36).slice(2)}`;
    const v3 = await releasedSchema(name, 3);
    await v3.put('replies', { ...record('later', 'queued', INCIDENT_START + HOUR), ticketId: '9' });
    await v3.put('replies', { ...record('earlier', 'queued', INCIDENT_START), ticketId: '8' });
    v3.close();
    const db = await openQueueDB(name);
    open.push(db);
    expect(db.version).toBe(4);
    expect((await readFirstReplies(db, 1)).map((r) => r.id)).toEqual(['earlier']);
    // The per-channel counts (the status lines) count records stored before the upgrade.
    expect(await countByChannel(db, UNSENT_STATES)).toEqual(new Map([['messenger', 2]]));
  });
});

describe('export', () => {
  const reply = queuedRecord({
    text: 'Hi "Jana",\nyour refund, 49.90 EUR, is on its way.',
    customerName: '=HYPERLINK("http://evil")',
  });

  it('JSON carries every reply and its history, readable back', () => {
    const parsed = JSON.parse(queueToJson([reply], INCIDENT_START));
    expect(parsed).toMatchObject({ format: 'send-guard-queue', version: 1, exportedAt: '2023-11-16T20:10:00.000Z' });
    expect(parsed.replies).toEqual([reply]);
  });

  it('CSV quotes commas, quotes and line breaks, and never lets a cell run as a formula', () => {
    const csv = queueToCsv([reply]);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(
      'id,state,channel,helpdeskOrigin,ticketId,customerName,pageId,userId,errorClass,errorCode,errorSubcode,firstFailedAt,updatedAt,attempts,text',
    );
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain('"Hi ""Jana"",\nyour refund, 49.90 EUR, is on its way."\r\n');
    expect(row).toContain('2023-11-16T20:10:00.000Z helpdesk failed');
  });
});
