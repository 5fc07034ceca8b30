// Batched loading: a page of members with their groups costs the same number of SQL statements
// for 10 members as for 100 (one `member_id in (…)` query for all their groups), counted through
// MikroORM's onQuery hook, which sees every statement the ORM's connection runs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gql, sql } from './graphql-client.js';
import { startTestApp, type TestApp, type TestOrganization } from './helpers/test-app.js';

let t: TestApp;
let small: TestOrganization;
let large: TestOrganization;

/** n members, each in 3 of 5 groups (chosen by index), inserted set-based. */
async function seed(organizationId: string, n: number) {
  await sql(
    t,
    `insert into member (id, organization_id, user_name, user_name_lower, status, role, scim_managed, document, version, created_at, updated_at)
     select gen_random_uuid(), ?, 'user' || i, 'user' || i, 'confirmed', 'user', true, '{}', 1, now() + i * interval '1 ms', now()
     from generate_series(1, ?) i`,
    [organizationId, n],
  );
  await sql(
    t,
    `insert into member_group (id, organization_id, display_name, display_name_lower, document, member_count, version, created_at, updated_at)
     select gen_random_uuid(), ?, 'Group ' || g, 'group ' || g, '{}', 0, 1, now(), now() from generate_series(1, 5) g`,
    [organizationId],
  );
  await sql(
    t,
    `insert into group_membership (group_id, member_id, created_at)
     select g.id, m.id, now() from member m join member_group g on g.organization_id = m.organization_id
     where m.organization_id = ? and (substr(m.user_name, 5)::int + substr(g.display_name, 7)::int) % 5 < 3`,
    [organizationId],
  );
  await sql(
    t,
    `update member_group g set member_count = (select count(*) from group_membership gm where gm.group_id = g.id) where g.organization_id = ?`,
    [organizationId],
  );
}

async function countStatements<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const previous = t.orm.config.get('onQuery');
  t.orm.config.set('onQuery', (query: string, params: unknown[]) => {
    statements.push(query);
    return previous(query, params);
  });
  try {
    return { result: await run(), statements };
  } finally {
    t.orm.config.set('onQuery', previous);
  }
}

const PAGE = `query($org: ID!, $first: Int!) { organization(id: $org) {
  members(first: $first) { totalCount edges { node { id userName groups { id displayName memberCount } } } } } }`;

beforeAll(async () => {
  t = await startTestApp({ worker: false });
  small = await t.organization('Small');
  large = await t.organization('Large');
  await seed(small.id, 10);
  await seed(large.id, 100);
});

afterAll(async () => {
  await t?.close();
});

it('loads a page of 100 members with their groups in a constant number of statements', async () => {
  const runs = [];
  for (const [org, first] of [
    [small, 10],
    [large, 100],
  ] as const) {
    const { result, statements } = await countStatements(() =>
      gql(t, org.readerToken, PAGE, { org: org.id, first }),
    );
    expect(result.errors).toBeUndefined();
    const edges = result.data.organization.members.edges as { node: { groups: unknown[] } }[];
    expect(edges).toHaveLength(first);
    expect(edges.every((e) => e.node.groups.length > 0)).toBe(true);
    runs.push(statements);
  }
  const [ten, hundred] = runs;
  // token lookup, organization, members page, count, groups of all members on the page
  expect(hundred).toHaveLength(5);
  expect(hundred).toHaveLength(ten!.length);
  expect(hundred!.filter((s) => s.includes('from group_membership gm'))).toHaveLength(1);
});

it('costs one groups statement per members page, not per member, across organizations', async () => {
  const token = await t.allOrgsToken('reader');
  const { result, statements } = await countStatements(() =>
    gql(
      t,
      token,
      '{ organizations(first: 5) { edges { node { members(first: 100) { edges { node { groups { id } } } } } } } }',
    ),
  );
  expect(result.errors).toBeUndefined();
  // token, organizations page, then per organization: its members page and ONE groups query
  expect(statements.filter((s) => s.includes('from group_membership gm'))).toHaveLength(2);
  expect(statements).toHaveLength(2 + 2 * 2);
});
