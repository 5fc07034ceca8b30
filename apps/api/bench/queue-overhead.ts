// Item 4: what the queue costs. The same Entra POST /Users, sequentially, (a) over HTTP through the
// api → BullMQ → worker and back, and (b) in-process: the worker's own transaction (parseUser →
// provisionMember → resolveSyncFailures) on the same database, no HTTP and no queue — the limit.
// The two alternate request by request so background load hits both alike. Target: p50 ratio ≤ 1.5×.
import { randomUUID } from 'node:crypto';
import { provisionMember, resolveSyncFailures, type ServiceContext } from '@repo/domain';
import { parseUser } from '@repo/scim-adapter';
import { entraUserCreate, type UserTarget } from '../src/cli/simulate/dialects.js';
import type { BenchDb } from './db.js';
import { expectStatus, HttpClient } from './http.js';
import { summarize } from './latency.js';
import { queueTimings } from './queue-timings.js';
import { atMost, info, type ItemResult } from './report.js';

export interface QueueOverheadOptions {
  baseUrl: string;
  redis: { url: string; prefix: string };
  http: { organizationId: string; scimApiKey: string };
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
  const settings = { invitations: { publicUrl: o.baseUrl } };
  const viaQueue = async (i: number): Promise<string | null> =>
    expectStatus(
      await client.send('POST', `/scim/v2/${o.http.organizationId}/Users`, entraUserCreate(target('h', i))),
      201,
    );
  const inProcess = async (i: number): Promise<string | null> => {
    const body = entraUserCreate(target('p', i));
    await db.orm.em.fork().transactional(async (em) => {
      const ctx: ServiceContext = {
        em,
        organizationId: o.inProcess.organizationId,
        actor: 'scim',
        requestId: randomUUID(),
      };
      const member = await provisionMember(ctx, parseUser(body), settings);
      await resolveSyncFailures(ctx, { resourceType: 'User', target: member.userName });
    });
    return null;
  };

  const timings = { queue: [] as number[], inProcess: [] as number[] };
  const failures: string[] = [];
  const deadline = performance.now() + o.maxMs;
  const startedAt = Date.now();
  try {
    for (let i = 0; i < o.warmup + o.users && performance.now() < deadline; i++) {
      for (const [name, fn] of [
        ['queue', viaQueue],
        ['inProcess', inProcess],
      ] as const) {
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
  } finally {
    await client.close();
  }
  const queue = summarize(timings.queue);
  const local = summarize(timings.inProcess);
  const jobs = await queueTimings(o.redis.url, o.redis.prefix, o.http.organizationId, startedAt);
  const ratio = Math.round((queue.p50 / local.p50) * 100) / 100;
  const note = (s: ReturnType<typeof summarize>) => `n=${s.count} p95 ${s.p95} p99 ${s.p99} max ${s.max}`;
  return {
    item: 4,
    title: 'Queue overhead: POST /Users via HTTP + queue vs the domain service in-process (sequential)',
    figures: [
      atMost('p50 ratio queue ÷ in-process', ratio, 1.5, '×'),
      info('via HTTP + queue p50', queue.p50, 'ms', note(queue)),
      info('in-process p50', local.p50, 'ms', note(local)),
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
      ...(failures.length ? [info('failures', failures.length, '', failures[0]?.slice(0, 120))] : []),
    ],
    details: { queue, inProcess: local, jobs, failures },
    seconds: seconds(),
  };
}
