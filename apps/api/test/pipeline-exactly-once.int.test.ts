// Issue 4 §4: BullMQ delivers a job at least once — a worker killed after its transaction committed
// but before it reported completion leaves the job active, and it runs again. These tests run the
// real handlers twice for one job (serially and concurrently), deterministically, against
// PostgreSQL: the second run answers the first one's outcome and applies nothing.
import { randomUUID } from 'node:crypto';
import type { JobContext, ScimWriteData, WriteOutcome } from '@repo/jobs';
import { createHandlers, createMailTransport } from '@repo/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteQueueKeys } from './helpers/pipeline-redis.js';
import { seedUsers } from './helpers/pipeline-seed.js';
import { userBody } from './helpers/pipeline-scim.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let handlers: ReturnType<typeof createHandlers>;
let closeTransport: () => Promise<void>;
beforeAll(async () => {
  t = await startTestApp({ worker: false });
  const transport = createMailTransport({ outboxDir: t.outboxDir, from: 'test <test@localhost>' });
  closeTransport = () => transport.close();
  handlers = createHandlers({
    orm: t.orm,
    producer: t.producer,
    transport,
    publicUrl: 'http://localhost:3000',
  });
});
afterAll(async () => {
  await closeTransport();
  await t.close();
  await deleteQueueKeys(t.config.redis.url, t.config.redis.prefix);
});

const jobContext = (name: JobContext['name'], enqueuedAt = Date.now()): JobContext => ({
  jobId: `w-${randomUUID()}`,
  enqueuedAt,
  name,
  attempt: 1,
  maxAttempts: 8,
  isFinalAttempt: false,
  firstRun: true,
  log: () => undefined,
});

const count = async (sql: string, params: unknown[]) =>
  Number((await t.orm.em.fork().getConnection().execute<Array<{ n: string }>>(sql, params))[0]!.n);

/**
 * The outcome as recorded: the committed User a first run returns (the api's answer without a
 * read back) is not stored with it, so a re-run answers with the rest and the api reads it back.
 */
const recorded = (outcome: WriteOutcome): WriteOutcome => {
  if (!outcome.ok) return outcome;
  const { user: _user, ...rest } = outcome;
  return rest;
};

const createUser = (organizationId: string, userName: string): ScimWriteData => ({
  v: 1,
  organizationId,
  requestId: 'rerun',
  resource: 'User',
  method: 'POST',
  body: userBody(userName),
});

describe('a job run twice', () => {
  it('a re-run after the commit answers the committed outcome: one member, one invitation, no sync failure', async () => {
    const org = await t.organization('Rerun');
    const data = createUser(org.id, 'rerun@example.com');
    const job = jobContext('scim.write');
    const first = await handlers['scim.write'](data, job);
    expect(first).toMatchObject({ ok: true, status: 201, resourceType: 'User' });
    // The stalled re-run: same job id, same enqueue time, started again.
    const second = await handlers['scim.write'](data, { ...job, firstRun: false });
    expect(first).toHaveProperty('user.document.userName', 'rerun@example.com');
    expect(second).toEqual(recorded(first));
    expect(await count('select count(*) as n from member where organization_id = ?', [org.id])).toBe(1);
    expect(await count('select count(*) as n from outbox_email where organization_id = ?', [org.id])).toBe(1);
    expect(await count('select count(*) as n from sync_failure where organization_id = ?', [org.id])).toBe(0);
  });

  it('two runs of one job at once (a lapsed lock) → one applies, both answer its outcome', async () => {
    const org = await t.organization('Race');
    const data = createUser(org.id, 'race@example.com');
    const job = jobContext('scim.write');
    const [a, b] = await Promise.all([handlers['scim.write'](data, job), handlers['scim.write'](data, job)]);
    expect(a).toMatchObject({ ok: true, status: 201 });
    expect(recorded(b)).toEqual(recorded(a));
    expect(await count('select count(*) as n from member where organization_id = ?', [org.id])).toBe(1);
    expect(await count('select count(*) as n from sync_failure where organization_id = ?', [org.id])).toBe(0);
  });

  it('a later job under the same id (identical request after the first job was removed) is applied anew', async () => {
    const org = await t.organization('Again');
    const data = createUser(org.id, 'again@example.com');
    const job = jobContext('scim.write');
    const first = await handlers['scim.write'](data, job);
    expect(first).toMatchObject({ ok: true, status: 201 });
    const id = (first as { id: string }).id;
    const removed = await handlers['scim.write'](
      {
        v: 1,
        organizationId: org.id,
        requestId: 'rerun',
        resource: 'User',
        method: 'DELETE',
        resourceId: id,
      },
      jobContext('scim.write'),
    );
    expect(removed).toMatchObject({ ok: true, status: 204 });
    const again = await handlers['scim.write'](data, { ...job, enqueuedAt: job.enqueuedAt + 86_400_000 });
    expect(again).toMatchObject({ ok: true, status: 201 });
    expect((again as { id: string }).id).not.toBe(id);
  });

  it('an admin write run twice applies once', async () => {
    const org = await t.organization('AdminRerun');
    const [userId] = await seedUsers(t.orm, org.id, ['admin-rerun@example.com']);
    const revoke = {
      v: 1 as const,
      organizationId: org.id,
      requestId: 'rerun',
      actor: { tokenId: 'test' },
      command: { kind: 'member.revoke' as const, memberId: userId! },
    };
    const job = jobContext('admin.write');
    const first = await handlers['admin.write'](revoke, job);
    expect(first).toMatchObject({ ok: true, resourceType: 'Member', id: userId });
    expect(await handlers['admin.write'](revoke, { ...job, firstRun: false })).toEqual(first);
    expect(
      await count(
        `select count(*) as n from audit_event where organization_id = ? and action = 'member.revoked'`,
        [org.id],
      ),
    ).toBe(1);
  });
});
