// Where a queued write's time goes, from BullMQ's own job timestamps (kept 10 minutes after
// completion): waiting in the queue (added → picked up) and running in the worker (picked up →
// finished). What a client saw beyond these two is the api's side: HTTP, auth, enqueue, and the
// completion notice travelling back.
import { Redis } from 'ioredis';
import { QueueName } from '@repo/jobs';
import { summarize, type LatencySummary } from './latency.js';

export interface QueueTimings {
  jobs: number;
  waitMs: LatencySummary;
  runMs: LatencySummary;
  /** The same per kind of write ("User POST", "Group PATCH", …). */
  byKind: Record<string, { jobs: number; waitMs: LatencySummary; runMs: LatencySummary }>;
}

/** Completed provisioning jobs of one organization finished since `sinceEpochMs` (at most `limit`). */
export async function queueTimings(
  url: string,
  prefix: string,
  organizationId: string,
  sinceEpochMs: number,
  limit = 5_000,
): Promise<QueueTimings> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const key = (s: string) => `${prefix}:${QueueName.provisioning}:${s}`;
  const wait: number[] = [];
  const run: number[] = [];
  const kinds = new Map<string, { wait: number[]; run: number[] }>();
  try {
    await redis.connect();
    const ids = await redis.zrangebyscore(key('completed'), sinceEpochMs, '+inf', 'LIMIT', 0, limit);
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hmget(key(id), 'timestamp', 'processedOn', 'finishedOn', 'data');
    for (const [err, fields] of (await pipeline.exec()) ?? []) {
      if (err || !Array.isArray(fields)) continue;
      const [added, processed, finished, data] = fields as (string | null)[];
      if (!added || !processed || !finished || !data?.includes(organizationId)) continue;
      wait.push(Number(processed) - Number(added));
      run.push(Number(finished) - Number(processed));
      const { resource, method } = JSON.parse(data) as { resource?: string; method?: string };
      const kind = `${resource ?? '?'} ${method ?? '?'}`;
      const k = kinds.get(kind) ?? { wait: [], run: [] };
      kinds.set(kind, k);
      k.wait.push(Number(processed) - Number(added));
      k.run.push(Number(finished) - Number(processed));
    }
  } finally {
    redis.disconnect();
  }
  const byKind = Object.fromEntries(
    [...kinds].map(([kind, k]) => [
      kind,
      { jobs: k.run.length, waitMs: summarize(k.wait), runMs: summarize(k.run) },
    ]),
  );
  return { jobs: run.length, waitMs: summarize(wait), runMs: summarize(run), byKind };
}
