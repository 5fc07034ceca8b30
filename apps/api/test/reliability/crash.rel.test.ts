// Issue 10 §1 — crash. The real api and worker processes (pipeline-processes' stack); the Entra
// simulator runs the initial sync of 2,000 users and 20 groups; a quarter of the way in, the
// worker is killed with SIGKILL and a new one started. The simulator's verification then says the
// service equals the directory, and the database says: no member provisioned twice, no invitation
// e-mail twice (outbox rows and .eml files per recipient), no sync failure. (pipeline-worker-crash
// kills a worker under 60 concurrent creates; this is the same fault at the size issue 10 asks.)
import { afterAll, beforeAll, expect, it } from 'vitest';
import path from 'node:path';
import { startStack, type Stack } from '../helpers/pipeline-processes.js';
import { eventually } from '../helpers/pipeline-util.js';
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

const USERS = 2_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '1000000', DATABASE_POOL_MAX: '20' },
    // Short locks: a dead worker's jobs are found stalled within seconds, not 30 s.
    workerEnv: {
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_CONCURRENCY: '32',
    },
  });
}, 120_000);
afterAll(async () => {
  await stack?.close();
}, 120_000);

it(`kill -9 of the worker during a ${USERS}-user initial sync, then a restart: the end state equals the directory, nothing twice`, async () => {
  const org = await stack.organization('Crash 2k');
  const started = performance.now();
  const run = simulate(org.scimUrl(), org.scimKey, {
    users: USERS,
    groups: 20,
    membersPerGroup: 100,
    seed: 'crash',
    concurrency: 32,
  });

  await eventually(
    'a quarter of the users provisioned',
    async () => (await memberCount(stack.orm, org.id)) >= USERS / 4,
    240_000,
    200,
  );
  const victim = stack.workers[0]!;
  expect((await victim.stop('SIGKILL')).signal).toBe('SIGKILL');
  const atKill = await memberCount(stack.orm, org.id);
  const killedAt = performance.now();
  const restarted = await stack.startWorker();
  const downMs = performance.now() - killedAt;

  const result = await run;
  expect(explain(result)).toEqual({ errors: [], differences: [], problems: [] });
  expect(result.ok).toBe(true);

  await outboxDrained(stack.orm, org.id);
  const outbox = path.join(stack.env['DATA_DIR']!, 'outbox');
  const inv = await invariants(stack.orm, org.id, [outbox]);
  expect(invariantViolations(inv, result.verification!.users)).toEqual(NO_VIOLATIONS);

  // The real processes' logs (production logger, info level) never carry the SCIM key.
  const processLines = [
    ...stack.apis.map((a) => a.process.lines),
    ...stack.workers.map((w) => w.lines),
  ].flat();
  expect(linesWithSecrets(processLines, [org.scimKey])).toEqual([]);
  const stalled = restarted.logs((l) => l['msg'] === 'job stalled; it will run again').length;
  const replayed = restarted.logs(
    (l) => typeof l['msg'] === 'string' && l['msg'].startsWith('job already applied'),
  ).length;
  console.info(
    `[crash] ${USERS} users: worker SIGKILLed at ${atKill}/${USERS} members, replaced in ${downMs.toFixed(0)} ms; ` +
      `${stalled} stalled job(s) re-run, ${replayed} answered from the applied-job ledger; ${inv.members} members, ` +
      `${inv.invitationRows} invitations (${inv.invitationFiles} .eml); ${describeRun(result)}; total ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // The kill really interrupted work in flight.
  expect(atKill).toBeLessThan(USERS);
}, 420_000);
