import { openQueueDB, QUEUE_DB_NAME, type QueueDatabase } from '@/core/queue';
import { takeQueueFault } from './sandbox-hooks';

/**
 * One connection to the queue, reopened whenever it is lost: a failed open is retried on the next
 * call; a newer version's upgrade (`versionchange`) makes us close so it is not blocked; a
 * connection the browser closed (`terminated`) or that fails as closed is dropped and opened again.
 */
export function createQueueConnection(name = QUEUE_DB_NAME) {
  let current: Promise<QueueDatabase> | undefined;
  const forget = (dropped: Promise<QueueDatabase> | undefined) => {
    if (current === dropped) current = undefined;
  };
  const open = (): Promise<QueueDatabase> => {
    if (current) return current;
    const opening: Promise<QueueDatabase> = openQueueDB(name, {
      blocked: () => console.warn('[send-guard] the queue is held open by an older version; waiting for it to close'),
      blocking: (db) => {
        db.close();
        forget(opening);
      },
      terminated: () => forget(opening),
    }).catch((error: unknown) => {
      forget(opening);
      throw error;
    });
    current = opening;
    return opening;
  };
  return {
    db: open,
    /**
     * Runs a job on the queue; if the connection turns out closed (InvalidStateError), reopens
     * once and runs it again. Jobs are transactions, so a failed one changed nothing.
     */
    async use<T>(job: (db: QueueDatabase) => Promise<T>, options: { faultable?: boolean } = {}): Promise<T> {
      const first = open();
      const db = await first;
      if (options.faultable && (await takeQueueFault('closed'))) db.close();
      if (options.faultable && (await takeQueueFault('quota'))) {
        throw new DOMException('injected: the browser refused to store more (sandbox fault)', 'QuotaExceededError');
      }
      try {
        return await job(db);
      } catch (error) {
        if (!isClosedConnection(error)) throw error;
        forget(first);
        return job(await open());
      }
    },
    /** Closes and forgets the connection (tests). */
    async close(): Promise<void> {
      // A connection that never opened has nothing to close (its failure went to the job that opened it).
      const db = await current?.catch(() => undefined);
      current = undefined;
      db?.close();
    },
  };
}

function isClosedConnection(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'InvalidStateError';
}

const connection = createQueueConnection();

/** The queue's connection, reopened by each new worker and whenever it was lost. */
export const db = connection.db;
/** Runs one job on the queue, reopening a lost connection once. */
export const withQueueDb = connection.use;
