// Issue 10 §2 — restarts. Real api and worker processes on a PRIVATE PostgreSQL cluster and a
// PRIVATE Redis (append-only, as a queue store runs in production); never the shared servers.
// While the Entra simulator runs an initial sync, Redis is restarted, then PostgreSQL. Meanwhile a
// probe plays a second IdP: reads and creates, each retried on 503 like an IdP does. Proven:
// - while a dependency is down, SCIM answers 503 + Retry-After (reads stay 200 while only Redis is
//   down) — never a 500, never an answer slower than 5 s. A write sent during an outage may instead be
//   held for the producer's retry grace (3 s) and answer 201 if its retry succeeds once the
//   dependency is back (a cached key needs no database to admit it): only answers given while it
//   is down must be 503s;
// - the service recovers by itself (same processes, no restart), within a bound;
// - no transient error is recorded as a sync failure, and nothing is lost: the simulator's
//   verification equals the directory, every probe user exists exactly once.
// (pipeline-redis-outage covers a Redis stop with one in-process app; this is both dependencies,
// one after the other, mid-sync, against the real processes.)
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/pipeline-processes.js';
import { scim, untilSettled, userBody, type ScimResponse } from '../helpers/pipeline-scim.js';
import { eventually, sleep } from '../helpers/pipeline-util.js';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/reliability-postgres.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/pipeline-redis.js';
import {
  describeRun,
  explain,
  invariants,
  invariantViolations,
  linesWithSecrets,
  memberCount,
  NO_VIOLATIONS,
  outboxDrained,
  simulate,
} from '../helpers/reliability-sync.js';

const USERS = 1_000;
const DOWN_MS = 4_000;
/** The slowest answer allowed at any time, outages included. */
const MAX_ANSWER_MS = 5_000;

let pg: PrivatePostgres;
let redis: PrivateRedis;
let stack: Stack;

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis({ persistent: true })]);
  // createTestDatabase (inside startStack) makes its database on this cluster.
  process.env['TEST_DATABASE_URL'] = pg.url;
  stack = await startStack({
    redisUrl: redis.url,
    env: { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '1000000', DATABASE_POOL_MAX: '20' },
    workerEnv: {
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_CONCURRENCY: '32',
    },
  });
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await Promise.all([redis?.close(), pg?.close()]);
  delete process.env['TEST_DATABASE_URL'];
}, 120_000);

interface Attempt {
  kind: 'read' | 'create';
  at: number;
  status: number;
  ms: number;
  retryAfter: string | null;
}

interface Window {
  what: 'redis' | 'postgres';
  from: number;
  to: number;
}

it(`Redis restarted, then PostgreSQL restarted, during a ${USERS}-user initial sync: 503 + Retry-After while down, recovery by itself, nothing lost`, async () => {
  const org = await stack.organization('Restarts');
  const target = { scimUrl: org.scimUrl(), scimKey: org.scimKey };
  const pids = [...stack.apis.map((a) => a.process.proc.pid), ...stack.workers.map((w) => w.proc.pid)];
  const started = performance.now();
  const run = simulate(target.scimUrl, target.scimKey, {
    users: USERS,
    groups: 10,
    membersPerGroup: 100,
    seed: 'restarts',
    concurrency: 32,
  });

  // The probe: a read every 150 ms and a new user every 300 ms, each create retried until it
  // settles (as an IdP retries 503s); at most 20 of each in flight.
  const attempts: Attempt[] = [];
  const probeUsers: Array<{ userName: string; final: number }> = [];
  const inFlight: Array<Promise<unknown>> = [];
  let probing = true;
  const timed = (kind: Attempt['kind'], method: 'GET' | 'POST', path: string, body?: unknown) => {
    const at = performance.now();
    const done = (r: ScimResponse) => {
      attempts.push({ kind, at, status: r.status, ms: r.ms, retryAfter: r.headers.get('retry-after') });
      return r;
    };
    return scim(target, method, path, body, {}, MAX_ANSWER_MS + 1_000).then(done, () =>
      done({ status: 599, body: null, headers: new Headers(), ms: performance.now() - at }),
    );
  };
  const outstanding = { read: 0, create: 0 };
  const probe = (async () => {
    for (let i = 0; probing && i < 5_000; i++) {
      if (outstanding.read < 20) {
        outstanding.read++;
        inFlight.push(
          timed(
            'read',
            'GET',
            `/Users?filter=${encodeURIComponent(`userName eq "probe${i}@restarts.example"`)}`,
          ).finally(() => outstanding.read--),
        );
      }
      if (i % 2 === 0 && outstanding.create < 20) {
        outstanding.create++;
        const userName = `probe${i}@restarts.example`;
        inFlight.push(
          untilSettled(() => timed('create', 'POST', '/Users', userBody(userName)), {
            attempts: 300,
            withinMs: 120_000,
            maxPauseMs: 300,
          })
            .then(({ final }) => probeUsers.push({ userName, final: final.status }))
            .finally(() => outstanding.create--),
        );
      }
      await sleep(150);
    }
    await Promise.all(inFlight);
  })();

  const windows: Window[] = [];
  const recovery: Record<string, number> = {};
  const outage = async (what: Window['what'], stop: () => Promise<void>, start: () => Promise<void>) => {
    const before = await memberCount(stack.orm, org.id);
    await stop();
    // Surely down from here (stopped) until just before the start begins.
    const from = performance.now();
    await sleep(DOWN_MS);
    const to = performance.now();
    await start();
    windows.push({ what, from, to });
    // Recovered: the probe's next create succeeds, with the same processes.
    await eventually(
      `a create after ${what} is back`,
      async () => attempts.some((a) => a.kind === 'create' && a.at > to && a.status === 201),
      60_000,
      100,
    );
    recovery[what] =
      Math.min(
        ...attempts
          .filter((a) => a.kind === 'create' && a.at > to && a.status === 201)
          .map((a) => a.at + a.ms),
      ) - to;
    // And the sync makes progress again.
    await eventually(
      `the sync progresses after ${what}`,
      async () => (await memberCount(stack.orm, org.id).catch(() => before)) > before + 20,
      60_000,
      200,
    );
  };

  await eventually(
    'a fifth of the users provisioned',
    async () => (await memberCount(stack.orm, org.id)) >= USERS / 5,
    240_000,
    200,
  );
  await outage(
    'redis',
    () => redis.stop(),
    () => redis.start(),
  );
  await eventually(
    'half of the users provisioned',
    async () => (await memberCount(stack.orm, org.id)) >= USERS / 2,
    240_000,
    200,
  );
  await outage(
    'postgres',
    () => pg.stop(),
    () => pg.start(),
  );

  const result = await run;
  probing = false;
  await probe;

  // While down: what each kind of request sent then got, and which answers were given while down.
  const during = (w: Window, kind: Attempt['kind']) =>
    attempts.filter((a) => a.kind === kind && a.at >= w.from && a.at <= w.to - 100);
  const answeredWhileDown = (w: Window) => (a: Attempt) => a.at + a.ms <= w.to;
  const summary: Record<string, unknown> = {};
  for (const w of windows) {
    const reads = during(w, 'read');
    const creates = during(w, 'create');
    const downAnswers = (w.what === 'redis' ? creates : [...reads, ...creates]).filter(answeredWhileDown(w));
    summary[w.what] = {
      reads: countBy(reads.map((a) => a.status)),
      creates: countBy(creates.map((a) => a.status)),
      'creates held until it was back': countBy(
        creates.filter((a) => !answeredWhileDown(w)(a)).map((a) => a.status),
      ),
      '503 latency max ms': Math.round(
        Math.max(0, ...downAnswers.filter((a) => a.status === 503).map((a) => a.ms)),
      ),
      'recovered after ms': Math.round(recovery[w.what] ?? -1),
      // Sent just before the stop and answered after it: held through the outage at most this long.
      'in flight at the stop': attempts.filter((a) => a.at < w.from && a.at + a.ms > w.from).length,
      'in flight max ms': Math.round(
        Math.max(0, ...attempts.filter((a) => a.at < w.from && a.at + a.ms > w.from).map((a) => a.ms)),
      ),
    };
    expect(
      downAnswers.filter((a) => a.status === 503).length,
      `${w.what}: no 503 seen while down`,
    ).toBeGreaterThan(0);
    for (const a of downAnswers) {
      expect([503], `${w.what} down: ${a.kind} answered ${a.status}`).toContain(a.status);
      expect(
        Number(a.retryAfter),
        `${w.what} down: ${a.kind} 503 without Retry-After`,
      ).toBeGreaterThanOrEqual(1);
    }
    // Reads don't need Redis.
    if (w.what === 'redis')
      for (const a of reads) expect(a.status, 'read while only Redis is down').toBe(200);
  }
  console.info(`[restarts] outages (${DOWN_MS} ms each): ${JSON.stringify(summary)}`);

  // At no time a 500 or a hang, outages included.
  const all = countBy(attempts.map((a) => a.status));
  const rel = (t: number) =>
    windows.map((w) => `${w.what}${t < w.from ? '' : '+'}${((t - w.from) / 1000).toFixed(1)}s`).join('/');
  const odd = attempts
    .filter((a) => a.status >= 500 && a.status !== 503)
    .map((a) => `${a.kind} ${a.status} at ${rel(a.at)} after ${a.ms.toFixed(0)} ms`);
  const slow = attempts
    .filter((a) => a.ms >= MAX_ANSWER_MS)
    .map((a) => `${a.kind} ${a.status} at ${rel(a.at)} after ${a.ms.toFixed(0)} ms`);
  if (odd.length || slow.length) console.info(`[restarts] odd answers: ${JSON.stringify({ odd, slow })}`);
  expect(
    Object.keys(all).filter((s) => Number(s) >= 500 && s !== '503'),
    JSON.stringify(all),
  ).toEqual([]);
  const slowest = Math.max(...attempts.map((a) => a.ms));
  expect(slowest, 'slowest answer').toBeLessThan(MAX_ANSWER_MS);

  // Nothing lost, nothing twice, no transient error recorded as a failure.
  expect(explain(result)).toEqual({ errors: [], differences: [], problems: [] });
  expect(result.ok).toBe(true);
  expect(
    probeUsers.every((p) => p.final === 201),
    JSON.stringify(probeUsers.filter((p) => p.final !== 201)),
  ).toBe(true);
  await outboxDrained(stack.orm, org.id);
  const inv = await invariants(stack.orm, org.id, [path.join(stack.env['DATA_DIR']!, 'outbox')]);
  expect(invariantViolations(inv, result.verification!.users + probeUsers.length)).toEqual(NO_VIOLATIONS);
  // The real processes' logs (production logger, info level) never carry the SCIM key.
  const processLines = [
    ...stack.apis.map((a) => a.process.lines),
    ...stack.workers.map((w) => w.lines),
  ].flat();
  expect(linesWithSecrets(processLines, [org.scimKey])).toEqual([]);
  // By itself: the same processes throughout.
  expect([...stack.apis.map((a) => a.process.proc.pid), ...stack.workers.map((w) => w.proc.pid)]).toEqual(
    pids,
  );
  expect([
    ...stack.apis.map((a) => a.process.proc.exitCode),
    ...stack.workers.map((w) => w.proc.exitCode),
  ]).toEqual([null, null]);
  console.info(
    `[restarts] probe: ${probeUsers.length} users created through both outages, answers ${JSON.stringify(all)}, slowest ${slowest.toFixed(0)} ms; ` +
      `sync ${describeRun(result)}; ${inv.syncFailures.length} sync failures; total ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}, 480_000);

function countBy(values: number[]): Record<number, number> {
  return values.reduce<Record<number, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
}
