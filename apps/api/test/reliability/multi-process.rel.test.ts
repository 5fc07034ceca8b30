// Issue 10 §3 and §7 — two api processes and two worker processes (pipeline-processes' stack)
// behind a loopback load balancer, on one PostgreSQL database and one Redis.
// §3 concurrency: 200 parallel member adds to one group and 50 parallel PATCHes to one user,
//    spread over both apis and both workers: every change applied, versions consistent (each
//    applied change is one version, answers carry distinct versions, the last version holds the
//    last value).
// §7 the crash test at 2,000 users with one api and one worker killed (SIGKILL) mid-sync: the
//    survivors finish it; the end state equals the directory, nothing provisioned or mailed twice.
// (pipeline-concurrency runs §3 in one process with in-process workers, pipeline-scale-out
// compares topologies without faults; here both happen across processes, then with a crash.)
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/pipeline-processes.js';
import { PATCH_OP, addMembersBody, scim, userBody } from '../helpers/pipeline-scim.js';
import { seedUsers } from '../helpers/pipeline-seed.js';
import { eventually } from '../helpers/pipeline-util.js';
import { startBalancer, type Balancer } from '../helpers/reliability-balancer.js';
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
let lb: Balancer;
/** Requests each api process logged as completed (its share of the load). */
const served = () => stack.apis.map((a) => a.process.logs((l) => l['msg'] === 'request completed').length);

beforeAll(async () => {
  stack = await startStack({
    apis: 2,
    workers: 2,
    env: { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '1000000', DATABASE_POOL_MAX: '20' },
    workerEnv: {
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_CONCURRENCY: '16',
    },
  });
  // The processes that are alive at the time of each request.
  lb = await startBalancer(() =>
    stack.apis
      .filter((a) => a.process.proc.exitCode === null && a.process.proc.signalCode === null)
      .map((a) => a.url),
  );
}, 180_000);

afterAll(async () => {
  await lb?.close();
  await stack?.close();
}, 120_000);

const countBy = (values: number[]) =>
  values.reduce<Record<number, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
const versionOf = (body: Record<string, unknown> | null) =>
  Number(/\d+/.exec((body?.['meta'] as { version?: string } | undefined)?.version ?? '')?.[0]);

describe('§3 concurrency across two apis and two workers', () => {
  it('200 parallel member adds to one group: all applied, one version per change', async () => {
    const org = await stack.organization('Crowd');
    const target = { scimUrl: `${lb.url}/scim/v2/${org.id}`, scimKey: org.scimKey };
    const users = await seedUsers(
      stack.orm,
      org.id,
      Array.from({ length: 200 }, (_, i) => `crowd${i}@example.com`),
    );
    const group = await scim(target, 'POST', '/Groups', { displayName: 'Crowd' });
    expect(group.status).toBe(201);
    const path = `/Groups/${group.body!['id'] as string}`;
    const before = served();

    const started = performance.now();
    const answers = await Promise.all(users.map((id) => scim(target, 'PATCH', path, addMembersBody(id))));
    const ms = performance.now() - started;
    expect(
      countBy(answers.map((r) => r.status)),
      JSON.stringify(answers.find((r) => r.status !== 204)?.body),
    ).toEqual({ 204: 200 });

    const read = await scim(target, 'GET', path);
    const members = (read.body!['members'] as Array<{ value: string }>).map((m) => m.value).sort();
    expect(members).toEqual([...users].sort());
    // Created at version 1, then one version per applied add.
    expect(read.headers.get('etag')).toBe('W/"201"');
    const rows = await stack.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: string; member_count: number }>>(
        'select (select count(*) from group_membership where group_id = g.id) as n, g.member_count from member_group g where g.id = ?',
        [group.body!['id']],
      );
    expect(rows[0]).toEqual({ n: '200', member_count: 200 });
    const share = served().map((n, i) => n - before[i]!);
    expect(
      share.every((n) => n >= 40),
      `requests per api ${JSON.stringify(share)}`,
    ).toBe(true);
    console.info(
      `[multi-process] 200 parallel member adds through 2 apis ${JSON.stringify(share)}: ${ms.toFixed(0)} ms, all 204, version 201, 200 rows`,
    );
  });

  it('50 parallel PATCHes to one user: all applied, one version per change, every answer a consistent state that includes its own change', async () => {
    const org = await stack.organization('One user');
    const target = { scimUrl: `${lb.url}/scim/v2/${org.id}`, scimKey: org.scimKey };
    const created = await scim(target, 'POST', '/Users', userBody('busy@example.com'));
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;

    // Each PATCH adds its own phone number and sets the same attribute (title) to its own value.
    const phone = (n: number) => `+1555000${String(n).padStart(4, '0')}`;
    const patch = (n: number) => ({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: `phoneNumbers[type eq "t${n}"].value`, value: phone(n) },
        { op: 'replace', path: 'title', value: `title ${n}` },
      ],
    });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, n) => scim(target, 'PATCH', `/Users/${id}`, patch(n))),
    );
    expect(
      countBy(answers.map((r) => r.status)),
      JSON.stringify(answers.find((r) => r.status !== 200)?.body),
    ).toEqual({ 200: 50 });

    const read = await scim(target, 'GET', `/Users/${id}`);
    // Created at version 1, then exactly one version per applied PATCH.
    expect(versionOf(read.body)).toBe(51);
    expect(read.headers.get('etag')).toBe('W/"51"');
    const phones = (read.body!['phoneNumbers'] as Array<{ type: string }>).map((p) => p.type).sort();
    expect(phones).toEqual(Array.from({ length: 50 }, (_, n) => `t${n}`).sort());
    answers.forEach((r, n) => {
      const v = versionOf(r.body);
      const numbers = (r.body!['phoneNumbers'] as Array<{ value: string }>).map((p) => p.value);
      // Read back after its own commit: it includes its own change, and version v holds v - 1 changes.
      expect(numbers, `answer ${n}`).toContain(phone(n));
      expect(numbers.length, `answer ${n} at version ${v}`).toBe(v - 1);
    });
    // The answers at the last version show the final state.
    const last = answers.filter((r) => versionOf(r.body) === 51);
    expect(last.length).toBeGreaterThanOrEqual(1);
    for (const r of last) expect(r.body!['title']).toBe(read.body!['title']);
    const audit = await stack.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: string }>>(
        `select count(*) as n from audit_event where target_id = ? and action = 'member.updated'`,
        [id],
      );
    expect(Number(audit[0]!.n)).toBe(50);
    console.info(
      `[multi-process] 50 parallel PATCHes to one user: version 51, ${new Set(answers.map((r) => versionOf(r.body))).size} distinct versions answered, 50 update events`,
    );
  });
});

describe('§7 crash with two of each', () => {
  it(`an api and a worker SIGKILLed during a ${USERS}-user initial sync: the survivors finish; equal to the directory, nothing twice`, async () => {
    const org = await stack.organization('Crash 2+2');
    const started = performance.now();
    const run = simulate(`${lb.url}/scim/v2/${org.id}`, org.scimKey, {
      users: USERS,
      groups: 20,
      membersPerGroup: 100,
      seed: 'multi',
      concurrency: 32,
    });

    await eventually(
      'a quarter of the users provisioned',
      async () => (await memberCount(stack.orm, org.id)) >= USERS / 4,
      240_000,
      200,
    );
    const [api1] = stack.apis;
    const [worker1, worker2] = stack.workers;
    const [apiKill, workerKill] = await Promise.all([
      api1!.process.stop('SIGKILL'),
      worker1!.stop('SIGKILL'),
    ]);
    expect([apiKill.signal, workerKill.signal]).toEqual(['SIGKILL', 'SIGKILL']);
    const atKill = await memberCount(stack.orm, org.id);

    const result = await run;
    expect(explain(result)).toEqual({ errors: [], differences: [], problems: [] });
    expect(result.ok).toBe(true);

    await outboxDrained(stack.orm, org.id);
    const inv = await invariants(stack.orm, org.id, [path.join(stack.env['DATA_DIR']!, 'outbox')]);
    expect(invariantViolations(inv, result.verification!.users)).toEqual(NO_VIOLATIONS);
    // The real processes' logs (production logger, info level) never carry the SCIM key.
    const processLines = [
      ...stack.apis.map((a) => a.process.lines),
      ...stack.workers.map((w) => w.lines),
    ].flat();
    expect(linesWithSecrets(processLines, [org.scimKey])).toEqual([]);
    // The survivors are still up.
    expect([stack.apis[1]!.process.proc.exitCode, worker2!.proc.exitCode]).toEqual([null, null]);
    const stalled = worker2!.logs((l) => l['msg'] === 'job stalled; it will run again').length;
    console.info(
      `[multi-process] ${USERS} users through a balancer over 2 apis: api1 + worker1 SIGKILLed at ${atKill}/${USERS} members; ` +
        `balancer re-sent ${lb.stats.retried} request(s) to the surviving api, ${lb.stats.failed} unanswered; ${stalled} stalled job(s) re-run by worker2; ` +
        `${inv.members} members, ${inv.invitationRows} invitations (${inv.invitationFiles} .eml); ${describeRun(result)}; total ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(lb.stats.failed).toBe(0);
    expect(atKill).toBeLessThan(USERS);
  }, 480_000);
});
