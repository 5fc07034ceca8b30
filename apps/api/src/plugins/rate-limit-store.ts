// A store for @fastify/rate-limit that counts in memory and shares the counts through Redis in
// batches: one pipeline per flushMs for all credentials, instead of a Redis round trip on every
// request (a third of a cached SCIM lookup's cost). The first request of a credential in a process
// waits for the shared count, so a new or restarted process starts from what the others counted;
// after that each process can run ahead of the shared count by at most flushMs of its own traffic.
// Redis down: counting goes on in memory (fail open per process, as the plugin's skipOnError).
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

interface Counter {
  /** The shared count as of the last reply. */
  known: number;
  /** Sent, reply pending. */
  inflight: number;
  /** Counted here, not yet sent. */
  pending: number;
  windowEnd: number;
  /** Counted by this process and sent, in all. */
  sent: number;
  /** Other processes' count when this one first heard back (null until then). */
  offset: number | null;
  /** Settles when the first shared count arrived. */
  synced: Promise<void> | null;
}

export interface BatchedStoreOptions {
  namespace: string;
  /** The limit's window (the plugin's timeWindow). */
  windowMs: number;
  flushMs?: number;
  /** Credentials tracked at once; the least recently seen are dropped beyond it. */
  maxKeys?: number;
}

export interface BatchedStore {
  /** The class @fastify/rate-limit's `store` option takes. */
  Store: FastifyRateLimitStoreCtor;
  /** Sends what is pending now (tests; close). */
  flush(): Promise<void>;
  close(): void;
}

export function createBatchedStore(redis: Redis, options: BatchedStoreOptions): BatchedStore {
  const { namespace, windowMs, flushMs = 100, maxKeys = 50_000 } = options;
  const counters = new Map<string, Counter>();
  /** Keys counted since the last flush: a flush costs what changed, not how many keys are known. */
  const dirty = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function send(): Promise<void> {
    timer = undefined;
    const batch: [string, Counter, number, number][] = [];
    for (const key of dirty) {
      const c = counters.get(key);
      if (c && c.pending > 0) {
        c.sent += c.pending;
        batch.push([key, c, c.pending, c.sent]);
      }
    }
    dirty.clear();
    if (!batch.length) return;
    const pipeline = redis.pipeline();
    for (const [key, c, n] of batch) {
      c.pending = 0;
      c.inflight += n;
      pipeline
        .incrby(namespace + key, n)
        .pexpire(namespace + key, windowMs, 'NX')
        .pttl(namespace + key);
    }
    const replies = await pipeline.exec().catch(() => null);
    const at = Date.now();
    batch.forEach(([, c, n, sentSoFar], i) => {
      c.inflight -= n;
      const count = replies?.[i * 3]?.[1];
      const ttl = replies?.[i * 3 + 2]?.[1];
      if (typeof count === 'number' && typeof ttl === 'number' && ttl > 0) {
        c.offset ??= count - sentSoFar;
        c.known = count;
        c.windowEnd = at + ttl;
      } else {
        c.offset ??= 0;
        c.known += n; // Redis unavailable: this process's own count goes on
      }
    });
  }

  // Flushes run one after another, so replies for a counter arrive in the order they were sent.
  const flush = (): Promise<void> => (flushing = flushing.then(send, send));

  const schedule = () => {
    timer ??= setTimeout(() => void flush(), flushMs).unref();
  };

  function counterFor(key: string, now: number): Counter {
    let c = counters.get(key);
    if (c && c.windowEnd <= now && c.pending === 0 && c.inflight === 0) {
      counters.delete(key);
      c = undefined;
    }
    if (c) {
      // Most recently seen last, so the oldest are dropped first.
      counters.delete(key);
      counters.set(key, c);
      return c;
    }
    if (counters.size >= maxKeys) counters.delete(counters.keys().next().value!);
    c = {
      known: 0,
      inflight: 0,
      pending: 0,
      windowEnd: now + windowMs,
      sent: 0,
      offset: null,
      synced: null,
    };
    counters.set(key, c);
    return c;
  }

  class Store implements FastifyRateLimitStore {
    incr(key: string, cb: Parameters<FastifyRateLimitStore['incr']>[1]): void {
      const now = Date.now();
      const c = counterFor(key, now);
      c.pending += 1;
      dirty.add(key);
      // This request's place in the window, taken now: before the first reply it counts only this
      // process's requests, and the others' count (offset) is added once it is known.
      const place = c.known + c.inflight + c.pending;
      const answer = (current: number) => cb(null, { current, ttl: Math.max(0, c.windowEnd - Date.now()) });
      if (c.offset === null) {
        c.synced ??= flush();
        schedule(); // what arrived after the first flush went out
        void c.synced.then(() => answer(place + (c.offset ?? 0)));
        return;
      }
      schedule();
      answer(place);
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  }

  return {
    Store,
    flush,
    close() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
