// Domain services against real PostgreSQL and SQLite: one suite, both drivers.
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditEvent,
  DomainError,
  Group,
  GroupMembership,
  Invitation,
  Member,
  Organization,
  OutboxEmail,
  acceptInvitation,
  addMembers,
  confirmMember,
  createGroup,
  createdOutboxIds,
  deleteGroup,
  hashSecret,
  executeSql,
  lockMember,
  plainTransaction,
  provisionMember,
  removeMember,
  removeMembers,
  replaceMembers,
  restoreMember,
  revokeMember,
  sendTestEmail,
  setNotificationSettings,
  setExternalId,
  updateGroup,
  updateMember,
  verifyScimKey,
  type MemberInput,
} from '../src/index.js';
import { executeDeferred } from '../src/shared/sql.js';
import {
  createTestDatabase,
  createTestOrm,
  inTransaction,
  makeOrganization,
  onQuery,
  scimContext,
  type TestDatabase,
} from '../src/testing/index.js';

const settings = { invitations: { publicUrl: 'http://localhost:3000' } };

const user = (userName: string, extra: Partial<MemberInput> = {}): MemberInput => ({
  userName,
  externalId: null,
  active: true,
  displayName: null,
  givenName: null,
  familyName: null,
  emails: [],
  managerId: null,
  document: { userName },
  ...extra,
});

/**
 * Counts the server's "ready for query" replies — one per round trip — on the one connection of
 * an ORM whose pool holds one.
 */
async function countRoundTrips(single: MikroORM): Promise<{ readonly count: number; reset(): void }> {
  const pool = (single.em as SqlEntityManager).getConnection().getKnex().client as {
    acquireConnection(): Promise<{ connection: NodeJS.EventEmitter }>;
    releaseConnection(c: unknown): Promise<void>;
  };
  const client = await pool.acquireConnection();
  let count = 0;
  client.connection.on('readyForQuery', () => count++);
  await pool.releaseConnection(client);
  return {
    get count() {
      return count;
    },
    reset: () => (count = 0),
  };
}

async function expectDomainError(p: Promise<unknown>, code: DomainError['code']) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
}

describe.each(['postgresql', 'sqlite'] as const)('domain services on %s', (kind) => {
  let db: TestDatabase;
  let orm: MikroORM;
  const tx = <T>(fn: (em: EntityManager) => Promise<T>) => inTransaction(orm, fn);
  // Member and group services run as a SCIM write does: plain SQL only (an ORM query would throw).
  const sqlTx = <T>(fn: (em: EntityManager) => Promise<T>) => plainTransaction(orm.em, fn);

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'domain');
    orm = await createTestOrm(db);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('creates an organization whose SCIM key is stored hashed and verifies in constant time', async () => {
    const { organization, scimApiKey } = await makeOrganization(orm);
    const row = await orm.em.fork().findOneOrFail(Organization, organization.id);
    expect(row.scimKeyHash).toBe(hashSecret(scimApiKey));
    expect(row.scimKeyHash).not.toContain(scimApiKey);
    expect(await verifyScimKey(orm.em.fork(), organization.id, scimApiKey)).toBe(true);
    expect(await verifyScimKey(orm.em.fork(), organization.id, scimApiKey + 'x')).toBe(false);
    expect(await verifyScimKey(orm.em.fork(), '00000000-0000-4000-8000-000000000000', scimApiKey)).toBe(
      false,
    );
  });

  it('provisions an invited member with an audit event and an invitation e-mail in the outbox', async () => {
    const { organization } = await makeOrganization(orm, { name: 'Analytical Engines' });
    const statements: string[] = [];
    const stop = onQuery(orm, (query) => statements.push(query));
    const m = await sqlTx((em) =>
      provisionMember(
        scimContext(em, organization.id),
        user('Ada@Example.com', { displayName: 'Ada' }),
        settings,
      ).finally(stop),
    );
    // The organization is read once, with the name the e-mail needs (it runs for every create).
    expect(statements.filter((q) => /from "?organization"?/i.test(q))).toHaveLength(1);
    // The member, its two audit events, invitation and e-mail: one statement on PostgreSQL.
    const inserts = statements.filter((q) => /\binsert into\b/i.test(q));
    expect(inserts).toHaveLength(kind === 'postgresql' ? 1 : 5);
    // and before it one read for the decision: candidates and the organization's settings.
    expect(statements.filter((q) => !/^begin/i.test(q))).toHaveLength(inserts.length + 1);
    const em = orm.em.fork();
    const row = await em.findOneOrFail(Member, m.id);
    expect(row.status).toBe('invited');
    expect(row.userName).toBe('Ada@Example.com');
    expect(row.email).toBe('Ada@Example.com');
    expect(
      await em.count(AuditEvent, { organization: organization.id, targetId: m.id, action: 'member.invited' }),
    ).toBe(1);
    const mails = await em.find(OutboxEmail, { organization: organization.id });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['Ada@Example.com']);
    expect(mails[0]!.text).toContain('/invitations/accept?token=inv_');
    expect(mails[0]!.subject).toBe("You're invited to join Analytical Engines");
    expect(await em.count(Invitation, { member: m.id })).toBe(1);
    expect(
      await em.count(AuditEvent, {
        organization: organization.id,
        targetId: m.id,
        action: 'invitation.sent',
      }),
    ).toBe(1);
  });

  it('reports the e-mails a transaction wrote, for dispatch after commit', async () => {
    const { organization } = await makeOrganization(orm);
    const created = await tx(async (em) => {
      const ctx = scimContext(em, organization.id);
      await provisionMember(ctx, user('mail@x.com', { emails: [] }), settings);
      const admin = { ...ctx, actor: 'admin' as const };
      await setNotificationSettings(admin, { recipients: ['ops@x.com'] });
      await sendTestEmail(admin);
      return createdOutboxIds(em);
    });
    const stored = await orm.em.fork().find(OutboxEmail, { organization: organization.id });
    expect(stored.map((e) => e.kind).sort()).toEqual(['invitation', 'test']);
    expect([...created].sort()).toEqual(stored.map((e) => e.id).sort());
    // Another transaction reports only its own.
    expect(await tx(async (em) => createdOutboxIds(em))).toEqual([]);
  });

  it('stages members when the organization stages, without an e-mail or a seat', async () => {
    const { organization } = await makeOrganization(orm, { provisionMode: 'stage', seats: 1 });
    await sqlTx((em) => provisionMember(scimContext(em, organization.id), user('s1@x.com'), settings));
    await sqlTx((em) => provisionMember(scimContext(em, organization.id), user('s2@x.com'), settings));
    const em = orm.em.fork();
    expect(await em.count(Member, { organization: organization.id, status: 'staged' })).toBe(2);
    expect(await em.count(OutboxEmail, { organization: organization.id })).toBe(0);
  });

  it('rejects a duplicate userName case-insensitively and a duplicate externalId exactly', async () => {
    const { organization } = await makeOrganization(orm);
    await sqlTx((em) =>
      provisionMember(scimContext(em, organization.id), user('bob@x.com', { externalId: 'E1' }), settings),
    );
    await expectDomainError(
      sqlTx((em) => provisionMember(scimContext(em, organization.id), user('BOB@X.COM'), settings)),
      'conflict',
    );
    await expectDomainError(
      sqlTx((em) =>
        provisionMember(
          scimContext(em, organization.id),
          user('other@x.com', { externalId: 'E1' }),
          settings,
        ),
      ),
      'conflict',
    );
    // externalId is case-sensitive: e1 is a different value.
    await sqlTx((em) =>
      provisionMember(scimContext(em, organization.id), user('third@x.com', { externalId: 'e1' }), settings),
    );
  });

  it('two concurrent provisions of the same userName: one created, one conflict', async () => {
    const { organization } = await makeOrganization(orm);
    const results = await Promise.allSettled(
      [0, 1].map(() =>
        sqlTx((em) => provisionMember(scimContext(em, organization.id), user('race@x.com'), settings)),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason.code).toBe('conflict');
    expect(await orm.em.fork().count(Member, { organization: organization.id })).toBe(1);
  });

  it('revoke / restore round trip from every status', async () => {
    const { organization } = await makeOrganization(orm);
    for (const status of ['staged', 'invited', 'accepted', 'confirmed'] as const) {
      const m = await sqlTx((em) =>
        provisionMember(scimContext(em, organization.id), user(`${status}@x.com`), settings),
      );
      await tx(async (em) => {
        const row = await em.findOneOrFail(Member, m.id);
        row.status = status;
      });
      await sqlTx((em) => revokeMember(scimContext(em, organization.id), m.id));
      const mid = await orm.em.fork().findOneOrFail(Member, m.id);
      expect([mid.status, mid.previousStatus]).toEqual(['revoked', status]);
      await sqlTx((em) => revokeMember(scimContext(em, organization.id), m.id)); // idempotent
      await sqlTx((em) => restoreMember(scimContext(em, organization.id), m.id));
      const after = await orm.em.fork().findOneOrFail(Member, m.id);
      expect([after.status, after.previousStatus]).toEqual([status, null]);
    }
  });

  it('enforces the seat limit at invite and at restore', async () => {
    const { organization } = await makeOrganization(orm, { seats: 1 });
    const a = await sqlTx((em) =>
      provisionMember(scimContext(em, organization.id), user('a@x.com'), settings),
    );
    await expectDomainError(
      sqlTx((em) => provisionMember(scimContext(em, organization.id), user('b@x.com'), settings)),
      'seat_limit',
    );
    await sqlTx((em) => revokeMember(scimContext(em, organization.id), a.id));
    const b = await sqlTx((em) =>
      provisionMember(scimContext(em, organization.id), user('b@x.com'), settings),
    );
    await expectDomainError(
      sqlTx((em) => restoreMember(scimContext(em, organization.id), a.id)),
      'seat_limit',
    );
    expect((await orm.em.fork().findOneOrFail(Member, a.id)).status).toBe('revoked');
    expect((await orm.em.fork().findOneOrFail(Member, b.id)).status).toBe('invited');
    // Creating a member already disabled needs no seat.
    await sqlTx((em) =>
      provisionMember(scimContext(em, organization.id), user('c@x.com', { active: false }), settings),
    );
  });

  it('protects the last confirmed owner from revoke and removal', async () => {
    const { organization } = await makeOrganization(orm);
    const owner = await sqlTx((em) =>
      provisionMember(scimContext(em, organization.id), user('owner@x.com'), settings),
    );
    await tx(async (em) => {
      const row = await em.findOneOrFail(Member, owner.id);
      row.role = 'owner';
      row.status = 'confirmed';
    });
    await expectDomainError(
      sqlTx((em) => revokeMember(scimContext(em, organization.id), owner.id)),
      'last_owner',
    );
    await expectDomainError(
      sqlTx((em) => removeMember(scimContext(em, organization.id), owner.id)),
      'last_owner',
    );
    const second = await sqlTx((em) =>
      provisionMember(scimContext(em, organization.id), user('owner2@x.com'), settings),
    );
    await tx(async (em) => {
      const row = await em.findOneOrFail(Member, second.id);
      row.role = 'owner';
      row.status = 'confirmed';
    });
    await sqlTx((em) => revokeMember(scimContext(em, organization.id), owner.id));
  });

  it('accepts an invitation once, then confirms; expired or reused tokens fail clearly', async () => {
    const { organization } = await makeOrganization(orm);
    const m = await sqlTx((em) =>
      provisionMember(scimContext(em, organization.id), user('inv@x.com'), settings),
    );
    const mail = await orm.em
      .fork()
      .findOneOrFail(OutboxEmail, { organization: organization.id, kind: 'invitation' });
    expect(mail.to).toEqual(['inv@x.com']);
    const token = decodeURIComponent(/token=([^\s"&]+)/.exec(mail.text)![1]!);
    await tx((em) => acceptInvitation({ em, actor: 'system' }, hashSecret(token)));
    await expectDomainError(
      tx((em) => acceptInvitation({ em, actor: 'system' }, hashSecret(token))),
      'invalid_value',
    );
    await expectDomainError(
      tx((em) => acceptInvitation({ em, actor: 'system' }, hashSecret('nope'))),
      'not_found',
    );
    await sqlTx((em) => confirmMember({ em, organizationId: organization.id, actor: 'admin' }, m.id));
    expect((await orm.em.fork().findOneOrFail(Member, m.id)).status).toBe('confirmed');
  });

  it('updates attributes, links an existing unmanaged member and sets externalId', async () => {
    const { organization } = await makeOrganization(orm);
    const manual = await sqlTx((em) =>
      provisionMember({ em, organizationId: organization.id, actor: 'admin' }, user('carol@x.com'), settings),
    );
    const linked = await sqlTx((em) =>
      provisionMember(
        scimContext(em, organization.id),
        user('carol@x.com', { externalId: 'obj-1' }),
        settings,
      ),
    );
    expect(linked.id).toBe(manual.id);
    const updated = await sqlTx((em) =>
      updateMember(
        scimContext(em, organization.id),
        manual.id,
        user('Carol.New@x.com', { externalId: 'obj-1', active: false }),
      ),
    );
    expect(updated.status).toBe('revoked');
    await sqlTx((em) =>
      setExternalId({ em, organizationId: organization.id, actor: 'admin' }, manual.id, 'obj-2'),
    );
    const row = await orm.em.fork().findOneOrFail(Member, manual.id);
    expect([row.userName, row.externalId, row.scimManaged]).toEqual(['Carol.New@x.com', 'obj-2', true]);
    expect(row.version).toBe(4); // created, linked, updated, externalId set
    // The same input again, its document's keys in an order jsonb does not keep: nothing written.
    const again = user('Carol.New@x.com', {
      externalId: 'obj-2',
      active: false,
      document: { zz: 1, userName: 'Carol.New@x.com', a: { y: 2, b: 1 } },
    });
    await sqlTx((em) => updateMember(scimContext(em, organization.id), manual.id, again));
    const before = (await orm.em.fork().findOneOrFail(Member, manual.id)).version;
    await sqlTx((em) => updateMember(scimContext(em, organization.id), manual.id, { ...again }));
    expect((await orm.em.fork().findOneOrFail(Member, manual.id)).version).toBe(before);
  });

  it('reads a member row with the values the ORM reads (timestamps, JSON, flags) on either driver', async () => {
    const { organization } = await makeOrganization(orm);
    const created = await sqlTx((em) =>
      provisionMember(scimContext(em, organization.id), user('dora@x.com', { externalId: 'd-1' }), settings),
    );
    const locked = await sqlTx((em) => lockMember(scimContext(em, organization.id), created.id));
    const entity = await orm.em.fork().findOneOrFail(Member, created.id);
    expect(locked).toEqual({
      id: entity.id,
      userName: entity.userName,
      externalId: entity.externalId,
      email: entity.email,
      displayName: entity.displayName ?? null,
      givenName: entity.givenName ?? null,
      familyName: entity.familyName ?? null,
      status: entity.status,
      previousStatus: entity.previousStatus ?? null,
      role: entity.role,
      scimManaged: entity.scimManaged,
      managerId: entity.managerId ?? null,
      document: entity.document,
      version: entity.version,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
    });
    expect(Number.isNaN(locked.createdAt.getTime())).toBe(false);
    await expectDomainError(
      sqlTx((em) => lockMember(scimContext(em, organization.id), randomUUID())),
      'not_found',
    );
  });

  it('changes group membership as set operations touching only the changed rows (10k members)', async () => {
    const { organization } = await makeOrganization(orm, { provisionMode: 'stage' });
    const ids: string[] = [];
    await tx(async (em) => {
      for (let i = 0; i < 10_000; i++) {
        const m = em.create(Member, {
          id: randomUUID(),
          organization: organization.id,
          userName: `m${i}@x.com`,
          userNameLower: `m${i}@x.com`,
          status: 'staged',
          document: {},
        });
        ids.push(m.id);
      }
    });
    const group = await sqlTx((em) =>
      createGroup(scimContext(em, organization.id), { displayName: 'Big', externalId: null, document: {} }),
    );
    const first = await sqlTx((em) => addMembers(scimContext(em, organization.id), group.id, ids));
    expect(first.added).toBe(10_000);
    // Re-adding existing members inserts nothing; adding one inserts one.
    const again = await sqlTx((em) =>
      addMembers(scimContext(em, organization.id), group.id, ids.slice(0, 5000)),
    );
    expect(again.added).toBe(0);
    const removed = await sqlTx((em) =>
      removeMembers(scimContext(em, organization.id), group.id, [ids[0]!, ids[1]!]),
    );
    expect(removed.removed).toBe(2);
    const replaced = await sqlTx((em) =>
      replaceMembers(scimContext(em, organization.id), group.id, [ids[0]!, ids[5]!]),
    );
    expect([replaced.added, replaced.removed]).toEqual([1, 9_997]);
    const em = orm.em.fork();
    expect(await em.count(GroupMembership, { group: group.id })).toBe(2);
    expect((await em.findOneOrFail(Group, group.id)).memberCount).toBe(2);
    // Unknown ids are reported and nothing changes.
    await expectDomainError(
      sqlTx((em2) =>
        addMembers(scimContext(em2, organization.id), group.id, [
          ids[7]!,
          '00000000-0000-4000-8000-000000000000',
        ]),
      ),
      'invalid_value',
    );
    expect(await orm.em.fork().count(GroupMembership, { group: group.id })).toBe(2);
    // A member of another organization is unknown here, even though the id exists.
    const other = await makeOrganization(orm, { provisionMode: 'stage' });
    const foreign = await tx(async (em2) =>
      em2.create(Member, {
        id: randomUUID(),
        organization: other.organization.id,
        userName: 'foreign@x.com',
        userNameLower: 'foreign@x.com',
        status: 'staged',
        document: {},
      }),
    );
    await expectDomainError(
      sqlTx((em2) => addMembers(scimContext(em2, organization.id), group.id, [foreign.id])),
      'invalid_value',
    );
    // Each change that changed rows moved the version once and wrote one audit event; the
    // no-op re-add did neither. The group as the ORM reads it agrees with the plain-SQL counter.
    const after = await orm.em.fork().findOneOrFail(Group, group.id);
    expect([after.memberCount, after.version]).toEqual([2, group.version + 3]);
    expect(replaced.group).toMatchObject({ id: group.id, memberCount: 2, version: group.version + 3 });
    const events = await orm.em
      .fork()
      .find(
        AuditEvent,
        { targetId: group.id, action: { $like: 'group.members_%' } },
        { orderBy: { id: 'asc' } },
      );
    expect(events.map((e) => [e.action, e.actor, e.data])).toEqual([
      ['group.members_added', 'scim', { count: 10_000, memberIds: ids.slice(0, 50) }],
      ['group.members_removed', 'scim', { count: 2, memberIds: [ids[0], ids[1]] }],
      ['group.members_replaced', 'scim', { added: 1, removed: 9_997 }],
    ]);
  }, 120_000);

  it('adds or removes members with one statement after the lock on PostgreSQL, and records the change', async () => {
    const { organization } = await makeOrganization(orm);
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const m = await sqlTx((em) =>
        provisionMember(scimContext(em, organization.id), user(`${name}@x.com`), settings),
      );
      ids.push(m.id);
    }
    const group = await sqlTx((em) =>
      createGroup(scimContext(em, organization.id), { displayName: 'One', externalId: null, document: {} }),
    );
    const statements: string[] = [];
    const stop = onQuery(orm, (query) => statements.push(query));
    const added = await sqlTx((em) =>
      addMembers(scimContext(em, organization.id), group.id, [ids[0]!, ids[1]!, ids[0]!]),
    ).finally(stop);
    // the row lock, then the change with its counter, version and audit event
    const afterLock = statements.filter((q) => !/^(begin|commit)$/i.test(q)).slice(1);
    expect(afterLock).toHaveLength(kind === 'postgresql' ? 1 : 3);
    expect(added).toMatchObject({ added: 2, group: { memberCount: 2, version: group.version + 1 } });
    const removed = await sqlTx((em) =>
      removeMembers(scimContext(em, organization.id), group.id, [ids[1]!, ids[2]!, 'not-a-uuid']),
    );
    expect(removed).toMatchObject({ removed: 1, group: { memberCount: 1, version: group.version + 2 } });
    // Nothing to change: the same head back, no new version, no event.
    const none = await sqlTx((em) => removeMembers(scimContext(em, organization.id), group.id, [ids[2]!]));
    expect(none).toMatchObject({ removed: 0, group: { memberCount: 1, version: group.version + 2 } });
    const em = orm.em.fork();
    expect(await em.findOneOrFail(Group, group.id)).toMatchObject({
      memberCount: 1,
      version: group.version + 2,
    });
    const events = await em.find(
      AuditEvent,
      { targetId: group.id, action: { $like: 'group.members_%' } },
      { orderBy: { id: 'asc' } },
    );
    expect(events.map((e) => [e.action, e.data])).toEqual([
      ['group.members_added', { count: 2, memberIds: [ids[0], ids[1]] }],
      ['group.members_removed', { count: 1, memberIds: [ids[1], ids[2], 'not-a-uuid'] }],
    ]);
  });

  it('creates a group with its members in one write, and refuses unknown ids or a taken name without a trace', async () => {
    const { organization } = await makeOrganization(orm, { provisionMode: 'stage' });
    const ctx = (em: EntityManager) => scimContext(em, organization.id);
    const members = await tx(async (em) => {
      const out: string[] = [];
      for (let i = 0; i < 3; i++)
        out.push((await provisionMember(ctx(em), user(`g${i}@x.com`), settings)).id);
      return out;
    });
    const statements: string[] = [];
    const stop = onQuery(orm, (query) => statements.push(query));
    const group = await sqlTx((em) =>
      createGroup(ctx(em), { displayName: 'Pilots', externalId: 'ext-pilots', document: { a: 1 } }, [
        ...members,
        members[0]!, // a repeated id counts once
      ]).finally(stop),
    );
    // One read (is the name or externalId taken?), then the group, its two audit events and its
    // memberships: one statement on PostgreSQL, one per table on SQLite.
    const writes = statements.filter((q) => /\binsert into\b/i.test(q));
    expect(writes).toHaveLength(kind === 'postgresql' ? 1 : 3);
    expect(statements.filter((q) => !/^begin/i.test(q))).toHaveLength(writes.length + 1);
    expect(group).toMatchObject({ displayName: 'Pilots', memberCount: 3, version: 2 });
    const em = orm.em.fork();
    const stored = await em.findOneOrFail(Group, group.id);
    expect([stored.memberCount, stored.version, stored.externalId, stored.document]).toEqual([
      3,
      2,
      'ext-pilots',
      { a: 1 },
    ]);
    expect((await em.find(GroupMembership, { group: group.id })).map((m) => m.member.id).sort()).toEqual(
      [...members].sort(),
    );
    const events = await em.find(AuditEvent, { targetId: group.id }, { orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.data])).toEqual([
      ['group.created', { displayName: 'Pilots' }],
      ['group.members_added', { count: 3, memberIds: members }],
    ]);

    // Without members: version 1, no membership event.
    const empty = await sqlTx((em2) =>
      createGroup(ctx(em2), { displayName: 'Empty', externalId: null, document: {} }),
    );
    expect(empty).toMatchObject({ memberCount: 0, version: 1 });

    const groups = async () => (await orm.em.fork().find(Group, { organization: organization.id })).length;
    const before = await groups();
    // An unknown id (or a non-UUID) refuses the whole create.
    await expectDomainError(
      sqlTx((em2) =>
        createGroup(ctx(em2), { displayName: 'Ghosts', externalId: null, document: {} }, [
          members[1]!,
          '00000000-0000-4000-8000-000000000000',
        ]),
      ),
      'invalid_value',
    );
    await expectDomainError(
      sqlTx((em2) =>
        createGroup(ctx(em2), { displayName: 'Ghosts', externalId: null, document: {} }, ['nope']),
      ),
      'invalid_value',
    );
    // The name case-insensitively, the externalId exactly.
    await expectDomainError(
      sqlTx((em2) => createGroup(ctx(em2), { displayName: 'PILOTS', externalId: null, document: {} })),
      'conflict',
    );
    await expectDomainError(
      sqlTx((em2) => createGroup(ctx(em2), { displayName: 'Other', externalId: 'ext-pilots', document: {} })),
      'conflict',
    );
    expect(await groups()).toBe(before);
    expect(
      await orm.em.fork().count(AuditEvent, { action: 'group.created', organization: organization.id }),
    ).toBe(2);
  });

  it('renames, replaces and deletes a group in plain SQL, each with its audit event', async () => {
    const { organization } = await makeOrganization(orm, { provisionMode: 'stage' });
    const ctx = (em: EntityManager) => scimContext(em, organization.id);
    const member = await sqlTx((em) => provisionMember(ctx(em), user('crew@x.com'), settings));
    const make = (displayName: string, externalId: string | null) =>
      sqlTx((em) =>
        createGroup(ctx(em), { displayName, externalId, document: { displayName } }, [member.id]),
      );
    const group = await make('Crew', 'ext-crew');
    await make('Staff', null);
    const stored = () => orm.em.fork().findOneOrFail(Group, group.id);

    // Nothing changed: nothing written, the version stays.
    const same = await sqlTx((em) =>
      updateGroup(ctx(em), group.id, { displayName: 'Crew', document: { displayName: 'Crew' } }),
    );
    expect(same.version).toBe(group.version);
    const renamed = await sqlTx((em) =>
      updateGroup(ctx(em), group.id, { displayName: 'Flight Crew', externalId: 'ext-2' }),
    );
    expect(renamed).toMatchObject({ displayName: 'Flight Crew', version: group.version + 1, memberCount: 1 });
    expect(await stored()).toMatchObject({
      displayName: 'Flight Crew',
      displayNameLower: 'flight crew',
      externalId: 'ext-2',
      document: { displayName: 'Crew' },
    });
    // A document-only change moves the version without an audit event; the same document again
    // (PostgreSQL's jsonb hands its keys back in another order) writes nothing.
    const document = { zz: 'Flight Crew', a: [1, { y: 2, b: 3 }] };
    await sqlTx((em) => updateGroup(ctx(em), group.id, { document }));
    expect((await stored()).version).toBe(group.version + 2);
    await sqlTx((em) => updateGroup(ctx(em), group.id, { document: { ...document } }));
    expect(await stored()).toMatchObject({ version: group.version + 2, document });

    // Refused without a trace: a taken name (any case), a stale If-Match, an unknown id.
    await expectDomainError(
      sqlTx((em) => updateGroup(ctx(em), group.id, { displayName: 'STAFF' })),
      'conflict',
    );
    await expectDomainError(
      sqlTx((em) => updateGroup(ctx(em), group.id, { displayName: 'X' }, { expectedVersion: 1 })),
      'precondition_failed',
    );
    await expectDomainError(
      sqlTx((em) => updateGroup(ctx(em), randomUUID(), { displayName: 'X' })),
      'not_found',
    );
    expect((await stored()).displayName).toBe('Flight Crew');

    await expectDomainError(
      sqlTx((em) => deleteGroup(ctx(em), group.id, { expectedVersion: 1 })),
      'precondition_failed',
    );
    await sqlTx((em) => deleteGroup(ctx(em), group.id));
    const em = orm.em.fork();
    expect(await em.count(Group, { id: group.id })).toBe(0);
    expect(await em.count(GroupMembership, { group: group.id })).toBe(0);
    const events = await em.find(
      AuditEvent,
      { organization: organization.id, action: { $in: ['group.updated', 'group.deleted'] } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    expect(events.map((e) => [e.action, e.targetId, e.data])).toEqual([
      [
        'group.updated',
        group.id,
        { displayName: { from: 'Crew', to: 'Flight Crew' }, externalId: { from: 'ext-crew', to: 'ext-2' } },
      ],
      ['group.deleted', group.id, { displayName: 'Flight Crew' }],
    ]);
  });

  it('a plain-SQL transaction commits, rolls back on a throw, and refuses ORM queries', async () => {
    const { organization } = await makeOrganization(orm);
    const count = () => orm.em.fork().count(Member, { organization: organization.id });
    const statements: string[] = [];
    const stop = onQuery(orm, (query) => statements.push(query));
    await sqlTx((em) => provisionMember(scimContext(em, organization.id), user('kept@x.com'), settings));
    stop();
    if (kind === 'postgresql') {
      expect(statements.at(0)).toBe('begin');
      expect(statements.at(-1)).toBe('commit');
    }
    expect(await count()).toBe(1);

    const failure = sqlTx(async (em) => {
      await provisionMember(scimContext(em, organization.id), user('dropped@x.com'), settings);
      throw new Error('after the insert');
    });
    await expect(failure).rejects.toThrow('after the insert');
    expect(await count()).toBe(1);

    // The unit of work has no transaction there: an ORM query throws rather than running outside it.
    const ormQuery = sqlTx((em) => em.count(Member, { organization: organization.id }));
    if (kind === 'postgresql') await expect(ormQuery).rejects.toThrow(/plain-SQL transaction/);
    else expect(await ormQuery).toBe(1);
  });

  it.runIf(kind === 'postgresql')(
    'a plain-SQL transaction sends BEGIN with its first statement: one round trip per statement',
    async () => {
      const single = await createTestOrm(db, 1);
      try {
        const trips = await countRoundTrips(single);
        const twoStatements = () =>
          plainTransaction(single.em, async (em) => {
            await executeSql(em, 'select 1 as one');
            return executeSql(em, 'select ?::int as two', [2]);
          });
        // First run: the statements are parsed on this connection now, BEGIN goes on its own.
        expect(await twoStatements()).toEqual([{ two: 2 }]);
        trips.reset();
        expect(await twoStatements()).toEqual([{ two: 2 }]);
        expect(trips.count).toBe(3); // begin + select, select, commit
        // No statement: nothing sent at all.
        trips.reset();
        await plainTransaction(single.em, async () => undefined);
        expect(trips.count).toBe(0);
        // A failed statement sent with BEGIN still rolls back, and the connection goes on working.
        await expect(
          plainTransaction(single.em, (em) => executeSql(em, 'select 1 / (? - 1) as boom', [1])),
        ).rejects.toThrow(/division by zero/);
        expect(await twoStatements()).toEqual([{ two: 2 }]);
      } finally {
        await single.close(true);
      }
    },
  );

  it("a deferred write runs in order, with the transaction, and its error is the commit's", async () => {
    await orm.em
      .fork()
      .getConnection()
      .execute('create table if not exists deferred_probe (id int primary key, at timestamp)');
    const ids = async () =>
      (await executeSql(orm.em.fork(), 'select id from deferred_probe order by id')).map((r) =>
        Number(r['id']),
      );
    const at = new Date('2026-12-03T10:00:00.000Z');
    const insert = (em: EntityManager, id: number) =>
      executeDeferred(em, 'insert into deferred_probe (id, at) values (?, ?)', [id, at]);
    await sqlTx((em) => insert(em, 1));
    // A statement after it sees it: the deferred write goes first.
    const seen = await sqlTx(async (em) => {
      await insert(em, 2);
      return executeSql(em, 'select count(*) as n from deferred_probe where id = 2');
    });
    expect(Number(seen[0]?.['n'])).toBe(1);
    // A throw after it: nothing written. A failing one (duplicate key) fails the transaction, and
    // what ran before it is rolled back.
    await expect(
      sqlTx(async (em) => {
        await insert(em, 3);
        throw new Error('after the write');
      }),
    ).rejects.toThrow('after the write');
    await expect(
      sqlTx(async (em) => {
        await executeSql(em, 'insert into deferred_probe (id, at) values (?, ?)', [4, at]);
        await insert(em, 1);
      }),
    ).rejects.toThrow(/unique|duplicate key/i);
    // Outside a transaction it runs at once.
    await insert(orm.em.fork(), 5);
    expect(await ids()).toEqual([1, 2, 5]);
  });

  it.runIf(kind === 'postgresql')(
    'a plain-SQL transaction sends its last deferred write with the COMMIT: one round trip for both',
    async () => {
      const single = await createTestOrm(db, 1);
      try {
        const trips = await countRoundTrips(single);
        await single.em
          .fork()
          .getConnection()
          .execute('create table if not exists deferred_trips (id int primary key, at timestamptz)');
        let id = 0;
        const at = new Date('2026-12-03T10:00:00.123Z');
        const selectThenWrite = () =>
          plainTransaction(single.em, async (em) => {
            const [row] = await executeSql(em, 'select ?::int as n', [1]);
            await executeDeferred(em, 'insert into deferred_trips (id, at) values (?, ?)', [++id, at]);
            return row;
          });
        // First run: the insert is parsed on this connection now and goes on its own.
        expect(await selectThenWrite()).toEqual({ n: 1 });
        trips.reset();
        expect(await selectThenWrite()).toEqual({ n: 1 });
        expect(trips.count).toBe(2); // begin + select, insert + commit
        // Its values went out as the driver sends them (a Date, not its toString()).
        const [stored] = await executeSql(
          single.em.fork(),
          'select at = ? as same from deferred_trips where id = 2',
          [at],
        );
        expect(stored?.['same']).toBe(true);
        // A failing deferred write (the same key again) rolls back; the connection goes on working.
        id--;
        await expect(selectThenWrite()).rejects.toBeInstanceOf(UniqueConstraintViolationException);
        expect(await selectThenWrite()).toEqual({ n: 1 });
        const rows = await single.em
          .fork()
          .getConnection()
          .execute<{ n: string }[]>('select count(*) as n from deferred_trips');
        expect(Number(rows[0]?.n)).toBe(id);
        // A transaction whose only statement is deferred: begin + insert, then commit.
        trips.reset();
        await plainTransaction(single.em, (em) =>
          executeDeferred(em, 'insert into deferred_trips (id, at) values (?, ?)', [++id, new Date()]),
        );
        expect(trips.count).toBe(2);
      } finally {
        await single.close(true);
      }
    },
  );

  it.runIf(kind === 'postgresql')(
    'a connection lost in a plain-SQL transaction is not handed out again',
    async () => {
      const single = await createTestOrm(db, 1);
      try {
        const lost = plainTransaction(single.em, (em) =>
          executeSql(em, 'select pg_terminate_backend(pg_backend_pid())'),
        );
        await expect(lost).rejects.toThrow();
        // One connection in the pool: had the dead one gone back, every later transaction would fail.
        for (let i = 0; i < 3; i++) {
          const [row] = await plainTransaction(single.em, (em) => executeSql(em, 'select 1 as one'));
          expect(row?.['one']).toBe(1);
        }
      } finally {
        await single.close(true);
      }
    },
  );
});
