// The worker's side of the queue: one BullMQ Worker per queue, dispatching on job.name through the
// handler map. Failure policy:
// - invalid payload, unknown version or unknown job name → UnrecoverableError (no retry);
// - a handler that throws (TransientError or anything else) is retried with back-off until its
//   attempts are used up; ctx.isFinalAttempt tells it when a throw ends the job;
// - a handler that wants a final "no" returns an ok:false WriteOutcome: domain rejections are
//   results (the api answers with them), not job failures.
// Stalls: a job whose lock (lockDuration 30 s, renewed every 15 s by the event loop) lapses is
// moved back to wait by the stalled check (every stalledInterval 30 s) and runs again, at most
// maxStalledCount (2) times before it fails with "job stalled more than allowable limit". So a
// handler may run more than once: it must be idempotent, and CPU-bound work must yield.
import { UnrecoverableError, Worker } from 'bullmq';
import type { Job, WorkerOptions } from 'bullmq';
import { z } from 'zod';
import { blockingOptions } from './connection.js';
import type { ConnectionInput } from './connection.js';
import { isJobName, jobs, queueNames, safeParseJobData, safeParseJobResult } from './contract.js';
import type { Handlers, JobContext, JobData, JobName, JobResult, QueueName } from './contract.js';
import { settledWithin } from './deadline.js';
import type { Logger } from './log.js';

/** Throw for a failure worth retrying (database restart, lock timeout). Retried with back-off. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

export const DEFAULT_WORKER_OPTIONS = {
  lockDuration: 30_000,
  stalledInterval: 30_000,
  // BullMQ's default is 1; one more lets a job survive a worker crash plus one event-loop stall.
  maxStalledCount: 2,
} satisfies Partial<WorkerOptions>;

/** A job that ended failed: retries used up, or unrecoverable. */
export interface FinalFailure {
  name: string;
  jobId: string;
  data: unknown;
  reason: string;
  attemptsMade: number;
}

export interface StartWorkersOptions {
  connection: ConnectionInput;
  /** Must equal the producer's prefix. */
  prefix: string;
  handlers: Handlers;
  /** Jobs run in parallel per process and queue (1 on SQLite: one writer). */
  concurrency: Record<QueueName, number>;
  /** Called once per job that ends failed (e.g. to record a sync failure). Errors are logged. */
  onFailed?: (failure: FinalFailure) => void | Promise<void>;
  logger: Logger;
  workerOptions?: Partial<Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>>;
}

export interface RunningWorkers {
  workers: Record<QueueName, Worker>;
  /** Stops taking jobs and waits for active ones, at most timeoutMs. drained=false: some were cut. */
  close(timeoutMs: number): Promise<{ drained: boolean }>;
}

// Generic over N so the handler and its data are correlated through the Handlers mapped type.
function dispatch<N extends JobName>(
  handlers: Handlers,
  name: N,
  data: JobData<N>,
  ctx: JobContext,
): Promise<JobResult<N>> {
  const handler: Handlers[N] = handlers[name];
  return handler(data, ctx);
}

function isFinalFailure(job: Job, err: Error): boolean {
  // 'failed' fires on every failed attempt; attemptsMade already counts this one.
  return (
    err instanceof UnrecoverableError ||
    err.name === 'UnrecoverableError' ||
    job.attemptsMade >= (job.opts.attempts ?? 1)
  );
}

export function startWorkers(options: StartWorkersOptions): RunningWorkers {
  const { prefix, handlers, logger } = options;
  const processorFor =
    (queue: QueueName) =>
    async (job: Job): Promise<unknown> => {
      const { name } = job;
      const jobId = job.id ?? '';
      if (!isJobName(name) || jobs[name].queue !== queue) {
        throw new UnrecoverableError(`unknown job ${JSON.stringify(name)} on queue ${queue}`);
      }
      const parsed = safeParseJobData(name, job.data);
      if (!parsed.success) {
        throw new UnrecoverableError(`invalid ${name} payload: ${z.prettifyError(parsed.error)}`);
      }
      const maxAttempts = job.opts.attempts ?? 1;
      const attempt = job.attemptsMade + 1;
      const requestId = (parsed.data as { requestId?: unknown }).requestId;
      const ctx: JobContext = {
        jobId,
        enqueuedAt: job.timestamp,
        name,
        attempt,
        maxAttempts,
        isFinalAttempt: attempt >= maxAttempts,
        // Counts every start, stalled re-runs included (attemptsMade counts failures only).
        firstRun: job.attemptsStarted <= 1,
        ...(typeof requestId === 'string' ? { requestId } : {}),
        log: (obj, msg) => logger.info({ jobId, job: name, attempt, requestId, ...obj }, msg),
      };
      const result = await dispatch(handlers, name, parsed.data, ctx);
      // A result the api cannot read would be retried forever by the client: fail it for good.
      const checked = safeParseJobResult(name, result);
      if (!checked.success) {
        throw new UnrecoverableError(
          `handler for ${name} returned an invalid result: ${z.prettifyError(checked.error)}`,
        );
      }
      return checked.data;
    };

  const start = (queue: QueueName): Worker => {
    const worker = new Worker(queue, processorFor(queue), {
      connection: blockingOptions(options.connection),
      prefix,
      concurrency: options.concurrency[queue],
      ...DEFAULT_WORKER_OPTIONS,
      ...options.workerOptions,
    });
    worker.on('error', (err) => logger.error({ err, queue }, 'worker error'));
    worker.on('stalled', (jobId) => logger.warn({ jobId, queue }, 'job stalled; it will run again'));
    worker.on('failed', (job, err) => {
      if (!job) return;
      const final = isFinalFailure(job, err);
      const fields = { jobId: job.id, job: job.name, queue, attemptsMade: job.attemptsMade, err };
      if (!final) {
        logger.warn(
          fields,
          err instanceof TransientError ? 'transient failure; retrying' : 'job attempt failed; retrying',
        );
        return;
      }
      logger.error(fields, 'job failed');
      if (!options.onFailed) return;
      const failure = {
        name: job.name,
        jobId: job.id ?? '',
        data: job.data as unknown,
        reason: err.message,
        attemptsMade: job.attemptsMade,
      };
      Promise.resolve()
        .then(() => options.onFailed?.(failure))
        .catch((hookErr: unknown) => logger.error({ err: hookErr, jobId: job.id }, 'onFailed hook threw'));
    });
    return worker;
  };

  const workers = Object.fromEntries(queueNames.map((q) => [q, start(q)])) as Record<QueueName, Worker>;
  let closing: Promise<{ drained: boolean }> | undefined;

  return {
    workers,
    close(timeoutMs) {
      closing ??= (async () => {
        const all = Object.values(workers);
        // close() stops fetching, then waits for active jobs, with no bound of its own.
        const drained = await settledWithin(Promise.all(all.map((w) => w.close())), timeoutMs);
        if (!drained) {
          // Cut the connections: unfinished jobs lose their lock and run again elsewhere once
          // the stalled check finds them (handlers are idempotent).
          logger.warn({ timeoutMs }, 'workers did not drain in time; abandoning active jobs');
          await Promise.all(all.map((w) => settledWithin(w.disconnect(), 1_000)));
        }
        return { drained };
      })();
      return closing;
    },
  };
}
