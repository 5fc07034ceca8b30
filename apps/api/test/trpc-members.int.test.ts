// Members and invitations: changes go through the queue and the worker, under the domain rules.
import { randomUUID } from 'node:crypto';
import { AuditEvent, Invitation, Member, hashSecret } from '@repo/domain';
import type { ExecuteOutcome, Producer } from '@repo/jobs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCaller } from '../src/trpc/router.js';
import { startTestApp, type TestApp, type TestOrganization } from './helpers/test-app.js';
import {
  callerFor,
  clientFor,
  errorOf,
  invitationToken,
  memberRow,
  principalOf,
  scimUser,
  seedMember,
  type CaughtError,
} from './trpc-helpers.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp();
});
afterAll(async () => {
  await testApp?.close();
});

async function adminCaller(org: TestOrganization, requestId?: () => string) {
  return callerFor(testApp, await principalOf(testApp, org.adminToken), requestId);
}

describe('revoke and restore', () => {
  test('go through the queue: the worker applies them and audits them as the admin token', async () => {
    const org = await testApp.organization('Revoke');
    const memberId = await scimUser(org, 'ada@example.com'); // provisioned by the IdP over SCIM
    const requestId = randomUUID();
    const principal = await principalOf(testApp, org.adminToken);
    const caller = callerFor(testApp, principal, () => requestId);

    const revoked = await caller.members.revoke({ organizationId: org.id, memberId });
    expect(revoked).toMatchObject({ id: memberId, status: 'revoked', previousStatus: 'invited' });
    expect(await memberRow(testApp, memberId)).toMatchObject({
      status: 'revoked',
      previousStatus: 'invited',
    });
    // The audit event carries the job's request id and actor: written by the worker's transaction.
    const audit = await testApp.orm.em
      .fork()
      .findOne(AuditEvent, { targetId: memberId, action: 'member.revoked' });
    expect(audit).toMatchObject({ actor: 'admin', actorId: principal.tokenId, requestId });
    // The IdP reads the change back over SCIM.
    const scimView = (await fetch(`${org.scimUrl}/Users/${memberId}`, {
      headers: { authorization: `Bearer ${org.scimKey}` },
    }).then((r) => r.json())) as { active?: boolean };
    expect(scimView.active).toBe(false);

    const restored = await clientFor(testApp, org.adminToken).members.restore.mutate({
      organizationId: org.id,
      memberId,
    });
    expect(restored).toMatchObject({ id: memberId, status: 'invited', previousStatus: null });
    expect((await memberRow(testApp, memberId))?.status).toBe('invited');
  });

  test('restore past the seat limit is PRECONDITION_FAILED with reason seat_limit (HTTP 412)', async () => {
    const org = await testApp.organization('Seats', 1);
    const admin = clientFor(testApp, org.adminToken);
    const first = await seedMember(testApp, org.id, 'first@example.com');
    await admin.members.revoke.mutate({ organizationId: org.id, memberId: first });
    await seedMember(testApp, org.id, 'second@example.com'); // takes the only seat

    const error = await errorOf(admin.members.restore.mutate({ organizationId: org.id, memberId: first }));
    expect(error).toMatchObject({
      code: 'PRECONDITION_FAILED',
      httpStatus: 412,
      reason: 'seat_limit',
      details: { used: 1, seats: 1 },
    });
    expect(error?.message).toMatch(/Seat limit reached: 1 of 1 seats/);
    expect((await memberRow(testApp, first))?.status).toBe('revoked');

    // The admin fixes the cause; the same change succeeds at once (a new request, a new job).
    expect(await admin.organizations.update.mutate({ organizationId: org.id, seats: 2 })).toMatchObject({
      seats: 2,
      seatsUsed: 1,
    });
    expect(await admin.members.restore.mutate({ organizationId: org.id, memberId: first })).toMatchObject({
      status: 'invited',
    });
  });

  test('a reader cannot revoke; an unknown member is NOT_FOUND', async () => {
    const org = await testApp.organization('Reader');
    const memberId = await seedMember(testApp, org.id, 'r@example.com');
    const reader = clientFor(testApp, org.readerToken);
    expect(await errorOf(reader.members.revoke.mutate({ organizationId: org.id, memberId }))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'read_only_token',
    });
    const admin = clientFor(testApp, org.adminToken);
    expect(
      await errorOf(admin.members.revoke.mutate({ organizationId: org.id, memberId: randomUUID() })),
    ).toMatchObject({
      code: 'NOT_FOUND',
      httpStatus: 404,
    });
  });
});

describe('invitations', () => {
  test('accept is public: a bad token gets a clear NOT_FOUND, no token needed', async () => {
    const anonymous = clientFor(testApp);
    const error = await errorOf(anonymous.invitations.accept.mutate({ token: 'inv_not-a-real-token' }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
    expect(error?.message).toMatch(/invitation link is not valid/);
    expect(await errorOf(anonymous.invitations.accept.mutate({ token: '' }))).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'invalid_input',
    });
  });

  test('invite → accept (public) → confirm (admin); a repeated accept joins the first', async () => {
    const org = await testApp.organization('Invite');
    const memberId = await seedMember(testApp, org.id, 'grace@example.com');
    const token = await invitationToken(testApp, org.id, 'grace@example.com');

    const anonymous = clientFor(testApp);
    expect(await anonymous.invitations.accept.mutate({ token })).toEqual({
      memberId,
      organizationId: org.id,
      status: 'accepted',
    });
    // A double submit joins the first attempt and gets the same answer.
    expect(await anonymous.invitations.accept.mutate({ token })).toMatchObject({
      memberId,
      status: 'accepted',
    });
    expect((await memberRow(testApp, memberId))?.status).toBe('accepted');

    const admin = clientFor(testApp, org.adminToken);
    expect(await admin.members.confirm.mutate({ organizationId: org.id, memberId })).toMatchObject({
      status: 'confirmed',
    });
    const again = await errorOf(admin.members.confirm.mutate({ organizationId: org.id, memberId }));
    expect(again).toMatchObject({ code: 'PRECONDITION_FAILED', reason: 'precondition_failed' });
  });

  test('a used token, an expired token and a replaced token get errors that say so', async () => {
    const org = await testApp.organization('Expiry');
    const memberId = await seedMember(testApp, org.id, 'linus@example.com');
    const first = await invitationToken(testApp, org.id, 'linus@example.com');
    const admin = await adminCaller(org);

    const resent = await admin.invitations.resend({ organizationId: org.id, memberId });
    expect(resent.memberId).toBe(memberId);
    const second = await invitationToken(testApp, org.id, 'linus@example.com');
    expect(second).not.toBe(first);

    const anonymous = callerFor(testApp, null);
    expect(await errorOf(anonymous.invitations.accept({ token: first }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/replaced by a newer one/),
    });

    await testApp.orm.em
      .fork()
      .nativeUpdate(
        Invitation,
        { tokenHash: hashSecret(second) },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    const expired = await errorOf(clientFor(testApp).invitations.accept.mutate({ token: second }));
    expect(expired).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, reason: 'invalid_value' });
    expect(expired?.message).toMatch(/expired; ask an admin to resend it/);

    // Used earlier (say, more than ten minutes ago, so no job to join any more).
    await admin.invitations.resend({ organizationId: org.id, memberId });
    const third = await invitationToken(testApp, org.id, 'linus@example.com');
    await testApp.orm.em
      .fork()
      .nativeUpdate(Invitation, { tokenHash: hashSecret(third) }, { acceptedAt: new Date() });
    expect(await errorOf(anonymous.invitations.accept({ token: third }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'This invitation has already been used.',
    });
  });
});

describe('members.list', () => {
  let org: TestOrganization;
  const ids: string[] = [];

  beforeAll(async () => {
    org = await testApp.organization('Directory');
    // 25 members sharing 3 creation instants: the id tie-break must keep pages gap-free.
    const base = Date.now() - 60_000;
    await testApp.orm.em.fork().transactional(async (em) => {
      for (let i = 0; i < 25; i++) {
        const userName =
          i === 0
            ? 'al_ice@example.com'
            : i === 1
              ? 'alice@example.com'
              : `user${String(i).padStart(2, '0')}@example.com`;
        const m = em.create(Member, {
          id: randomUUID(),
          organization: org.id,
          userName,
          userNameLower: userName.toLowerCase(),
          email: userName,
          emailLower: userName.toLowerCase(),
          externalId: `EXT-${i}`,
          status: i % 5 === 0 ? 'revoked' : 'invited',
          previousStatus: i % 5 === 0 ? 'invited' : null,
          document: {},
          createdAt: new Date(base + (i % 3) * 1000),
        });
        ids.push(m.id);
      }
    });
  });

  test('cursor pagination returns every member once, in (createdAt, id) order, over HTTP', async () => {
    const reader = clientFor(testApp, org.readerToken);
    const seen: { id: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await reader.members.list.query({
        organizationId: org.id,
        limit: 4,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((m) => ({ id: m.id, createdAt: m.createdAt })));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(7);
    expect(seen.map((m) => m.id).sort()).toEqual([...ids].sort());
    const sorted = [...seen].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
    expect(seen).toEqual(sorted);
  });

  test('status filter and search by e-mail / userName prefix or exact externalId; wildcards are literal', async () => {
    const caller = callerFor(testApp, await principalOf(testApp, org.readerToken));
    const list = (input: { status?: 'revoked'; search?: string }) =>
      caller.members
        .list({ organizationId: org.id, limit: 100, ...input })
        .then((p) => p.items.map((m) => m.userName).sort());

    expect(await list({ status: 'revoked' })).toHaveLength(5);
    expect(await list({ search: 'AL' })).toEqual(['al_ice@example.com', 'alice@example.com']);
    expect(await list({ search: 'al_' })).toEqual(['al_ice@example.com']);
    expect(await list({ search: '%' })).toEqual([]);
    expect(await list({ search: 'EXT-7' })).toEqual(['user07@example.com']);
    expect(await list({ search: 'ext-7' })).toEqual([]);
    expect(await list({ search: 'user1', status: 'revoked' })).toEqual([
      'user10@example.com',
      'user15@example.com',
    ]);
  });

  test('a tampered cursor or a page size over 100 is BAD_REQUEST', async () => {
    const reader = clientFor(testApp, org.readerToken);
    expect(
      await errorOf(reader.members.list.query({ organizationId: org.id, cursor: 'bm90LWEtY3Vyc29y' })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'invalid_cursor',
    });
    const tooMany = await errorOf(reader.members.list.query({ organizationId: org.id, limit: 101 }));
    expect(tooMany).toMatchObject({ code: 'BAD_REQUEST', reason: 'invalid_input' });
    expect(tooMany?.message).toMatch(/^Invalid input: limit:/);
  });
});

describe('members.get, setExternalId, remove', () => {
  test('get shows groups and recent audit events; setExternalId conflicts are CONFLICT; remove deletes', async () => {
    const org = await testApp.organization('Details');
    const a = await seedMember(testApp, org.id, 'a@example.com', { externalId: 'A-1' });
    const b = await seedMember(testApp, org.id, 'b@example.com');
    const admin = clientFor(testApp, org.adminToken);

    expect(
      await admin.members.setExternalId.mutate({ organizationId: org.id, memberId: b, externalId: 'B-1' }),
    ).toMatchObject({
      externalId: 'B-1',
    });
    const conflict = await errorOf(
      admin.members.setExternalId.mutate({ organizationId: org.id, memberId: b, externalId: 'A-1' }),
    );
    expect(conflict).toMatchObject({ code: 'CONFLICT', httpStatus: 409, reason: 'conflict' });

    const details = await admin.members.get.query({ organizationId: org.id, memberId: b });
    expect(details.member).toMatchObject({ id: b, externalId: 'B-1', status: 'invited', scimManaged: true });
    expect(details.groups).toEqual([]);
    expect(details.recentEvents.map((e) => e.action)).toEqual(
      expect.arrayContaining(['member.external_id_set', 'member.invited', 'invitation.sent']),
    );

    expect(await admin.members.remove.mutate({ organizationId: org.id, memberId: a })).toEqual({
      memberId: a,
      removed: true,
    });
    expect(await memberRow(testApp, a)).toBeNull();
    expect(await errorOf(admin.members.get.query({ organizationId: org.id, memberId: a }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('queue states', () => {
  test('busy, timeout and an unavailable queue are retryable errors, not hangs', async () => {
    const org = await testApp.organization('Queue');
    const memberId = await seedMember(testApp, org.id, 'q@example.com');
    const principal = await principalOf(testApp, org.adminToken);
    const states: ExecuteOutcome<'admin.write'>[] = [
      { kind: 'busy', retryAfterSeconds: 2 },
      { kind: 'timeout', jobId: 'a-x', retryAfterSeconds: 1 },
      { kind: 'unavailable', retryAfterSeconds: 5 },
    ];
    const seen: (CaughtError | null)[] = [];
    for (const state of states) {
      // The procedure's only way to the queue is ctx.producer: stub it with the state.
      const producer = { ...testApp.producer, execute: async () => state } as unknown as Producer;
      const caller = createCaller({
        em: testApp.orm.em.fork(),
        principal,
        requestId: randomUUID(),
        producer,
        config: testApp.config,
        scimKeys: { forget: () => undefined },
      });
      seen.push(await errorOf(caller.members.revoke({ organizationId: org.id, memberId })));
    }
    expect(seen.map((e) => [e?.code, e?.reason])).toEqual([
      ['TOO_MANY_REQUESTS', 'busy'],
      ['SERVICE_UNAVAILABLE', 'timeout'],
      ['SERVICE_UNAVAILABLE', 'queue_unavailable'],
    ]);
    expect((await memberRow(testApp, memberId))?.status).toBe('invited');
  });
});
