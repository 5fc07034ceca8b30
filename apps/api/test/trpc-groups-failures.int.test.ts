// Groups (paginated members, set operations through the queue) and sync failure reports
// (list / get / retry through the queue / resolve / dismiss) from real worker failures.
import { randomUUID } from 'node:crypto';
import { createGroup } from '@repo/domain';
import { writeJobId } from '@repo/jobs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp, type TestOrganization } from './helpers/test-app.js';
import { clientFor, errorOf, seedMember } from './trpc-helpers.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp();
});
afterAll(async () => {
  await testApp?.close();
});

describe('groups', () => {
  test('list with search and cursor; get pages members; add / remove members through the queue', async () => {
    const org = await testApp.organization('Groups');
    const members: string[] = [];
    for (let i = 0; i < 5; i++) members.push(await seedMember(testApp, org.id, `m${i}@example.com`));
    const groupIds = await testApp.orm.em.fork().transactional(async (em) => {
      const ctx = { em, organizationId: org.id, actor: 'scim' as const };
      const ids: string[] = [];
      for (const name of ['Engineering', 'Eng_Ops', 'Sales']) {
        const group = await createGroup(
          ctx,
          { displayName: name, externalId: null, document: {} },
          name === 'Engineering' ? members : [],
        );
        ids.push(group.id);
      }
      return ids;
    });
    const [engineering = '', engOps = ''] = groupIds;
    const reader = clientFor(testApp, org.readerToken);
    const admin = clientFor(testApp, org.adminToken);

    const names = (await reader.groups.list.query({ organizationId: org.id, search: 'eng' })).items.map(
      (g) => g.displayName,
    );
    expect(names.sort()).toEqual(['Eng_Ops', 'Engineering']);
    expect(
      (await reader.groups.list.query({ organizationId: org.id, search: 'eng_' })).items.map((g) => g.id),
    ).toEqual([engOps]);
    const firstPage = await reader.groups.list.query({ organizationId: org.id, limit: 2 });
    const secondPage = await reader.groups.list.query({
      organizationId: org.id,
      limit: 2,
      cursor: firstPage.nextCursor ?? '',
    });
    expect([...firstPage.items, ...secondPage.items].map((g) => g.id).sort()).toEqual([...groupIds].sort());
    expect(secondPage.nextCursor).toBeNull();

    const seen: string[] = [];
    let membersCursor: string | undefined;
    do {
      const { group, members: page } = await reader.groups.get.query({
        organizationId: org.id,
        groupId: engineering,
        membersLimit: 2,
        ...(membersCursor ? { membersCursor } : {}),
      });
      expect(group).toMatchObject({ displayName: 'Engineering', memberCount: 5 });
      seen.push(...page.items.map((m) => m.id));
      membersCursor = page.nextCursor ?? undefined;
    } while (membersCursor);
    expect(seen).toEqual([...members].sort());

    const [m0 = '', m1 = ''] = members;
    expect(
      await admin.groups.addMembers.mutate({ organizationId: org.id, groupId: engOps, memberIds: [m0, m1] }),
    ).toMatchObject({
      memberCount: 2,
    });
    expect(
      await admin.groups.removeMembers.mutate({ organizationId: org.id, groupId: engOps, memberIds: [m1] }),
    ).toMatchObject({
      memberCount: 1,
    });
    const detail = await reader.members.get.query({ organizationId: org.id, memberId: m0 });
    expect(detail.groups.map((g) => g.displayName)).toEqual(['Eng_Ops', 'Engineering']);
    expect(detail.groupCount).toBe(2);

    const unknown = randomUUID();
    const error = await errorOf(
      admin.groups.addMembers.mutate({ organizationId: org.id, groupId: engOps, memberIds: [unknown] }),
    );
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'invalid_value',
      details: { unknownMemberIds: [unknown] },
    });
  });
});

describe('syncFailures', () => {
  let org: TestOrganization;

  /** What the SCIM adapter enqueues for POST /Users (the SCIM plugin's writer, minus HTTP). */
  async function scimCreate(userName: string) {
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      active: true,
      emails: [{ value: userName, type: 'work', primary: true }],
    };
    const jobId = writeJobId({
      organizationId: org.id,
      method: 'POST',
      path: '/Users',
      body,
      targetVersion: null,
    });
    return testApp.producer.execute(
      'scim.write',
      { v: 1, organizationId: org.id, requestId: randomUUID(), resource: 'User', method: 'POST', body },
      { jobId, organizationId: org.id },
    );
  }

  beforeAll(async () => {
    org = await testApp.organization('Failures', 1);
    await seedMember(testApp, org.id, 'seated@example.com');
  });

  test('a seat-limit failure is listed, explained, retried (refused, then applied after raising seats)', async () => {
    const refused = await scimCreate('late@example.com');
    expect(refused).toMatchObject({ kind: 'done', result: { ok: false, error: { code: 'seat_limit' } } });

    const reader = clientFor(testApp, org.readerToken);
    const admin = clientFor(testApp, org.adminToken);
    const open = await reader.syncFailures.list.query({
      organizationId: org.id,
      status: 'open',
      code: 'seat_limit',
    });
    expect(open.items).toHaveLength(1);
    const failure = open.items[0]!;
    expect(failure).toMatchObject({
      resourceType: 'User',
      operation: expect.any(String),
      status: 'open',
      occurrences: 1,
    });

    const detail = await reader.syncFailures.get.query({ organizationId: org.id, failureId: failure.id });
    expect(detail.request).toMatchObject({ method: 'POST', body: { userName: 'late@example.com' } });
    expect(detail.advice.length).toBeGreaterThan(10);

    const again = await admin.syncFailures.retry.mutate({ organizationId: org.id, failureId: failure.id });
    expect(again.outcome).toMatchObject({ ok: false, code: 'seat_limit' });
    expect(again.outcome.ok || again.outcome.message).toMatch(/Seat limit reached/);
    expect(again.failure.occurrences).toBe(2);

    await admin.organizations.update.mutate({ organizationId: org.id, seats: 5 });
    const applied = await admin.syncFailures.retry.mutate({ organizationId: org.id, failureId: failure.id });
    expect(applied.outcome).toMatchObject({ ok: true, resourceType: 'User', id: expect.any(String) });
    expect(applied.failure.status).toBe('resolved');
    const members = await reader.members.list.query({ organizationId: org.id, search: 'late@' });
    expect(members.items.map((m) => m.userName)).toEqual(['late@example.com']);
  });

  test('resolve and dismiss; list filters by status and since, with a cursor', async () => {
    await scimCreate('seated@example.com'); // userName taken: a conflict failure
    const admin = clientFor(testApp, org.adminToken);
    const conflicts = await admin.syncFailures.list.query({
      organizationId: org.id,
      status: 'open',
      code: 'conflict',
    });
    expect(conflicts.items).toHaveLength(1);
    const id = conflicts.items[0]!.id;

    expect(await admin.syncFailures.dismiss.mutate({ organizationId: org.id, failureId: id })).toMatchObject({
      status: 'dismissed',
    });
    expect(await admin.syncFailures.resolve.mutate({ organizationId: org.id, failureId: id })).toMatchObject({
      status: 'resolved',
    });
    expect((await admin.syncFailures.list.query({ organizationId: org.id, status: 'open' })).items).toEqual(
      [],
    );

    const pageOne = await admin.syncFailures.list.query({ organizationId: org.id, limit: 1 });
    expect(pageOne.nextCursor).not.toBeNull();
    const pageTwo = await admin.syncFailures.list.query({
      organizationId: org.id,
      limit: 1,
      cursor: pageOne.nextCursor ?? '',
    });
    expect(pageTwo.items[0]?.id).not.toBe(pageOne.items[0]?.id);
    expect(Date.parse(pageTwo.items[0]!.lastSeenAt)).toBeLessThanOrEqual(
      Date.parse(pageOne.items[0]!.lastSeenAt),
    );
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await admin.syncFailures.list.query({ organizationId: org.id, since: later })).items).toEqual([]);
  });
});
