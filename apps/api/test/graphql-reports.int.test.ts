// Every GraphQL field against seeded PostgreSQL state: members (filters, keyset pages both ways),
// groups, member details, membership summary, sync failures and their stats, provisioning
// activity, queue health.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollUpActivity } from '@repo/domain';
import {
  gql,
  insertAuditEvent,
  nodesOf,
  type GraphQLResult,
  insertGroup,
  insertMembers,
  insertSyncFailure,
  type SeedMember,
  sql,
} from './graphql-client.js';
import { startTestApp, type TestApp, type TestOrganization } from './helpers/test-app.js';

let t: TestApp;
let org: TestOrganization;
let token: string;
let named: Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin', SeedMember>;
let bulk: SeedMember[];
let groups: { engineering: string; sales: string; empty: string };

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const q = (query: string, variables: Record<string, unknown> = {}) =>
  gql(t, token, `query($org: ID!) { organization(id: $org) { ${query} } }`, { org: org.id, ...variables });

async function ok(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult['data']> {
  const res = await q(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data.organization;
}

beforeAll(async () => {
  t = await startTestApp({ worker: false });
  org = await t.organization('Acme', 10);
  token = org.readerToken;
  const [alice, bob, carol, dave, erin] = await insertMembers(t, org.id, [
    { userName: 'Alice', email: 'alice@acme.test', status: 'invited', scimManaged: true, createdAt: at(0) },
    {
      userName: 'bob@acme.test',
      email: 'bob@acme.test',
      status: 'confirmed',
      scimManaged: true,
      createdAt: at(1),
    },
    { userName: 'carol', email: 'carol@acme.test', status: 'staged', scimManaged: true, createdAt: at(2) },
    { userName: 'Dave', email: 'dave@example.org', status: 'revoked', scimManaged: false, createdAt: at(3) },
    {
      userName: 'erin@acme.test',
      email: 'erin@acme.test',
      status: 'accepted',
      scimManaged: false,
      createdAt: at(4),
    },
  ]);
  named = { alice: alice!, bob: bob!, carol: carol!, dave: dave!, erin: erin! };
  bulk = await insertMembers(
    t,
    org.id,
    // Two members share a creation time: the id breaks the tie, so pages never skip or repeat.
    Array.from({ length: 25 }, (_, i) => ({
      userName: `user${String(i).padStart(2, '0')}@bulk.test`,
      email: null,
      status: 'confirmed' as const,
      scimManaged: true,
      createdAt: at(10 + Math.min(i, 20)),
    })),
  );
  groups = {
    engineering: await insertGroup(t, org.id, 'Engineering', [alice!.id, bob!.id]),
    sales: await insertGroup(t, org.id, 'Sales', [bob!.id, erin!.id]),
    empty: await insertGroup(t, org.id, 'Alumni'),
  };
  for (const [minutes, action] of [
    [0, 'member.invited'],
    [60, 'member.updated'],
    [120, 'member.revoked'],
  ] as const) {
    await insertAuditEvent(t, { organizationId: org.id, action, targetId: bob!.id, createdAt: at(minutes) });
  }
});

afterAll(async () => {
  await t?.close();
});

interface MembersPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: { node: { id: string } }[];
}

const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);

describe('members', () => {
  const all = () =>
    [...Object.values(named), ...bulk].sort(
      (x, y) => x.createdAt.getTime() - y.createdAt.getTime() || (x.id < y.id ? -1 : 1),
    );

  it('pages forward with first/after through every member exactly once, in provisioning order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: GraphQLResult = await gql(
        t,
        token,
        `query($org: ID!, $after: String) { organization(id: $org) { members(first: 7, after: $after) {
           totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } } }`,
        { org: org.id, after },
      );
      expect(res.errors).toBeUndefined();
      const members: MembersPage = res.data.organization.members;
      seen.push(...ids(members));
      expect(members.totalCount).toBe(30);
      expect(members.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!members.pageInfo.hasNextPage) break;
      after = members.pageInfo.endCursor;
    }
    expect(seen).toEqual(all().map((m) => m.id));
  });

  it('pages backward with last/before', async () => {
    const res = await gql(
      t,
      token,
      `query($org: ID!, $before: String) { organization(id: $org) { members(last: 4, before: $before) {
        pageInfo { hasPreviousPage hasNextPage startCursor } edges { node { id } } } } }`,
      { org: org.id, before: null },
    );
    expect(res.errors).toBeUndefined();
    const expected = all().map((m) => m.id);
    expect(ids(res.data.organization.members)).toEqual(expected.slice(-4));
    expect(res.data.organization.members.pageInfo.hasPreviousPage).toBe(true);
    const before = res.data.organization.members.pageInfo.startCursor;
    const previous = await gql(
      t,
      token,
      `query($org: ID!, $before: String) { organization(id: $org) { members(last: 4, before: $before) { edges { node { id } } } } }`,
      { org: org.id, before },
    );
    expect(ids(previous.data.organization.members)).toEqual(expected.slice(-8, -4));
  });

  it.each([
    ['status', { status: ['CONFIRMED', 'INVITED'] }, () => [named.alice, named.bob, ...bulk]],
    ['group', { groupId: 'ENGINEERING' }, () => [named.alice, named.bob]],
    ['search on userName, any case', { search: 'aLi' }, () => [named.alice]],
    ['search on e-mail', { search: 'DAVE@EX' }, () => [named.dave]],
    ['search treats % and _ literally', { search: '%' }, () => []],
    ['provisionedSince', { provisionedSince: at(3).toISOString() }, () => [named.dave, named.erin, ...bulk]],
    ['scimManaged', { scimManaged: false }, () => [named.dave, named.erin]],
    ['combined', { status: ['CONFIRMED'], groupId: 'SALES', search: 'bob' }, () => [named.bob]],
    ['an unknown group', { groupId: randomUUID() }, () => []],
  ])('filters by %s', async (_label, rawFilter, expected) => {
    const filter = { ...rawFilter } as Record<string, unknown>;
    if (filter['groupId'] === 'ENGINEERING') filter['groupId'] = groups.engineering;
    if (filter['groupId'] === 'SALES') filter['groupId'] = groups.sales;
    const res = await gql(
      t,
      token,
      `query($org: ID!, $filter: MemberFilter) { organization(id: $org) { members(first: 100, filter: $filter) { totalCount edges { node { id } } } } }`,
      { org: org.id, filter },
    );
    expect(res.errors).toBeUndefined();
    const want = expected().map((m) => m.id);
    expect(new Set(ids(res.data.organization.members))).toEqual(new Set(want));
    expect(res.data.organization.members.totalCount).toBe(want.length);
  });

  it('exposes member fields and rejects a cursor from another connection', async () => {
    const data = await ok(
      'members(first: 1) { edges { cursor node { id userName email status role scimManaged createdAt } } }',
    );
    expect(data.members.edges[0].node).toEqual({
      id: named.alice.id,
      userName: 'Alice',
      email: 'alice@acme.test',
      status: 'INVITED',
      role: 'USER',
      scimManaged: true,
      createdAt: at(0).toISOString(),
    });
    const groupsPage = await ok('groups(first: 1) { edges { cursor } }');
    const res = await gql(
      t,
      token,
      'query($org: ID!, $after: String) { organization(id: $org) { members(after: $after) { edges { node { id } } } } }',
      { org: org.id, after: groupsPage.groups.edges[0].cursor },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('groups', () => {
  it('lists groups alphabetically with the maintained member count, and searches by prefix', async () => {
    const data = await ok('groups { totalCount edges { node { displayName memberCount } } }');
    expect(nodesOf(data.groups)).toEqual([
      { displayName: 'Alumni', memberCount: 0 },
      { displayName: 'Engineering', memberCount: 2 },
      { displayName: 'Sales', memberCount: 2 },
    ]);
    const found = await ok('groups(search: "eNg") { edges { node { displayName } } }');
    expect(found.groups.edges).toEqual([{ node: { displayName: 'Engineering' } }]);
  });

  it('answers group(id) { members } and null for an unknown group', async () => {
    const data = await ok(
      `g: group(id: "${groups.sales}") { displayName members { totalCount edges { node { userName } } } }
       none: group(id: "${randomUUID()}") { id }`,
    );
    expect(data.g).toEqual({
      displayName: 'Sales',
      members: {
        totalCount: 2,
        edges: [{ node: { userName: 'bob@acme.test' } }, { node: { userName: 'erin@acme.test' } }],
      },
    });
    expect(data.none).toBeNull();
  });
});

describe('member(id)', () => {
  it('answers groups and audit events (newest first, paged)', async () => {
    const data = await ok(
      `member(id: "${named.bob.id}") { userName groups { displayName }
         auditEvents(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { action actor outcome targetType createdAt } } } }`,
    );
    expect(data.member.groups).toEqual([{ displayName: 'Engineering' }, { displayName: 'Sales' }]);
    expect(data.member.auditEvents.totalCount).toBe(3);
    expect(nodesOf<{ action: string }>(data.member.auditEvents).map((n) => n.action)).toEqual([
      'member.revoked',
      'member.updated',
    ]);
    expect(data.member.auditEvents.edges[0].node).toEqual({
      action: 'member.revoked',
      actor: 'SCIM',
      outcome: 'SUCCESS',
      targetType: 'member',
      createdAt: at(120).toISOString(),
    });
    const rest = await ok(
      `member(id: "${named.bob.id}") { auditEvents(first: 2, after: "${data.member.auditEvents.pageInfo.endCursor}") { pageInfo { hasNextPage } edges { node { action } } } }`,
    );
    expect(rest.member.auditEvents).toEqual({
      pageInfo: { hasNextPage: false },
      edges: [{ node: { action: 'member.invited' } }],
    });
  });

  it('is null for an unknown or malformed id', async () => {
    const data = await ok(`a: member(id: "${randomUUID()}") { id } b: member(id: "nope") { id }`);
    expect(data).toEqual({ a: null, b: null });
  });
});

describe('membershipSummary', () => {
  it('counts by status and SCIM management, with seats used and the limit', async () => {
    const data = await ok(
      'membershipSummary { total scimManaged notScimManaged seatsUsed seatLimit seatsAvailable byStatus { status total scimManaged notScimManaged } }',
    );
    expect(data.membershipSummary).toEqual({
      total: 30,
      scimManaged: 28,
      notScimManaged: 2,
      // invited (alice) + confirmed (bob + 25 bulk) + accepted (erin)
      seatsUsed: 28,
      seatLimit: 10,
      seatsAvailable: 0,
      byStatus: [
        { status: 'STAGED', total: 1, scimManaged: 1, notScimManaged: 0 },
        { status: 'INVITED', total: 1, scimManaged: 1, notScimManaged: 0 },
        { status: 'ACCEPTED', total: 1, scimManaged: 0, notScimManaged: 1 },
        { status: 'CONFIRMED', total: 26, scimManaged: 26, notScimManaged: 0 },
        { status: 'REVOKED', total: 1, scimManaged: 0, notScimManaged: 1 },
      ],
    });
  });
});

describe('sync failures', () => {
  const day = (d: number, h = 12) => new Date(Date.UTC(2026, 2, d, h));
  let failures: Record<string, string>;

  beforeAll(async () => {
    failures = {
      seatOld: await insertSyncFailure(t, {
        organizationId: org.id,
        code: 'seat_limit',
        resourceType: 'User',
        occurrences: 4,
        firstSeenAt: day(1),
        lastSeenAt: day(2),
      }),
      seatNew: await insertSyncFailure(t, {
        organizationId: org.id,
        code: 'seat_limit',
        resourceType: 'User',
        occurrences: 1,
        firstSeenAt: day(5),
        lastSeenAt: day(5),
        status: 'resolved',
      }),
      conflict: await insertSyncFailure(t, {
        organizationId: org.id,
        code: 'conflict',
        resourceType: 'User',
        occurrences: 2,
        firstSeenAt: day(3),
        lastSeenAt: day(6),
      }),
      group: await insertSyncFailure(t, {
        organizationId: org.id,
        code: 'unknown_members',
        resourceType: 'Group',
        occurrences: 7,
        firstSeenAt: day(6),
        lastSeenAt: day(6, 18),
        status: 'dismissed',
      }),
    };
  });

  it('lists failures most recently seen first, with filters', async () => {
    const all = await ok('syncFailures { totalCount edges { node { id code occurrences status advice } } }');
    expect(ids(all.syncFailures)).toEqual([
      failures.group,
      failures.conflict,
      failures.seatNew,
      failures.seatOld,
    ]);
    expect(all.syncFailures.edges[3].node).toMatchObject({
      code: 'seat_limit',
      occurrences: 4,
      status: 'OPEN',
    });
    expect(all.syncFailures.edges[3].node.advice).toEqual(expect.any(String));

    const filtered = async (filter: Record<string, unknown>) => {
      const res = await gql(
        t,
        token,
        'query($org: ID!, $f: SyncFailureFilter) { organization(id: $org) { syncFailures(filter: $f) { edges { node { id } } } } }',
        { org: org.id, f: filter },
      );
      expect(res.errors).toBeUndefined();
      return ids(res.data.organization.syncFailures);
    };
    expect(await filtered({ status: ['OPEN'] })).toEqual([failures.conflict, failures.seatOld]);
    expect(await filtered({ code: 'seat_limit' })).toEqual([failures.seatNew, failures.seatOld]);
    expect(await filtered({ resourceType: 'Group' })).toEqual([failures.group]);
    // Seen at any time in [3rd, 5th): the old seat failure ended on the 2nd, the new one began on the 5th.
    expect(await filtered({ range: { from: day(3, 0).toISOString(), to: day(5, 0).toISOString() } })).toEqual(
      [failures.conflict],
    );
  });

  it('groups them by code, resource type and day', async () => {
    const stats = async (groupBy: string, extra = ''): Promise<unknown> =>
      (await ok(`syncFailureStats(groupBy: ${groupBy}${extra}) { key failures occurrences open }`))
        .syncFailureStats;
    expect(await stats('CODE')).toEqual([
      { key: 'seat_limit', failures: 2, occurrences: 5, open: 1 },
      { key: 'conflict', failures: 1, occurrences: 2, open: 1 },
      { key: 'unknown_members', failures: 1, occurrences: 7, open: 0 },
    ]);
    expect(await stats('RESOURCE_TYPE')).toEqual([
      { key: 'User', failures: 3, occurrences: 7, open: 2 },
      { key: 'Group', failures: 1, occurrences: 7, open: 0 },
    ]);
    expect(await stats('DAY')).toEqual([
      { key: '2026-03-02', failures: 1, occurrences: 4, open: 1 },
      { key: '2026-03-05', failures: 1, occurrences: 1, open: 0 },
      { key: '2026-03-06', failures: 2, occurrences: 9, open: 1 },
    ]);
    expect(
      await stats('CODE', `, range: { from: "${day(4, 0).toISOString()}" }, status: [OPEN, RESOLVED]`),
    ).toEqual([
      { key: 'conflict', failures: 1, occurrences: 2, open: 1 },
      { key: 'seat_limit', failures: 1, occurrences: 1, open: 0 },
    ]);
  });
});

describe('provisioningActivity', () => {
  const base = Date.parse('2026-04-10T00:00:00.000Z');
  const hour = (h: number, m = 0) => new Date(base + h * 3_600_000 + m * 60_000);

  beforeAll(async () => {
    const events: [Date, string, 'success' | 'failure', 'scim' | 'admin'][] = [
      [hour(0, 5), 'member.invited', 'success', 'scim'],
      [hour(0, 50), 'member.invited', 'success', 'scim'],
      [hour(0, 59), 'user.create', 'failure', 'scim'],
      [hour(2, 1), 'member.revoked', 'success', 'admin'],
      [hour(26), 'member.invited', 'success', 'scim'],
    ];
    for (const [createdAt, action, outcome, actor] of events) {
      await insertAuditEvent(t, { organizationId: org.id, action, outcome, actor, createdAt });
    }
  });

  it('buckets by hour, with empty hours as zeros and operations per bucket', async () => {
    const data = await ok(
      `provisioningActivity(range: { from: "${hour(0, 30).toISOString()}", to: "${hour(3).toISOString()}" }, bucket: HOUR) {
         bucket from to points { start end total succeeded failed operations { action total succeeded failed } } }`,
    );
    const activity = data.provisioningActivity;
    expect(activity.bucket).toBe('HOUR');
    expect(activity.from).toBe(hour(0).toISOString());
    expect(activity.points).toEqual([
      {
        start: hour(0).toISOString(),
        end: hour(1).toISOString(),
        total: 3,
        succeeded: 2,
        failed: 1,
        operations: [
          { action: 'member.invited', total: 2, succeeded: 2, failed: 0 },
          { action: 'user.create', total: 1, succeeded: 0, failed: 1 },
        ],
      },
      {
        start: hour(1).toISOString(),
        end: hour(2).toISOString(),
        total: 0,
        succeeded: 0,
        failed: 0,
        operations: [],
      },
      {
        start: hour(2).toISOString(),
        end: hour(3).toISOString(),
        total: 1,
        succeeded: 1,
        failed: 0,
        operations: [{ action: 'member.revoked', total: 1, succeeded: 1, failed: 0 }],
      },
    ]);
  });

  it('buckets by day and filters by actor', async () => {
    const data = await ok(
      `provisioningActivity(range: { from: "${hour(0).toISOString()}", to: "${hour(48).toISOString()}" }, bucket: DAY, actor: SCIM) {
         points { start total failed } }`,
    );
    expect(data.provisioningActivity.points).toEqual([
      { start: hour(0).toISOString(), total: 3, failed: 1 },
      { start: hour(24).toISOString(), total: 1, failed: 0 },
    ]);
  });

  it('answers the same from the hourly counts once hours are counted, the open hours from the events', async () => {
    const series = (range: string, bucket: 'HOUR' | 'DAY', actor = '') =>
      ok(
        `provisioningActivity(range: ${range}, bucket: ${bucket}${actor}) {
           points { start total succeeded failed operations { action total succeeded failed } } }`,
      );
    const queries = [
      () => series(`{ from: "${hour(0, 30).toISOString()}", to: "${hour(2, 30).toISOString()}" }`, 'HOUR'),
      () => series(`{ from: "${hour(0).toISOString()}", to: "${hour(48).toISOString()}" }`, 'DAY'),
      () =>
        series(
          `{ from: "${hour(0).toISOString()}", to: "${hour(48).toISOString()}" }`,
          'DAY',
          ', actor: ADMIN',
        ),
    ];
    const before = await Promise.all(queries.map((run) => run()));
    const hourly = before[0]!.provisioningActivity as { points: { total: number }[] };
    expect(hourly.points.map((p) => p.total)).toEqual([3, 0, 1]);

    // At 2:40 hours 0 and 1 have closed and settled; hour 2 (and the event of hour 26) have not.
    expect(await rollUpActivity(t.orm.em.fork(), { now: hour(2, 40) })).toMatchObject({
      rolledUntil: hour(2),
    });
    // Were the counted hours still read from the events, the answers would now lose them.
    await sql(t, 'delete from audit_event where organization_id = ? and created_at >= ? and created_at < ?', [
      org.id,
      hour(0),
      hour(2),
    ]);
    expect(await Promise.all(queries.map((run) => run()))).toEqual(before);
  });

  it('rejects ranges that are too long, reversed or open-ended at the start', async () => {
    for (const range of [
      `{ from: "${hour(0).toISOString()}", to: "${hour(24 * 32).toISOString()}" }`,
      `{ from: "${hour(5).toISOString()}", to: "${hour(1).toISOString()}" }`,
      `{ to: "${hour(1).toISOString()}" }`,
    ]) {
      const res = await q(`provisioningActivity(range: ${range}, bucket: HOUR) { from }`);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('queueHealth', () => {
  it('reports each queue, including the age of the oldest waiting job', async () => {
    await t.producer.enqueue('mail.send', { v: 1, outboxId: randomUUID() });
    const res = await gql(
      t,
      await t.allOrgsToken('reader'),
      '{ queueHealth { queue waiting active delayed failed oldestWaitingAgeMs } }',
    );
    expect(res.errors).toBeUndefined();
    const byQueue = Object.fromEntries(
      (res.data.queueHealth as { queue: string; oldestWaitingAgeMs: number }[]).map((h) => [h.queue, h]),
    );
    expect(byQueue['provisioning']).toEqual({
      queue: 'provisioning',
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 0,
      oldestWaitingAgeMs: null,
    });
    expect(byQueue['mail']).toMatchObject({ queue: 'mail', waiting: 1, active: 0 });
    expect(byQueue['mail']!.oldestWaitingAgeMs).toBeGreaterThanOrEqual(0);
  });
});
