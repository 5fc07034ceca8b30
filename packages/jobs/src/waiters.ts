// Routes a queue's 'completed'/'failed' events to the callers awaiting those jobs. One pair of
// listeners per QueueEvents, whatever the number of waiters: per-job listeners (what
// waitUntilFinished does) grow the emitter without bound under load.
import type { QueueEvents } from 'bullmq';

export type Finished =
  | { state: 'completed'; returnvalue: unknown }
  | { state: 'failed'; failedReason: string }
  /**
   * An attempt failed and the job waits for its retry (epoch ms): a dependency is down. The
   * caller answers "retry later" now instead of holding the request through the outage.
   */
  | { state: 'retrying'; retryAt: number }
  /** The producer is closing, or its events connection was lost: nobody will deliver the outcome. */
  | { state: 'closed' };

export interface Waiter {
  /** Resolves with the outcome, or null once the timeout (counted from registration) passes. */
  readonly finished: Promise<Finished | null>;
  cancel(): void;
}

interface Entry {
  settle: (f: Finished | null) => void;
  /** An attempt failed and the job is delayed until `retryAt`. */
  retrying: (retryAt: number) => void;
}

export class OutcomeWaiters {
  readonly #byJob = new Map<string, Set<Entry>>();

  /**
   * `retryGraceMs`: once the awaited job fails an attempt and waits for its retry, how much longer
   * a caller keeps waiting before it is told `retrying` (quick retries still return the result;
   * a dependency outage does not hold the request until its timeout).
   */
  constructor(
    readonly events: QueueEvents,
    private readonly retryGraceMs = 3_000,
  ) {
    events.on('completed', ({ jobId, returnvalue }) => {
      this.#settle(jobId, { state: 'completed', returnvalue });
    });
    events.on('failed', ({ jobId, failedReason }) => {
      this.#settle(jobId, { state: 'failed', failedReason });
    });
    // A retry after a failed attempt moves the job to 'delayed' (provisioning jobs are never added
    // delayed, so for them this event means exactly that).
    events.on('delayed', ({ jobId, delay }) => {
      const set = this.#byJob.get(jobId);
      if (set) for (const entry of [...set]) entry.retrying(Number(delay));
    });
  }

  /** Register before adding the job, so an outcome that arrives during `add` is not lost. */
  register(jobId: string, timeoutMs: number): Waiter {
    let entry!: Entry;
    const finished = new Promise<Finished | null>((resolve) => {
      const timer = setTimeout(() => entry.settle(null), timeoutMs);
      let grace: NodeJS.Timeout | undefined;
      let retryAtLatest = 0;
      entry = {
        settle: (f) => {
          clearTimeout(timer);
          clearTimeout(grace);
          this.#remove(jobId, entry);
          resolve(f);
        },
        retrying: (retryAt) => {
          // The first failed attempt starts the grace period; later ones only move retryAt.
          retryAtLatest = Math.max(retryAtLatest, retryAt);
          grace ??= setTimeout(
            () => entry.settle({ state: 'retrying', retryAt: retryAtLatest }),
            this.retryGraceMs,
          );
        },
      };
    });
    let set = this.#byJob.get(jobId);
    if (!set) this.#byJob.set(jobId, (set = new Set()));
    set.add(entry);
    return { finished, cancel: () => entry.settle(null) };
  }

  /** Number of callers currently waiting. */
  get size(): number {
    let n = 0;
    for (const set of this.#byJob.values()) n += set.size;
    return n;
  }

  closeAll(): void {
    for (const set of [...this.#byJob.values()])
      for (const entry of [...set]) entry.settle({ state: 'closed' });
  }

  #settle(jobId: string, f: Finished): void {
    const set = this.#byJob.get(jobId);
    if (set) for (const entry of [...set]) entry.settle(f);
  }

  #remove(jobId: string, entry: Entry): void {
    const set = this.#byJob.get(jobId);
    if (!set) return;
    set.delete(entry);
    if (set.size === 0) this.#byJob.delete(jobId);
  }
}
