// Issue 4 §4/§6: the worker process killed with SIGKILL while jobs are in flight, then restarted —
// its stalled jobs run again and every write is applied exactly once; the IdP's retries of the
// same requests (after 503 + Retry-After) get the outcomes. Real api and worker processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/pipeline-processes.js';
import { scim, untilSettled, userBody } from './helpers/pipeline-scim.js';
import { eventually } from './helpers/pipeline-util.js';

const USERS = 60;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { SCIM_WRITE_WAIT_MS: '2000', LOG_LEVEL: 'info' },
    // Short locks so a dead worker's jobs are found stalled within seconds, not 30 s.
    workerEnv: {
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_CONCURRENCY: '4',
    },
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

const count = async (sql: string, params: unknown[]) =>
  Number((await stack.orm.em.fork().getConnection().execute<Array<{ n: string }>>(sql, params))[0]!.n);

describe('worker killed mid-job', () => {
  it('SIGKILL with jobs active, restart → every user exists exactly once and every request ends 201', async () => {
    const org = await stack.organization('Crash');
    const target = { scimUrl: org.scimUrl(), scimKey: org.scimKey };
    const bodies = Array.from({ length: USERS }, (_, i) => userBody(`crash${i}@example.com`));
    // Each request is sent, and re-sent on 503/429/connection error, like an IdP does.
    const settled = Promise.all(
      bodies.map((b) =>
        untilSettled(() => scim(target, 'POST', '/Users', b), { attempts: 80, withinMs: 40_000 }),
      ),
    );

    // Kill while the worker is busy: some users applied, most still queued, a few active.
    await eventually(
      'the worker applied some writes',
      async () => (await count('select count(*) as n from member where organization_id = ?', [org.id])) >= 8,
    );
    // A job must be mid-transaction when the worker dies, or there is nothing to find stalled. Every
    // member insert checks its organization foreign key (FOR KEY SHARE), so holding the
    // organization row FOR UPDATE parks the worker's jobs in the database, active, until the kill.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = stack.orm.em.fork().transactional(async (em) => {
      await em
        .getConnection()
        .execute(
          'select id from organization where id = ? for update',
          [org.id],
          'all',
          em.getTransactionContext(),
        );
      locked();
      await released;
    });
    await isLocked;
    await eventually(
      'a job of the worker waits on the organization row',
      async () =>
        (await count(
          `select count(*) as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query ilike '%member%'`,
          [],
        )) >= 1,
    );
    const victim = stack.workers[0]!;
    const killed = await victim.stop('SIGKILL');
    release();
    await holder;
    expect(killed.signal).toBe('SIGKILL');
    const appliedAtKill = await count('select count(*) as n from member where organization_id = ?', [org.id]);
    expect(appliedAtKill).toBeLessThan(USERS);

    const restarted = await stack.startWorker();
    const results = await settled;

    const statuses = results.map((r) => r.final.status);
    const detail = results.filter((r) => r.final.status !== 201).map((r) => r.final.body);
    expect(
      statuses.filter((s) => s !== 201),
      JSON.stringify(detail),
    ).toEqual([]);
    const ids = results.map((r) => r.final.body!['id'] as string);
    expect(new Set(ids).size).toBe(USERS);
    // Some requests did see the outage (503) before their retry got the outcome.
    const retried = results.filter((r) => r.history.some((h) => h.status === 503 || h.status === 599)).length;

    // Exactly once: one row per userName, one creation audit event per member, no sync failure.
    expect(await count('select count(*) as n from member where organization_id = ?', [org.id])).toBe(USERS);
    expect(
      await count(`select count(distinct user_name) as n from member where organization_id = ?`, [org.id]),
    ).toBe(USERS);
    const audit = (action: string) =>
      count('select count(*) as n from audit_event where organization_id = ? and action = ?', [
        org.id,
        action,
      ]);
    expect(await audit('member.invited')).toBe(USERS);
    expect(await audit('invitation.sent')).toBe(USERS);
    // One invitation e-mail each, not one per run of the job.
    expect(await count('select count(*) as n from outbox_email where organization_id = ?', [org.id])).toBe(
      USERS,
    );
    expect(await count('select count(*) as n from sync_failure where organization_id = ?', [org.id])).toBe(0);

    // The new worker found the dead one's active jobs stalled and ran them again.
    const stalled = restarted.logs((l) => l['msg'] === 'job stalled; it will run again');
    console.info(
      `kill -9 at ${appliedAtKill}/${USERS} applied; ${stalled.length} stalled job(s) re-run; ${retried} request(s) retried after 503`,
    );
    expect(stalled.length).toBeGreaterThanOrEqual(1);
  }, 55_000);
});
