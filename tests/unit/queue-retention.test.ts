import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { openQueueDB, type QueueDatabase, readReplies } from '@/utils/queue/db';
import { queueToCsv, queueToJson } from '@/utils/queue/export';
import type { QueuedReply } from '@/utils/queue/record';
import { DEFAULT_RETENTION, duePurge, purgeAt, purgeExpired } from '@/utils/queue/retention';
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
  it('purges sent and handed-off replies 24 h after they were done, waiting ones after 7 days', () => {
    expect(purgeAt(record('a', 'sent', INCIDENT_START, INCIDENT_START + HOUR), DEFAULT_RETENTION)).toBe(INCIDENT_START + HOUR + DAY);
    expect(purgeAt(record('b', 'handed_off', INCIDENT_START), DEFAULT_RETENTION)).toBe(INCIDENT_START + DAY);
    expect(purgeAt(record('c', 'queued', INCIDENT_START, INCIDENT_START + 3 * DAY), DEFAULT_RETENTION)).toBe(INCIDENT_START + 7 * DAY);
    expect(purgeAt(record('d', 'needs_attention', INCIDENT_START), DEFAULT_RETENTION)).toBe(INCIDENT_START + 7 * DAY);
  });

  it('lists what the next purge takes, so the popup can offer an export first', () => {
    const records = [
      record('sent-old', 'sent', INCIDENT_START),
      record('sent-new', 'sent', INCIDENT_START + 2 * DAY),
      record('queued-old', 'queued', INCIDENT_START),
    ];
    const due = duePurge(records, INCIDENT_START + 2 * DAY, DEFAULT_RETENTION);
    expect(due.map((r) => r.id)).toEqual(['sent-old']);
    expect(duePurge(records, INCIDENT_START + 7 * DAY, DEFAULT_RETENTION).map((r) => r.id)).toEqual(['sent-old', 'sent-new', 'queued-old']);
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
    expect(await purgeExpired(db, now, DEFAULT_RETENTION)).toBe(3);
    const left = (await readReplies(db)).replies.map((r) => r.id).sort();
    // A reply mid-send is never cut off; the next purge after it settles takes it.
    expect(left).toEqual(['handed-1h', 'queued-3d', 'sending-8d']);
  });
});

describe('schema upgrade', () => {
  it('opens a version 1 database with its replies intact and adds the retention index', async () => {
    const name = `upgrade-${Math.random().toString(36).slice(2)}`;
    // Version 1 exactly as the first release created it.
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        const replies = db.createObjectStore('replies', { keyPath: 'id' });
        replies.createIndex('by-key', 'idempotencyKey', { unique: true });
        replies.createIndex('by-message', 'messageIds', { multiEntry: true });
        replies.createIndex('by-ticket', ['helpdeskOrigin', 'ticketId']);
        replies.createIndex('by-state', 'state');
        db.createObjectStore('quarantine', { keyPath: 'id' });
      },
    });
    const kept = record('from-v1', 'queued', INCIDENT_START);
    await v1.put('replies', kept);
    v1.close();

    const db = await openQueueDB(name);
    open.push(db);
    expect(db.version).toBe(2);
    expect([...db.transaction('replies').store.indexNames].sort()).toEqual(['by-key', 'by-message', 'by-state', 'by-ticket', 'by-updated']);
    expect((await readReplies(db)).replies).toEqual([kept]);
    expect(await db.getAllFromIndex('replies', 'by-updated')).toEqual([kept]);
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
