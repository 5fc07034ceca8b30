// Item 4: what the queue costs. The same Entra POST /Users, sequentially, (a) over HTTP through the
// api → BullMQ → worker and back; (b) over HTTP to the same api (buildApp) whose writer calls the
// domain service in-process instead — the limit, with the same routes, auth, validation and
// read-back, so the ratio is the queue's; (c) the domain call alone (parseUser → provisionMember →
// resolveSyncFailures in a transaction), no HTTP at all, reported beside it. The three alternate
// request by request, each on a quiet service: only (a) hands its invitation to the mail queue, and
// that e-mail, sent by the worker while (b) ran, made (b) slower and the ratio look better than it
// is (host I: (b) 7.4 → 5.2 ms p50 without it). Target: p50 of (a) ÷ (b) ≤ 1.5×.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { QueueName, toRedisOptions } from '@repo/jobs';
import { entraUserCreate, type UserTarget } from '../src/cli/simulate/dialects.js';
import type { BenchDb } from './db.js';
import { provisionInProcess } from './in-process-app.js';
import { expectStatus, HttpClient } from './http.js';
import { summarize } from './latency.js';
import { queueTimings } from './queue-timings.js';
import { atMost, info, type ItemResult } from './report.js';

export interface QueueOverheadOptions {
  baseUrl: string;
  /** The in-process app (in-process-app.ts). */
  inProcessBaseUrl: string;
  redis: { url: string; prefix: string };
  http: { organizationId: string; scimApiKey: string };
  httpInProcess: { organizationId: string; scimApiKey: string };
  inProcess: { organizationId: string };
  users: number;
  warmup: number;
  maxMs: number;
}

const target = (prefix: string, i: number): UserTarget => ({
  externalId: `${prefix}-${i}-${randomUUID()}`,
  userName: `${prefix}${i}@queue.bench.test`,
  displayName: `Queue ${prefix} ${i}`,
  givenName: 'Queue',
  familyName: `${prefix}${i}`,
  formatted: `Queue ${prefix}${i}`,
  workEmail: `${prefix}${i}@queue.bench.test`,
  department: 'Bench',
  employeeNumber: String(i),
  active: true,
});

export async function measureQueueOverhead(
  db: BenchDb,
  o: QueueOverheadOptions,
  seconds: () => number,
): Promise<ItemResult> {
  const client = new HttpClient(o.baseUrl, o.http.scimApiKey);
  const inProcessClient = new HttpClient(o.inProcessBaseUrl, o.httpInProcess.scimApiKey);
  const settings = { invitations: { publicUrl: o.baseUrl } };
  const viaQueue = async (i: number): Promise<string | null> =>
    expectStatus(
      await client.send('POST', `/scim/v2/${o.http.organizationId}/Users`, entraUserCreate(target('h', i))),
      201,
    );
  const viaHttpInProcess = async (i: number): Promise<string | null> =>
    expectStatus(
      await inProcessClient.send(
        'POST',
        `/scim/v2/${o.httpInProcess.organizationId}/Users`,
        entraUserCreate(target('d', i)),
      ),
      201,
    );
  const inProcess = async (i: number): Promise<string | null> => {
    const body = entraUserCreate(target('p', i));
    await provisionInProcess(db.orm, settings, o.inProcess.organizationId, randomUUID(), body);
    return null;
  };

  const timings = { queue: [] as number[], httpInProcess: [] as number[], inProcess: [] as number[] };
  const failures: string[] = [];
  const deadline = performance.now() + o.maxMs;
  const startedAt = Date.now();
  const mailQueue = new Queue(QueueName.mail, {
    connection: toRedisOptions(o.redis.url),
    prefix: o.redis.prefix,
  });
  let mailWaitMs = 0;
  try {
    for (let i = 0; i < o.warmup + o.users && performance.now() < deadline; i++) {
      for (const [name, fn] of [
        ['queue', viaQueue],
        ['httpInProcess', viaHttpInProcess],
        ['inProcess', inProcess],
      ] as const) {
        mailWaitMs += await mailQueueIdle(mailQueue, deadline);
        const started = performance.now();
        let failure: string | null;
        try {
          failure = await fn(i);
        } catch (e) {
          failure = e instanceof Error ? e.message : String(e);
        }
        const ms = performance.now() - started;
        if (failure !== null) {
          if (failures.length < 20) failures.push(`${name}: ${failure}`);
        } else if (i >= o.warmup) timings[name].push(ms);
      }
    }
    // Nothing of this item is left to send during the next: the queue path's last invitation goes
    // out now, and the in-process paths' invitations (they have no mail hand-off; the worker's
    // sweeper would send them a minute later) are not part of what is measured.
    mailWaitMs += await mailQueueIdle(mailQueue, deadline);
    await db.query(`delete from outbox_email where status = 'pending' and organization_id in (?, ?)`, [
      o.httpInProcess.organizationId,
      o.inProcess.organizationId,
    ]);
  } finally {
    await Promise.all([client.close(), inProcessClient.close(), mailQueue.close()]);
  }
  const queue = summarize(timings.queue);
  const httpLocal = summarize(timings.httpInProcess);
  const local = summarize(timings.inProcess);
  const jobs = await queueTimings(o.redis.url, o.redis.prefix, o.http.organizationId, startedAt);
  const ratioOf = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const note = (s: ReturnType<typeof summarize>) => `n=${s.count} p95 ${s.p95} p99 ${s.p99} max ${s.max}`;
  return {
    item: 4,
    title:
      'Queue overhead: POST /Users through the queue vs the domain service called in-process (sequential)',
    figures: [
      atMost(
        'p50 ratio: via the queue ÷ in-process, both over HTTP',
        ratioOf(queue.p50, httpLocal.p50),
        1.5,
        '×',
      ),
      info('via HTTP + queue p50', queue.p50, 'ms', note(queue)),
      info('via HTTP, domain service in-process p50', httpLocal.p50, 'ms', note(httpLocal)),
      info('domain service alone (no HTTP) p50', local.p50, 'ms', note(local)),
      info('p50 ratio: via HTTP + queue ÷ domain service alone', ratioOf(queue.p50, local.p50), '×'),
      info(
        '  of the queued: waiting in the queue p50',
        jobs.waitMs.p50,
        'ms',
        `BullMQ timestamps, ${jobs.jobs} jobs; p99 ${jobs.waitMs.p99}`,
      ),
      info('  of the queued: running in the worker p50', jobs.runMs.p50, 'ms', `p99 ${jobs.runMs.p99}`),
      info(
        '  of the queued: HTTP, auth, enqueue, notice p50 (rest)',
        Math.round((queue.p50 - jobs.waitMs.p50 - jobs.runMs.p50) * 10) / 10,
        'ms',
      ),
      info(
        'waited for the mail queue to empty before each request',
        Math.round(mailWaitMs),
        'ms',
        'in all, outside the timings',
      ),
      ...(failures.length ? [info('failures', failures.length, '', failures[0]?.slice(0, 120))] : []),
    ],
    details: { queue, httpInProcess: httpLocal, inProcess: local, jobs, failures },
    seconds: seconds(),
  };
}

/** Waits (outside the timings) until the worker has sent every queued e-mail; returns how long. */
async function mailQueueIdle(queue: Queue, deadline: number): Promise<number> {
  const started = performance.now();
  while (performance.now() < deadline) {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active');
    if (Object.values(counts).every((n) => n === 0)) break;
    await sleep(1);
  }
  return performance.now() - started;
}
