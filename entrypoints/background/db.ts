import { openQueueDB, type QueueDatabase } from '@/utils/queue/db';

let dbPromise: Promise<QueueDatabase> | undefined;

/** The queue's connection, reopened by each new worker; a failed open is retried on the next call. */
export function db(): Promise<QueueDatabase> {
  dbPromise ??= openQueueDB().catch((error: unknown) => {
    dbPromise = undefined;
    throw error;
  });
  return dbPromise;
}
