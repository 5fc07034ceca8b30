// The same API on the embedded SQLite database: keyset cursors over epoch-millisecond timestamps,
// booleans as 0/1, strftime instead of date_trunc for the time buckets, and the hourly activity counts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rollUpActivity } from '@repo/domain';
import {
  gql,
  insertAuditEvent,
  insertGroup,
  insertMembers,
  insertSyncFailure,
  nodesOf,
  sql,
} from './graphql-client.js';
import { startTestApp, type TestApp, type TestOrganization } from './helpers/test-app.js';

let t: TestApp;
let org: TestOrganization;
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  t = await startTestApp({ kind: 'sqlite', worker: false });
  org = await t.organization('Lite', null);
  const members = await insertMembers(
    t,
    org.id,
    Array.from({ length: 5 }, (_, i) => ({
      userName: `User${i}`,
      email: `user${i}@lite.test`,
      status: i === 0 ? ('revoked' as const) : ('confirmed' as const),
      scimManaged: i % 2 === 0,
      createdAt: at(`2026-05-01T00:00:0${i}.000Z`),
    })),
  );
  await insertGroup(t, org.id, 'Crew', [members[1]!.id, members[2]!.id]);
  await insertAuditEvent(t, {
    organizationId: org.id,
    action: 'member.invited',
    createdAt: at('2026-05-01T10:15:00Z'),
  });
  await insertAuditEvent(t, {
    organizationId: org.id,
    action: 'user.create',
    outcome: 'failure',
    createdAt: at('2026-05-01T11:45:00Z'),
  });
  await insertSyncFailure(t, {
    organizationId: org.id,
    code: 'conflict',
    resourceType: 'User',
    occurrences: 3,
    firstSeenAt: at('2026-05-01T11:45:00Z'),
    lastSeenAt: at('2026-05-02T08:00:00Z'),
  });
});

afterAll(async () => {
  await t?.close();
});

it('pages members, resolves groups and reports on SQLite', async () => {
  const first = await gql(
    t,
    org.readerToken,
    `query($org: ID!) { organization(id: $org) {
       members(first: 2, filter: { search: "USER" }) { pageInfo { endCursor hasNextPage } edges { node { userName scimManaged groups { displayName } } } }
       membershipSummary { total scimManaged seatsUsed seatLimit }
       syncFailureStats(groupBy: DAY) { key failures occurrences open }
       provisioningActivity(range: { from: "2026-05-01T10:00:00Z", to: "2026-05-01T12:00:00Z" }, bucket: HOUR) { points { start total failed } }
     } }`,
    { org: org.id },
  );
  expect(first.errors).toBeUndefined();
  const o = first.data.organization;
  expect(nodesOf(o.members)).toEqual([
    { userName: 'User0', scimManaged: true, groups: [] },
    { userName: 'User1', scimManaged: false, groups: [{ displayName: 'Crew' }] },
  ]);
  expect(o.membershipSummary).toEqual({ total: 5, scimManaged: 3, seatsUsed: 4, seatLimit: null });
  expect(o.syncFailureStats).toEqual([{ key: '2026-05-02', failures: 1, occurrences: 3, open: 1 }]);
  expect(o.provisioningActivity.points).toEqual([
    { start: '2026-05-01T10:00:00.000Z', total: 1, failed: 0 },
    { start: '2026-05-01T11:00:00.000Z', total: 1, failed: 1 },
  ]);

  const next = await gql(
    t,
    org.readerToken,
    'query($org: ID!, $after: String) { organization(id: $org) { members(first: 10, after: $after) { edges { node { userName } } } } }',
    { org: org.id, after: o.members.pageInfo.endCursor },
  );
  expect(next.errors).toBeUndefined();
  expect(nodesOf<{ userName: string }>(next.data.organization.members).map((n) => n.userName)).toEqual([
    'User2',
    'User3',
    'User4',
  ]);
});

it('reads counted hours from the hourly counts on SQLite', async () => {
  const activity = async () => {
    const res = await gql(
      t,
      org.readerToken,
      `query($org: ID!) { organization(id: $org) {
         provisioningActivity(range: { from: "2026-05-01T10:00:00Z", to: "2026-05-01T12:00:00Z" }, bucket: HOUR) { points { start total failed } }
       } }`,
      { org: org.id },
    );
    expect(res.errors).toBeUndefined();
    return (res.data.organization.provisioningActivity as { points: unknown[] }).points;
  };
  const before = await activity();
  expect(await rollUpActivity(t.orm.em.fork(), { now: at('2026-05-01T11:40:00Z') })).toMatchObject({
    rolledUntil: at('2026-05-01T11:00:00Z'),
  });
  // Were the counted hour still read from the events, the answer would now lose it.
  await sql(t, 'delete from audit_event where organization_id = ? and created_at < ?', [
    org.id,
    at('2026-05-01T11:00:00Z'),
  ]);
  expect(await activity()).toEqual(before);
});
