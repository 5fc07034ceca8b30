// Sync failures and their notifications against real PostgreSQL and SQLite: one suite, both drivers.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditEvent,
  DomainError,
  OutboxEmail,
  SyncFailure,
  buildFailureDigest,
  findAppliedJob,
  findOverdueNotifications,
  plainTransaction,
  recordSyncFailure,
  resolveSyncFailures,
  sendTestEmail,
  setNotificationSettings,
  setSyncFailureStatus,
  type SyncFailureInput,
} from '../src/index.js';
import {
  createTestDatabase,
  createTestOrm,
  inTransaction,
  makeOrganization,
  onQuery,
  scimContext,
  type TestDatabase,
} from '../src/testing/index.js';

const failure = (target: string, extra: Partial<SyncFailureInput> = {}): SyncFailureInput => ({
  resourceType: 'User',
  operation: 'create',
  target,
  code: 'seat_limit',
  message: 'Seat limit reached: 5 of 5 seats are used.',
  request: { userName: target },
  attempts: 1,
  ...extra,
});

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function expectDomainError(p: Promise<unknown>, code: DomainError['code']): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  return err as DomainError;
}

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

describe.each(['postgresql', 'sqlite'] as const)('sync failures on %s', (kind) => {
  let db: TestDatabase;
  let orm: MikroORM;
  const tx = <T>(fn: (em: EntityManager) => Promise<T>) => inTransaction(orm, fn);
  const record = (orgId: string, input: SyncFailureInput, now: Date) =>
    tx((em) => recordSyncFailure(scimContext(em, orgId), input, now));
  const digest = (orgId: string, now: Date) => tx((em) => buildFailureDigest(scimContext(em, orgId), now));
  const admin = (em: EntityManager, organizationId: string) => ({
    em,
    organizationId,
    actor: 'admin' as const,
  });

  async function orgWithRecipients(recipients = ['ops@acme.test', 'it@acme.test'], name = 'Acme') {
    const { organization } = await makeOrganization(orm, { name });
    await tx((em) => setNotificationSettings(admin(em, organization.id), { recipients }));
    return organization.id;
  }
  const emails = (orgId: string) =>
    orm.em
      .fork()
      .find(
        OutboxEmail,
        { organization: orgId, kind: { $in: ['failure', 'digest'] } },
        { orderBy: { createdAt: 'asc' } },
      );

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'syncfail');
    orm = await createTestOrm(db);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('counts the same failure instead of duplicating it, with secrets removed and an audit event each time', async () => {
    const { organization } = await makeOrganization(orm);
    const input = failure('bob@x.com', { request: { userName: 'bob@x.com', password: 'hunter2' } });
    const first = await record(organization.id, input, at(0));
    await record(organization.id, { ...input, attempts: 3, message: 'Seat limit reached: 6 of 5.' }, at(1));
    const last = await record(organization.id, { ...input, attempts: 4 }, at(2));
    expect([first.isNew, last.isNew]).toEqual([true, false]);
    const em = orm.em.fork();
    const rows = await em.find(SyncFailure, { organization: organization.id });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect([row.occurrences, row.attempts, row.status]).toEqual([3, 4, 'open']);
    expect(row.firstSeenAt.toISOString()).toBe(at(0).toISOString());
    expect(row.lastSeenAt.toISOString()).toBe(at(2).toISOString());
    expect(row.request).toEqual({ userName: 'bob@x.com', password: '[redacted]' });
    expect(
      await em.count(AuditEvent, { organization: organization.id, targetId: row.id, outcome: 'failure' }),
    ).toBe(3);
    // No recipients: nothing to send, nothing to schedule.
    expect([last.outboxId, last.digestDue]).toEqual([null, null]);
    expect(await em.count(OutboxEmail, { organization: organization.id })).toBe(0);
  });

  it("records a provisioning job's outcome with the resolution, in one statement on PostgreSQL", async () => {
    const { organization } = await makeOrganization(orm);
    await record(organization.id, failure('job@x.com'), at(0));
    const statements: string[] = [];
    const stop = onQuery(orm, (query) => statements.push(query));
    const outcome = { ok: true, status: 201, resourceType: 'User', id: null, version: 1 };
    // In a plain-SQL transaction, as a provisioning job runs it.
    await plainTransaction(orm.em, (em) =>
      resolveSyncFailures(
        scimContext(em, organization.id),
        { resourceType: 'User', target: 'job@x.com' },
        { runKey: 'job-1@1', organizationId: organization.id, outcome },
      ),
    ).finally(stop);
    // PostgreSQL: the outcome, the resolution and its audit event in one statement (sent with the
    // COMMIT); SQLite: one statement each.
    expect(statements.filter((q) => /\b(sync_failure|applied_job|audit_event)\b/i.test(q))).toHaveLength(
      kind === 'postgresql' ? 1 : 3,
    );
    const em = orm.em.fork();
    const audit = await em.findOneOrFail(AuditEvent, {
      organization: organization.id,
      action: 'sync_failure.auto_resolved',
    });
    expect(audit.data).toEqual({ resourceType: 'User', target: 'job@x.com', resolved: 1 });
    expect(await findAppliedJob(em, 'job-1@1')).toEqual(outcome);
    expect(await em.count(SyncFailure, { organization: organization.id, status: 'open' })).toBe(0);
    // With nothing to resolve the outcome is recorded all the same.
    await tx((tx) =>
      resolveSyncFailures(
        scimContext(tx, organization.id),
        { resourceType: 'User', target: 'job@x.com' },
        { runKey: 'job-2@1', organizationId: organization.id, outcome },
      ),
    );
    expect(await findAppliedJob(orm.em.fork(), 'job-2@1')).toEqual(outcome);
    // …and no audit event: nothing was resolved.
    expect(
      await orm.em
        .fork()
        .count(AuditEvent, { organization: organization.id, action: 'sync_failure.auto_resolved' }),
    ).toBe(1);
  });

  it('resolves on a later success for the same target, and reopens when it fails again', async () => {
    const { organization } = await makeOrganization(orm);
    const a = await record(organization.id, failure('a@x.com'), at(0));
    await record(organization.id, failure('a@x.com', { code: 'conflict' }), at(0));
    const other = await record(organization.id, failure('b@x.com'), at(0));
    await tx((em) =>
      resolveSyncFailures(scimContext(em, organization.id), { resourceType: 'User', target: 'a@x.com' }),
    );
    const em = orm.em.fork();
    const audit = await em.findOneOrFail(AuditEvent, {
      organization: organization.id,
      action: 'sync_failure.auto_resolved',
    });
    expect(audit.data).toEqual({ resourceType: 'User', target: 'a@x.com', resolved: 2 });
    const row = await em.findOneOrFail(SyncFailure, a.failure.id);
    expect(row.status).toBe('resolved');
    expect(row.resolvedAt).not.toBeNull();
    expect((await em.findOneOrFail(SyncFailure, other.failure.id)).status).toBe('open');

    const again = await record(organization.id, failure('a@x.com'), at(5));
    expect(again.isNew).toBe(true);
    const reopened = await orm.em.fork().findOneOrFail(SyncFailure, a.failure.id);
    expect([reopened.status, reopened.occurrences, reopened.resolvedAt]).toEqual(['open', 2, null]);

    // Admin dismiss; a repeat reopens it too. Unknown or foreign ids are not found.
    await tx((em2) => setSyncFailureStatus(admin(em2, organization.id), other.failure.id, 'dismissed'));
    expect((await orm.em.fork().findOneOrFail(SyncFailure, other.failure.id)).status).toBe('dismissed');
    expect((await record(organization.id, failure('b@x.com'), at(6))).isNew).toBe(true);
    await expectDomainError(
      tx((em2) =>
        setSyncFailureStatus(admin(em2, organization.id), '00000000-0000-4000-8000-000000000000', 'resolved'),
      ),
      'not_found',
    );
    const { organization: foreign } = await makeOrganization(orm, { name: 'Foreign' });
    await expectDomainError(
      tx((em2) => setSyncFailureStatus(admin(em2, foreign.id), other.failure.id, 'resolved')),
      'not_found',
    );
  });

  it('mails the first failure at once, batches the rest of the window into one digest, strands nothing', async () => {
    const orgId = await orgWithRecipients();
    const a = await record(orgId, failure('a@x.com'), at(0));
    expect(a.outboxId).not.toBeNull();
    expect(a.digestDue).toBeNull();
    const first = await orm.em.fork().findOneOrFail(OutboxEmail, a.outboxId!);
    expect(first.kind).toBe('failure');
    expect(first.to).toEqual(['ops@acme.test', 'it@acme.test']);
    expect(first.subject).toBe('Acme: could not provision User "a@x.com" (seat limit reached)');
    expect(first.messageId).toMatch(/^<[0-9a-f-]+@scim\.local>$/);

    const b = await record(
      orgId,
      failure('b@x.com', { code: 'conflict', message: 'userName b@x.com exists.' }),
      at(1),
    );
    const b2 = await record(
      orgId,
      failure('b@x.com', { code: 'conflict', message: 'userName b@x.com exists.' }),
      at(2),
    );
    const c = await record(
      orgId,
      failure('Admins', {
        resourceType: 'Group',
        operation: 'add_members',
        code: 'unknown_members',
        message: '2 unknown ids.',
      }),
      at(3),
    );
    for (const r of [b, b2, c]) {
      expect(r.outboxId).toBeNull();
      expect(r.digestDue?.toISOString()).toBe(at(15).toISOString());
    }
    // A notified failure seen again is counted only.
    expect(await record(orgId, failure('a@x.com'), at(4))).toMatchObject({ outboxId: null, digestDue: null });

    expect(await digest(orgId, at(15))).toMatchObject({ emails: 1 });
    expect(await digest(orgId, at(15))).toEqual({ emails: 0, outboxId: null });
    const afterDigest = await emails(orgId);
    expect(afterDigest.map((e) => e.kind)).toEqual(['failure', 'digest']);
    const d = afterDigest[1]!;
    expect(d.subject).toBe('Acme: 2 provisioning failures need attention');
    expect(d.text).toContain('User b@x.com — create — conflict (already exists), seen 2 times');
    expect(d.text).toContain('Group Admins — add_members — unknown_members');
    expect(d.text).toContain('provision those users in your identity provider before adding them to groups');
    expect(d.text).not.toContain('a@x.com');
    expect(d.html).toContain('<td>b@x.com</td>');

    // Inside the digest's window → next digest; after it, an immediate e-mail that also carries
    // the failure whose digest never ran.
    const dd = await record(orgId, failure('d@x.com'), at(16));
    expect(dd.digestDue?.toISOString()).toBe(at(30).toISOString());
    const e = await record(orgId, failure('e@x.com'), at(31));
    expect(e.outboxId).not.toBeNull();
    const mail = await orm.em.fork().findOneOrFail(OutboxEmail, e.outboxId!);
    expect(mail.text.indexOf('e@x.com')).toBeLessThan(mail.text.indexOf('d@x.com'));
    expect(mail.text).toContain('In this e-mail: 2 failures');
    expect(await orm.em.fork().count(SyncFailure, { organization: orgId, notifiedAt: null })).toBe(0);
  });

  it('a burst of 500 failures gives at most 2 e-mails whose totals account for all 500', async () => {
    const orgId = await orgWithRecipients();
    const codes = (i: number) => (i % 10 < 6 ? 'seat_limit' : i % 10 < 9 ? 'conflict' : 'unknown_members');
    const items = Array.from({ length: 500 }, (_, i) => i);
    let due: Date | null = null;
    await pool(items, kind === 'postgresql' ? 8 : 1, async (i) => {
      const r = await record(
        orgId,
        failure(`user${i}@x.com`, { code: codes(i) }),
        new Date(T0.getTime() + i * 100),
      );
      due = r.digestDue ?? due;
    });
    expect(due).not.toBeNull();
    expect(await digest(orgId, due!)).toMatchObject({ emails: 1 });
    const sent = await emails(orgId);
    expect(sent.map((e) => e.kind)).toEqual(['failure', 'digest']);
    const counted = sent.map((e) =>
      Number(/In this e-mail: ([\d,]+) failure/.exec(e.text)![1]!.replace(/,/g, '')),
    );
    expect(counted[0]! + counted[1]!).toBe(500);
    const d = sent[1]!;
    expect(d.text.match(/^\d+\. User /gm)).toHaveLength(50);
    expect(d.text).toMatch(/…and 449 more failures: \d+ seat_limit, \d+ conflict, \d+ unknown_members\./);
    expect(await orm.em.fork().count(SyncFailure, { organization: orgId, notifiedAt: null })).toBe(0);
  }, 120_000);

  it.runIf(kind === 'postgresql')(
    'two workers recording at once send exactly one immediate e-mail',
    async () => {
      const orgId = await orgWithRecipients();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => record(orgId, failure(`race${i}@x.com`), at(0))),
      );
      expect(results.filter((r) => r.outboxId !== null)).toHaveLength(1);
      expect(results.filter((r) => r.digestDue !== null)).toHaveLength(7);
      expect(await orm.em.fork().count(OutboxEmail, { organization: orgId })).toBe(1);
      // The same fingerprint from two workers: one row, counted twice.
      await Promise.all([0, 1].map(() => record(orgId, failure('same@x.com'), at(1))));
      const rows = await orm.em.fork().find(SyncFailure, { organization: orgId, target: 'same@x.com' });
      expect(rows.map((r) => r.occurrences)).toEqual([2]);
    },
  );

  it('refuses a malformed recipient with a clear message and needs recipients for a test e-mail', async () => {
    const { organization } = await makeOrganization(orm);
    const err = await expectDomainError(
      tx((em) =>
        setNotificationSettings(admin(em, organization.id), {
          recipients: ['ok@acme.test', 'not an address'],
        }),
      ),
      'invalid_value',
    );
    expect(err.message).toBe('Not a valid e-mail address: not an address');
    const none = await expectDomainError(
      tx((em) => sendTestEmail(admin(em, organization.id))),
      'invalid_value',
    );
    expect(none.message).toMatch(/No notification recipients/);
    await tx((em) => setNotificationSettings(admin(em, organization.id), { recipients: ['ok@acme.test'] }));
    const { outboxId, to } = await tx((em) => sendTestEmail(admin(em, organization.id)));
    expect(to).toEqual(['ok@acme.test']);
    expect((await orm.em.fork().findOneOrFail(OutboxEmail, outboxId)).kind).toBe('test');
  });

  it('escapes markup from the directory in the HTML part', async () => {
    const orgId = await orgWithRecipients(['ops@acme.test'], 'Acme <b>Corp</b>');
    const r = await record(
      orgId,
      failure('<script>alert(1)</script>', { message: 'Bad "<img src=x onerror=alert(1)>"' }),
      at(0),
    );
    const mail = await orm.em.fork().findOneOrFail(OutboxEmail, r.outboxId!);
    expect(mail.html).not.toMatch(/<script|<img|<b>/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Acme &lt;b&gt;Corp&lt;/b&gt;');
    expect(mail.subject).toContain('Acme <b>Corp</b>');
  });

  it('finds overdue digests and unsent outbox rows for the periodic sweep', async () => {
    const orgId = await orgWithRecipients();
    const a = await record(orgId, failure('a@x.com'), at(0));
    await record(orgId, failure('b@x.com'), at(1)); // digest due at(15), never run
    const sweep = (now: Date) => findOverdueNotifications(orm.em.fork(), now);
    expect((await sweep(at(10))).digestOrganizationIds).not.toContain(orgId);
    const late = await sweep(at(20));
    expect(late.digestOrganizationIds).toContain(orgId);
    expect(late.outboxIds).toContain(a.outboxId);
    await digest(orgId, at(20));
    expect((await sweep(at(40))).digestOrganizationIds).not.toContain(orgId);
  });
});
