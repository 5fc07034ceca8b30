// Issue 4 §2: no outcome within the wait → 503 + Retry-After while the job goes on, and the retried
// request gets the job's outcome; more than N writes pending for one organization → 429.
// The api runs without workers so jobs stay pending until the test starts them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteQueueKeys } from './helpers/pipeline-redis.js';
import { scim, untilSettled, userBody } from './helpers/pipeline-scim.js';
import { eventually } from './helpers/pipeline-util.js';
import { startLateWorkers, type LateWorkers } from './helpers/pipeline-workers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const WAIT_MS = 300;
const LIMIT = 3;

let t: TestApp;
let workers: LateWorkers | null = null;
beforeAll(async () => {
  t = await startTestApp({
    worker: false,
    env: { SCIM_WRITE_WAIT_MS: String(WAIT_MS), SCIM_PENDING_LIMIT: String(LIMIT) },
  });
});
afterEach(async () => {
  await workers?.close();
  workers = null;
});
afterAll(async () => {
  await t.close();
  await deleteQueueKeys(t.config.redis.url, t.config.redis.prefix);
});

const memberIds = async (organizationId: string, userName: string): Promise<string[]> => {
  const rows: Array<{ id: string }> = await t.orm.em
    .fork()
    .getConnection()
    .execute('select id from member where organization_id = ? and user_name = ?', [organizationId, userName]);
  return rows.map((r) => r.id);
};

describe('no outcome within the wait', () => {
  it('answers 503 + Retry-After at the wait, the job goes on, and the retry gets 201 with the same id', async () => {
    const org = await t.organization('Slow');
    const body = userBody('slow@example.com');
    const first = await scim(org, 'POST', '/Users', body);
    expect(first.status).toBe(503);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(first.ms).toBeGreaterThanOrEqual(WAIT_MS - 20);
    expect(first.ms).toBeLessThan(WAIT_MS + 1_500);
    // Nothing applied yet; the job sits in the queue.
    expect(await memberIds(org.id, 'slow@example.com')).toEqual([]);

    workers = startLateWorkers(t);
    // The job goes on without any retry: the member appears.
    const [id] = await eventually('the queued job applied', async () => {
      const ids = await memberIds(org.id, 'slow@example.com');
      return ids.length ? ids : null;
    });
    // The IdP retries the same request and gets that job's outcome, not a second member.
    const retry = await scim(org, 'POST', '/Users', body);
    expect(retry.status).toBe(201);
    expect(retry.body!['id']).toBe(id);
    expect(await memberIds(org.id, 'slow@example.com')).toEqual([id]);
  });

  it('a retry while the job is still queued joins it: 503 again, then the outcome once it runs', async () => {
    const org = await t.organization('Slow2');
    const body = userBody('slow2@example.com');
    expect((await scim(org, 'POST', '/Users', body)).status).toBe(503);
    expect((await scim(org, 'POST', '/Users', body)).status).toBe(503);
    workers = startLateWorkers(t);
    const { final, history } = await untilSettled(() => scim(org, 'POST', '/Users', body), {
      attempts: 50,
      withinMs: 15_000,
    });
    expect(final.status).toBe(201);
    expect(history.every((r) => r.status === 201 || r.status === 503)).toBe(true);
    expect(await memberIds(org.id, 'slow2@example.com')).toEqual([final.body!['id']]);
  });
});

describe('too many writes pending for one organization', () => {
  it(`more than ${LIMIT} pending → 429 + Retry-After; retries of pending writes, reads and other organizations are unaffected`, async () => {
    const org = await t.organization('Busy');
    const other = await t.organization('Calm');
    const bodies = Array.from({ length: LIMIT }, (_, i) => userBody(`p${i}@example.com`));
    const pending = await Promise.all(bodies.map((b) => scim(org, 'POST', '/Users', b)));
    expect(pending.map((r) => r.status)).toEqual(Array(LIMIT).fill(503));

    const over = await scim(org, 'POST', '/Users', userBody('over@example.com'));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(over.body).toMatchObject({ status: '429' });
    // Answered at once, not after the wait.
    expect(over.ms).toBeLessThan(WAIT_MS);
    // A retry of a write already pending is not "one more": it joins its job (503, still waiting).
    expect((await scim(org, 'POST', '/Users', bodies[0])).status).toBe(503);
    // Reads don't go through the queue; another organization has its own budget.
    expect((await scim(org, 'GET', '/Users')).status).toBe(200);
    expect((await scim(other, 'POST', '/Users', userBody('calm@example.com'))).status).toBe(503);

    // Once the pending writes are applied the organization takes writes again.
    workers = startLateWorkers(t);
    const { final } = await untilSettled(() => scim(org, 'POST', '/Users', userBody('over@example.com')), {
      withinMs: 15_000,
    });
    expect(final.status).toBe(201);
    for (const b of bodies) {
      const { final: r } = await untilSettled(() => scim(org, 'POST', '/Users', b), { withinMs: 15_000 });
      expect(r.status).toBe(201);
    }
    expect((await memberIds(org.id, 'over@example.com')).length).toBe(1);
  });
});
