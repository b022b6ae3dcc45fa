// The queue's public API: what the rest of the extension may use. The IndexedDB schema (store and
// index names, versions, upgrades) stays private to db.ts; only the extension's own origin opens it.

export {
  applyEvent,
  type ConnectionEvents,
  countByChannel,
  countInStates,
  countQuarantined,
  deleteQuarantined,
  getReply,
  InvalidRecordError,
  isKnownFailure,
  openQueueDB,
  QUEUE_DB_NAME,
  type QuarantinedRecord,
  type QueueDatabase,
  type ReadResult,
  type RecordFailureResult,
  readFirstReplies,
  readQuarantine,
  readReplies,
  readTombstones,
  recordFailure,
  settleLapsedLeases,
} from './db';
export { queueToCsv, queueToJson } from './export';
export {
  Attempt,
  AttemptOutcome,
  AttemptPath,
  FailedReply,
  HelpdeskOrigin,
  QueuedReply,
  SendError,
  Tombstone,
} from './record';
export { DEFAULT_RETENTION, duePurge, type PurgeResult, purgeAt, purgeExpired, RetentionSettings, staleUnsent } from './retention';
export { reportedError, sanitizeReport } from './sanitize';
export { CLAIMABLE_STATES, FINAL_STATES, REFUSED_UNCONFIRMED, UNSENT_STATES } from './states';
export { DEFAULT_TOMBSTONE_MS } from './tombstones';
export {
  DEFAULT_LEASE_MS,
  idempotencyKey,
  isClaimable,
  isLeaseLapsed,
  isUnsent,
  newRecord,
  type ReplyEvent,
  type TransitionResult,
  transition,
} from './transitions';
