// On Node 20 the first AsyncLocalStorage entered turns on a promise hook for every later promise of
// the process (7.8 % of the worker's allocations in an initial sync): a rejected SCIM write, its
// sync failure, the failure e-mail and the digest after it, and the admin console's writes must not
// enter one (PostgreSQL; SQLite's one-writer transactions are MikroORM's own).
import { AsyncLocalStorage } from 'node:async_hooks';
import { executeSql, OutboxEmail, SyncFailure, setNotificationSettings } from '@repo/domain';
import {
  createTestDatabase,
  createTestOrm,
  inTransaction,
  makeOrganization,
  type TestDatabase,
} from '@repo/domain/testing';
import type { AdminCommand, JobInput, JobName, ScimWriteData } from '@repo/jobs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAdminWriteHandler } from '../src/handlers/admin-write.handler.js';
import { createFailureDigestHandler } from '../src/handlers/failure-digest.handler.js';
import { createScimWriteHandler } from '../src/handlers/scim-write.handler.js';
import type { Orm } from '../src/mail/orm-types.js';

let db: TestDatabase;
let orm: Orm;
beforeAll(async () => {
  db = await createTestDatabase('postgresql', 'async_context');
  orm = await createTestOrm(db);
});
afterAll(async () => {
  await orm.close(true);
  await db.drop();
});

function recordingProducer() {
  const calls: { name: JobName; data: unknown; delayMs?: number }[] = [];
  return {
    calls,
    enqueue: async <N extends JobName>(name: N, data: JobInput<N>, opts: { delayMs?: number } = {}) => {
      calls.push({ name, data, ...(opts.delayMs === undefined ? {} : { delayMs: opts.delayMs }) });
      return { jobId: `${name}-${calls.length}` };
    },
  };
}

const job = (id: string) => ({
  jobId: id,
  enqueuedAt: Date.now(),
  name: 'scim.write' as const,
  attempt: 1,
  maxAttempts: 3,
  isFinalAttempt: false,
  firstRun: true,
  log: () => undefined,
});

const createUser = (organizationId: string, userName: string, externalId: string): ScimWriteData => ({
  v: 1,
  organizationId,
  requestId: `req-${userName}-${externalId}`,
  resource: 'User',
  method: 'POST',
  body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, externalId },
});

describe('the worker’s failure path', () => {
  it('records rejected writes, queues their e-mail and builds the digest without an async context', async () => {
    const { organization } = await makeOrganization(orm, { name: 'Context', provisionMode: 'stage' });
    const orgId = organization.id;
    await inTransaction(orm, (em) =>
      setNotificationSettings(
        { em, organizationId: orgId, actor: 'admin' },
        { recipients: ['ops@context.test'], digestWindowMinutes: 15 },
      ),
    );
    const producer = recordingProducer();
    const handle = createScimWriteHandler({
      orm,
      producer,
      settings: { invitations: { publicUrl: 'https://scim.test' } },
    });
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    try {
      expect(await handle(createUser(orgId, 'a@context.test', 'ext-a'), job('j1'))).toMatchObject({
        ok: true,
      });
      expect(await handle(createUser(orgId, 'b@context.test', 'ext-b'), job('j2'))).toMatchObject({
        ok: true,
      });
      // The same userName under another externalId: a conflict, recorded and mailed at once.
      const first = await handle(createUser(orgId, 'a@context.test', 'ext-x'), job('j3'));
      expect(first).toMatchObject({ ok: false, error: { source: 'domain', code: 'conflict' } });
      // A second one inside the window waits for the digest.
      const second = await handle(createUser(orgId, 'b@context.test', 'ext-y'), job('j4'));
      expect(second).toMatchObject({ ok: false, error: { source: 'domain', code: 'conflict' } });
      const digestJob = producer.calls.find((c) => c.name === 'failure.digest');
      expect(digestJob?.data).toEqual({ v: 1, organizationId: orgId });
      const digest = createFailureDigestHandler({
        orm,
        producer,
        now: () => new Date(Date.now() + 15 * 60_000),
      });
      expect(await digest({ v: 1, organizationId: orgId }, { log: () => undefined })).toEqual({ emails: 1 });

      expect(run).not.toHaveBeenCalled();
      expect(enterWith).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
      enterWith.mockRestore();
    }

    // What the plain-SQL path wrote: two open failures, both notified, one e-mail each way.
    const em = orm.em.fork();
    const failures = await em.find(SyncFailure, { organization: orgId }, { orderBy: { target: 'asc' } });
    expect(failures.map((f) => [f.target, f.code, f.status, f.notifiedAt !== null])).toEqual([
      ['a@context.test', 'conflict', 'open', true],
      ['b@context.test', 'conflict', 'open', true],
    ]);
    const emails = await em.find(OutboxEmail, { organization: orgId }, { orderBy: { createdAt: 'asc' } });
    expect(emails.map((e) => [e.kind, e.to])).toEqual([
      ['failure', ['ops@context.test']],
      ['digest', ['ops@context.test']],
    ]);
    expect(producer.calls.filter((c) => c.name === 'mail.send').map((c) => c.data)).toEqual(
      emails.map((e) => ({ v: 1, outboxId: e.id })),
    );
  });
});

describe('the admin console’s writes', () => {
  it('revoke, restore, resend and accept an invitation without an async context', async () => {
    const { organization } = await makeOrganization(orm, { name: 'Admin context', provisionMode: 'invite' });
    const orgId = organization.id;
    const deps = {
      orm,
      producer: recordingProducer(),
      settings: { invitations: { publicUrl: 'https://scim.test' } },
    };
    const created = await createScimWriteHandler(deps)(
      createUser(orgId, 'invited@context.test', 'ext-i'),
      job('c1'),
    );
    expect(created).toMatchObject({ ok: true });
    const memberId = (created as { id: string }).id;
    const admin = createAdminWriteHandler(deps);
    const command = (c: AdminCommand, id: string) =>
      admin(
        { v: 1, organizationId: orgId, requestId: id, actor: { tokenId: 'token-1' }, command: c },
        { ...job(id), name: 'admin.write' },
      );
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    try {
      expect(await command({ kind: 'member.revoke', memberId }, 'a1')).toMatchObject({ ok: true });
      expect(await command({ kind: 'member.restore', memberId }, 'a2')).toMatchObject({ ok: true });
      expect(await command({ kind: 'invitation.resend', memberId }, 'a3')).toMatchObject({ ok: true });
      const [open] = await executeSql(
        orm.em,
        'select token_hash from invitation where member_id = ? and superseded_at is null',
        [memberId],
      );
      const tokenHash = String(open?.['token_hash']);
      expect(await command({ kind: 'invitation.accept', tokenHash }, 'a4')).toMatchObject({ ok: true });
      expect(run).not.toHaveBeenCalled();
      expect(enterWith).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
      enterWith.mockRestore();
    }
    const [member] = await executeSql(orm.em, 'select status, version from member where id = ?', [memberId]);
    // Created (1), revoked (2), restored (3), accepted (4): every change moves the ETag.
    expect(member).toEqual({ status: 'accepted', version: 4 });
  });
});
