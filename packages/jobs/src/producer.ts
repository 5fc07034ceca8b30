// The api's side of the queue: enqueue a job, or execute a write and await its outcome (bounded).
// Every path answers: a down Redis becomes `unavailable` within redisTimeoutMs, a slow job becomes
// `timeout` after waitTimeoutMs (the job goes on), a crowded organization becomes `busy`.
import { Queue, QueueEvents } from 'bullmq';
import type { JobsOptions } from 'bullmq';
import {
  DEFAULT_REDIS_TIMEOUT_MS,
  blockingOptions,
  closeClient,
  createFailFastClient,
  whenReady,
} from './connection.js';
import type { ConnectionInput } from './connection.js';
import { jobKeys, jobs, parseJobData, queueNames, safeParseJobResult } from './contract.js';
import type { JobInput, JobName, JobResult, QueueName } from './contract.js';
import { DeadlineExceeded, settledWithin, withDeadline } from './deadline.js';
import { assertValidJobId } from './job-id.js';
import { silentLogger } from './log.js';
import type { Logger } from './log.js';
import { DEFAULT_PENDING_TTL_MS, admitPending } from './pending.js';
import { OutcomeWaiters } from './waiters.js';
import type { Finished, Waiter } from './waiters.js';

/** Job options applied to every job unless overridden. */
export const DEFAULT_JOB_OPTIONS = {
  // 1 s, 2 s, 4 s … 64 s (±20 %): about two minutes of retries, inside the pending-set TTL.
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.2 },
  // A client retry within 10 minutes gets the finished job's outcome instead of a re-run.
  removeOnComplete: { age: 600 },
  removeOnFail: { age: 86_400 },
} satisfies JobsOptions;

/**
 * Per queue, over DEFAULT_JOB_OPTIONS. Mail jobs are enqueued, never awaited, so a finished one
 * needs no outcome window: a re-enqueue of a sent e-mail finds its outbox row sent and skips it.
 * Keeping them 10 minutes cost about 1 kB of Redis per invitation (half the writes of an initial
 * sync); the last 1,000 stay for inspection.
 */
const QUEUE_JOB_OPTIONS: Partial<Record<QueueName, JobsOptions>> = {
  mail: { removeOnComplete: { count: 1_000 } },
};

export type JobDefaults = Pick<JobsOptions, 'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail'>;

export interface ProducerOptions {
  connection: ConnectionInput;
  /** BullMQ key prefix; producer and workers must use the same one. */
  prefix: string;
  defaultJobOptions?: JobDefaults;
  /** More writes than this pending for one organization → `busy`. */
  pendingLimitPerOrg: number;
  /** How long `execute` waits for the outcome before answering `timeout`. */
  waitTimeoutMs: number;
  /** Bound on the Redis round trips before the wait; past it → `unavailable`. Default 1000. */
  redisTimeoutMs?: number;
  /** Pending entries older than this are dropped (crash safety). Default 5 minutes. */
  pendingTtlMs?: number;
  /**
   * Once the awaited job failed an attempt and waits for its retry (a dependency is down), answer
   * `timeout` after this much longer rather than at waitTimeoutMs. Default 3000.
   */
  retryGraceMs?: number;
  retryAfterSeconds?: Partial<Record<'timeout' | 'busy' | 'unavailable', number>>;
  logger?: Logger;
}

export type ExecuteOutcome<N extends JobName> =
  | { kind: 'done'; jobId: string; result: JobResult<N> }
  | { kind: 'failed'; jobId: string; reason: string }
  | { kind: 'timeout'; jobId: string; retryAfterSeconds: number }
  | { kind: 'busy'; retryAfterSeconds: number }
  | { kind: 'unavailable'; retryAfterSeconds: number };

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Age of the oldest waiting job, null when none waits. */
  oldestWaitingAgeMs: number | null;
}

export interface ProducerDiagnostics {
  /** Listener counts on each open QueueEvents: stays 1/1 however many callers wait. */
  queueEvents: Partial<Record<QueueName, { completed: number; failed: number }>>;
  waiters: number;
}

export interface Producer {
  /** Validates and adds a job. Throws a ZodError on invalid data, QueueUnavailableError if Redis is. */
  enqueue<N extends JobName>(
    name: N,
    data: JobInput<N>,
    opts?: { jobId?: string; delayMs?: number },
  ): Promise<{ jobId: string }>;
  /** Adds (or joins) the job with this id and awaits its outcome. Throws only on invalid data. */
  execute<N extends JobName>(
    name: N,
    data: JobInput<N>,
    opts: { jobId: string; organizationId: string },
  ): Promise<ExecuteOutcome<N>>;
  counts(): Promise<Record<QueueName, QueueCounts>>;
  diagnostics(): ProducerDiagnostics;
  close(): Promise<void>;
}

export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

export function createProducer(options: ProducerOptions): Producer {
  const { prefix, pendingLimitPerOrg, waitTimeoutMs } = options;
  const redisTimeoutMs = options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
  const pendingTtlMs = options.pendingTtlMs ?? DEFAULT_PENDING_TTL_MS;
  const log = options.logger ?? silentLogger;
  const retryAfter = { timeout: 1, busy: 2, unavailable: 5, ...options.retryAfterSeconds };

  // One fail-fast connection for all commands (both queues and the pending set).
  const redis = createFailFastClient(options.connection, `${prefix}:producer`, redisTimeoutMs);
  const queues = new Map<QueueName, Queue>(
    queueNames.map((name) => {
      const defaultJobOptions = {
        ...DEFAULT_JOB_OPTIONS,
        ...QUEUE_JOB_OPTIONS[name],
        ...options.defaultJobOptions,
      };
      const queue = new Queue(name, { connection: redis, prefix, defaultJobOptions });
      queue.on('error', (err) => log.warn({ err, queue: name }, 'queue connection error'));
      return [name, queue];
    }),
  );
  const queueOf = (name: QueueName): Queue => {
    const queue = queues.get(name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  };

  // One QueueEvents (one blocking connection) per queue, opened on first execute.
  const opening = new Map<QueueName, Promise<OutcomeWaiters>>();
  const opened = new Map<QueueName, OutcomeWaiters>();
  const allEvents = new Set<QueueEvents>();
  let closing: Promise<void> | undefined;

  async function openEvents(name: QueueName): Promise<OutcomeWaiters> {
    // Read from just after the stream's current last entry rather than from '$' (which means
    // "newest at the time of the first XREAD"): an outcome written before the first read still
    // arrives.
    const last = await redis.xrevrange(queueOf(name).toKey('events'), '+', '-', 'COUNT', 1);
    const lastEventId = last[0]?.[0] ?? '0-0';
    const events = new QueueEvents(name, {
      connection: blockingOptions(options.connection),
      prefix,
      lastEventId,
    });
    allEvents.add(events);
    const waiters = new OutcomeWaiters(events, options.retryGraceMs);
    events.on('error', (err) => {
      log.warn({ err, queue: name }, 'queue events connection error');
      // Redis went away: no outcome arrives until it is back, so the waiting requests answer
      // "unavailable, retry" now rather than at their timeout (their retries join the same jobs).
      waiters.closeAll();
    });
    opened.set(name, waiters);
    try {
      await events.waitUntilReady();
    } catch (err) {
      // Only a closed connection rejects here; drop it so the next call opens a fresh one.
      opened.delete(name);
      allEvents.delete(events);
      await settledWithin(events.close(), 1_000);
      throw err;
    }
    return waiters;
  }

  function waitersFor(name: QueueName): Promise<OutcomeWaiters> {
    let promise = opening.get(name);
    if (!promise) {
      const p = openEvents(name);
      opening.set(name, p);
      // A failed open (Redis down) is forgotten, so the next call tries again.
      p.catch(() => {
        if (opening.get(name) === p) opening.delete(name);
      });
      promise = p;
    }
    return promise;
  }

  async function readFinished(queue: Queue, jobId: string): Promise<Finished | null> {
    const state = await queue.getJobState(jobId);
    if (state !== 'completed' && state !== 'failed') return null;
    const job = await queue.getJob(jobId);
    if (!job) return null; // removed in between
    return state === 'completed'
      ? { state, returnvalue: job.returnvalue }
      : { state, failedReason: job.failedReason || 'failed' };
  }

  function toOutcome<N extends JobName>(name: N, jobId: string, finished: Finished): ExecuteOutcome<N> {
    switch (finished.state) {
      case 'completed': {
        const parsed = safeParseJobResult(name, finished.returnvalue);
        if (parsed.success) return { kind: 'done', jobId, result: parsed.data };
        log.error({ jobId, name, issues: parsed.error.issues }, 'job result does not match the contract');
        return { kind: 'failed', jobId, reason: 'job returned an invalid result' };
      }
      case 'failed':
        return { kind: 'failed', jobId, reason: finished.failedReason };
      case 'retrying':
        return {
          kind: 'timeout',
          jobId,
          retryAfterSeconds: Math.max(retryAfter.timeout, Math.ceil((finished.retryAt - Date.now()) / 1000)),
        };
      case 'closed':
        return { kind: 'unavailable', retryAfterSeconds: retryAfter.unavailable };
    }
  }

  /** Everything before the wait: each step bounded by one deadline. */
  async function submit<N extends JobName>(
    name: N,
    data: unknown,
    jobId: string,
    organizationId: string,
  ): Promise<{ outcome: ExecuteOutcome<N> } | { waiter: Waiter }> {
    const deadline = Date.now() + redisTimeoutMs;
    const queue = queueOf(jobs[name].queue);
    let waiter: Waiter | undefined;
    try {
      await withDeadline(whenReady(redis), deadline);
      const waiters = await withDeadline(waitersFor(jobs[name].queue), deadline);
      // Registered before the admission looks at the job: an outcome written after that look
      // reaches this waiter, so a job found new needs no second look.
      waiter = waiters.register(jobId, waitTimeoutMs);
      const admission = await withDeadline(
        admitPending(redis, prefix, organizationId, jobId, {
          limit: pendingLimitPerOrg,
          ttlMs: pendingTtlMs,
          jobKeyPrefix: queue.toKey(''),
        }),
        deadline,
      );
      if (admission === 'busy') {
        waiter.cancel();
        // A retry of a request that already finished still gets its outcome at the limit.
        const finished = await withDeadline(readFinished(queue, jobId), deadline);
        if (finished) return { outcome: toOutcome(name, jobId, finished) };
        return { outcome: { kind: 'busy', retryAfterSeconds: retryAfter.busy } };
      }
      // With an id that exists in any state, add() changes nothing and returns: the job may be
      // running, or long finished (a client retry), so look before waiting.
      await withDeadline(queue.add(name, data, { jobId }), deadline);
      if (admission === 'known') {
        const finished = await withDeadline(readFinished(queue, jobId), deadline);
        if (finished) {
          waiter.cancel();
          return { outcome: toOutcome(name, jobId, finished) };
        }
      }
      return { waiter };
    } catch (err) {
      waiter?.cancel();
      log.warn({ err: err instanceof DeadlineExceeded ? err.message : err, jobId }, 'queue unavailable');
      return { outcome: { kind: 'unavailable', retryAfterSeconds: retryAfter.unavailable } };
    }
  }

  return {
    async enqueue(name, data, opts = {}) {
      if (closing) throw new QueueUnavailableError('producer is closed');
      const parsed = parseJobData(name, data);
      const keys = jobKeys(name, parsed);
      const jobId = opts.jobId ?? keys.jobId;
      if (jobId !== undefined) assertValidJobId(jobId);
      const add: JobsOptions = {};
      if (jobId !== undefined) add.jobId = jobId;
      if (keys.dedupId !== undefined) add.deduplication = { id: keys.dedupId };
      if (opts.delayMs !== undefined) add.delay = opts.delayMs;
      const deadline = Date.now() + redisTimeoutMs;
      try {
        await withDeadline(whenReady(redis), deadline);
        const job = await withDeadline(queueOf(jobs[name].queue).add(name, parsed, add), deadline);
        // With jobId/dedup the id may name an existing job: don't treat it as proof of a new run.
        return { jobId: job.id ?? jobId ?? '' };
      } catch (err) {
        throw new QueueUnavailableError(`could not enqueue ${name}`, { cause: err });
      }
    },

    async execute(name, data, { jobId, organizationId }) {
      if (closing) return { kind: 'unavailable', retryAfterSeconds: retryAfter.unavailable };
      assertValidJobId(jobId);
      const parsed = parseJobData(name, data);
      const submitted = await submit(name, parsed, jobId, organizationId);
      if ('outcome' in submitted) return submitted.outcome;

      const finished = await submitted.waiter.finished;
      if (finished) return toOutcome(name, jobId, finished);
      // Timed out. Events can be missed (stream trimmed, events connection reconnecting after an
      // outage), so ask the job itself once before answering.
      const queue = queueOf(jobs[name].queue);
      const late = await withDeadline(
        whenReady(redis).then(() => readFinished(queue, jobId)),
        Date.now() + redisTimeoutMs,
      ).catch(() => null);
      if (late) return toOutcome(name, jobId, late);
      return { kind: 'timeout', jobId, retryAfterSeconds: retryAfter.timeout };
    },

    async counts() {
      const deadline = Date.now() + redisTimeoutMs;
      const now = Date.now();
      try {
        await withDeadline(whenReady(redis), deadline);
        const entries = await Promise.all(
          queueNames.map(async (name): Promise<[QueueName, QueueCounts]> => {
            const queue = queueOf(name);
            const [c, oldest] = await withDeadline(
              Promise.all([
                queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
                queue.getJobs(['waiting'], 0, 0, true),
              ]),
              deadline,
            );
            const head = oldest[0];
            return [
              name,
              {
                waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
                active: c.active ?? 0,
                delayed: c.delayed ?? 0,
                failed: c.failed ?? 0,
                oldestWaitingAgeMs: head ? Math.max(0, now - head.timestamp) : null,
              },
            ];
          }),
        );
        return Object.fromEntries(entries) as Record<QueueName, QueueCounts>;
      } catch (err) {
        throw new QueueUnavailableError('could not read queue counts', { cause: err });
      }
    },

    diagnostics() {
      const queueEvents: ProducerDiagnostics['queueEvents'] = {};
      let waiters = 0;
      for (const [name, w] of opened) {
        queueEvents[name] = {
          completed: w.events.listenerCount('completed'),
          failed: w.events.listenerCount('failed'),
        };
        waiters += w.size;
      }
      return { queueEvents, waiters };
    },

    close() {
      closing ??= (async () => {
        // Callers still waiting get `unavailable` now rather than a timeout later.
        for (const w of opened.values()) w.closeAll();
        // Bounded: closing a connection to a Redis that is down can wait for a reconnect.
        await Promise.all([...allEvents].map((e) => settledWithin(e.close(), 2_000)));
        await Promise.all([...queues.values()].map((q) => settledWithin(q.close(), 2_000)));
        await closeClient(redis);
      })();
      return closing;
    },
  };
}
