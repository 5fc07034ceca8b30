// Bounded concurrency: a FIFO semaphore, and a keyed runner that keeps tasks touching the same
// object in plan order while unrelated tasks run in parallel (Entra processes one object at a time).

export class Semaphore {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

export interface KeyedTask {
  keys: readonly string[];
  run: () => Promise<void>;
}

/** Runs every task once; a task starts after all earlier tasks sharing one of its keys settled. */
export async function runKeyed(tasks: readonly KeyedTask[], semaphore: Semaphore): Promise<void> {
  const last = new Map<string, Promise<void>>();
  const all = tasks.map((task) => {
    const before = task.keys.flatMap((k) => {
      const p = last.get(k);
      return p ? [p] : [];
    });
    // Waiting for predecessors holds no slot, so ordering can't deadlock the pool.
    const done = Promise.allSettled(before).then(() => semaphore.use(task.run));
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    for (const k of task.keys) last.set(k, settled);
    return done;
  });
  const results = await Promise.allSettled(all);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
