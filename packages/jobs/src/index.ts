// Public API of @repo/jobs: the queue contract, job ids, producer (api) and consumer (worker).
export * from './contract.js';
export { writeJobId, canonicalJson, assertValidJobId } from './job-id.js';
export type { WriteJobIdInput } from './job-id.js';
export {
  toRedisOptions,
  failFastOptions,
  blockingOptions,
  createFailFastClient,
  whenReady,
} from './connection.js';
export type { ConnectionInput } from './connection.js';
export { admitPending, pendingKey, DEFAULT_PENDING_TTL_MS, RESCAN_AFTER_MS } from './pending.js';
export type { Admission } from './pending.js';
export { createProducer, QueueUnavailableError, DEFAULT_JOB_OPTIONS } from './producer.js';
export type {
  Producer,
  ProducerOptions,
  ExecuteOutcome,
  QueueCounts,
  ProducerDiagnostics,
  JobDefaults,
} from './producer.js';
export { silentLogger } from './log.js';
export type { Logger } from './log.js';
export { startWorkers, TransientError, DEFAULT_WORKER_OPTIONS } from './consumer.js';
export type { StartWorkersOptions, RunningWorkers, FinalFailure } from './consumer.js';
