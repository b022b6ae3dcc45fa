import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { readReplies, recordFailure } from '@/core/queue/db';
import { createQueueConnection } from '@/entrypoints/background/db';
import { failedReply, INCIDENT_START } from '../fixtures/replies';

const name = () => `connection-${Math.random().toString(36).slice(2)}`;

describe("the worker's queue connection", () => {
  it('closes when a newer version wants to upgrade (versionchange), so that upgrade is not blocked', async () => {
    const dbName = name();
    const connection = createQueueConnection(dbName);
    await connection.db();
    // A newer release opening the same database: it waits forever if this connection stays open.
    const newer = await openDB(dbName, 99);
    expect(newer.version).toBe(99);
    newer.close();
  });

  it('reopens a connection found closed and runs the job again, losing nothing', async () => {
    const connection = createQueueConnection(name());
    (await connection.db()).close();
    await connection.use((db) => recordFailure(db, failedReply(), 'rec-1', INCIDENT_START));
    expect((await connection.use((db) => readReplies(db))).replies.map((r) => r.id)).toEqual(['rec-1']);
    await connection.close();
  });
});
