// Routes a queue's 'completed'/'failed' events to the callers awaiting those jobs. One pair of
// listeners per QueueEvents, whatever the number of waiters: per-job listeners (what
// waitUntilFinished does) grow the emitter without bound under load.
import type { QueueEvents } from 'bullmq';

export type Finished =
  | { state: 'completed'; returnvalue: unknown }
  | { state: 'failed'; failedReason: string }
  /** The producer is closing; nobody will deliver the outcome. */
  | { state: 'closed' };

export interface Waiter {
  /** Resolves with the outcome, or null once the timeout (counted from registration) passes. */
  readonly finished: Promise<Finished | null>;
  cancel(): void;
}

export class OutcomeWaiters {
  readonly #byJob = new Map<string, Set<(f: Finished | null) => void>>();

  constructor(readonly events: QueueEvents) {
    events.on('completed', ({ jobId, returnvalue }) => {
      this.#settle(jobId, { state: 'completed', returnvalue });
    });
    events.on('failed', ({ jobId, failedReason }) => {
      this.#settle(jobId, { state: 'failed', failedReason });
    });
  }

  /** Register before adding the job, so an outcome that arrives during `add` is not lost. */
  register(jobId: string, timeoutMs: number): Waiter {
    let settle!: (f: Finished | null) => void;
    const finished = new Promise<Finished | null>((resolve) => {
      const timer = setTimeout(() => settle(null), timeoutMs);
      settle = (f) => {
        clearTimeout(timer);
        this.#remove(jobId, settle);
        resolve(f);
      };
    });
    let set = this.#byJob.get(jobId);
    if (!set) this.#byJob.set(jobId, (set = new Set()));
    set.add(settle);
    return { finished, cancel: () => settle(null) };
  }

  /** Number of callers currently waiting. */
  get size(): number {
    let n = 0;
    for (const set of this.#byJob.values()) n += set.size;
    return n;
  }

  closeAll(): void {
    for (const set of [...this.#byJob.values()]) for (const settle of [...set]) settle({ state: 'closed' });
  }

  #settle(jobId: string, f: Finished): void {
    const set = this.#byJob.get(jobId);
    if (set) for (const settle of [...set]) settle(f);
  }

  #remove(jobId: string, settle: (f: Finished | null) => void): void {
    const set = this.#byJob.get(jobId);
    if (!set) return;
    set.delete(settle);
    if (set.size === 0) this.#byJob.delete(jobId);
  }
}
