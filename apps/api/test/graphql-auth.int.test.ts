// GraphQL auth matrix: no token, reader and admin tokens of one organization, another
// organization's token (answered exactly like a missing organization), all-organization tokens.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, insertGroup, insertMembers, nodesOf } from './graphql-client.js';
import { startTestApp, type TestApp, type TestOrganization } from './helpers/test-app.js';

let t: TestApp;
let a: TestOrganization;
let b: TestOrganization;
let bMemberId: string;
let bGroupId: string;
let allReader: string;

const ORG = `query Org($id: ID!) { organization(id: $id) { id name membershipSummary { total } } }`;

beforeAll(async () => {
  t = await startTestApp({ worker: false });
  a = await t.organization('Alpha');
  b = await t.organization('Beta');
  const [member] = await insertMembers(t, b.id, [
    {
      userName: 'bob@beta.test',
      email: 'bob@beta.test',
      status: 'confirmed',
      scimManaged: true,
      createdAt: new Date(),
    },
  ]);
  bMemberId = member!.id;
  bGroupId = await insertGroup(t, b.id, 'Beta Team', [bMemberId]);
  allReader = await t.allOrgsToken('reader');
});

afterAll(async () => {
  await t?.close();
});

describe('without a valid token', () => {
  it.each([
    ['no Authorization header', null],
    ['an unknown token', 'sat_not-a-real-token'],
  ])('answers 401 UNAUTHENTICATED for %s, before running anything', async (_label, token) => {
    const res = await gql(t, token, ORG, { id: a.id });
    expect(res.status).toBe(401);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('does not even answer introspection', async () => {
    const res = await gql(t, null, '{ __schema { queryType { name } } }');
    expect(res.status).toBe(401);
  });
});

describe('a token scoped to one organization', () => {
  it.each(['readerToken', 'adminToken'] as const)('%s reads its own organization', async (kind) => {
    const res = await gql(t, a[kind], ORG, { id: a.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.organization).toEqual({ id: a.id, name: 'Alpha', membershipSummary: { total: 0 } });
  });

  it("gets the same error for another organization's id as for one that does not exist", async () => {
    const other = await gql(t, a.readerToken, ORG, { id: b.id });
    const missing = await gql(t, a.readerToken, ORG, { id: randomUUID() });
    const malformed = await gql(t, a.readerToken, ORG, { id: 'not-a-uuid' });
    expect(other.errors).toEqual([
      expect.objectContaining({
        message: 'Organization not found.',
        path: ['organization'],
        extensions: { code: 'NOT_FOUND' },
      }),
    ]);
    expect(missing.errors).toEqual(other.errors);
    expect(malformed.errors).toEqual(other.errors);
    expect([other.status, other.data]).toEqual([missing.status, missing.data]);
    expect(other.data).toEqual({ organization: null });
  });

  it("can't reach another organization's member or group through its own organization", async () => {
    const res = await gql(
      t,
      a.adminToken,
      `query($id: ID!, $m: ID!, $g: ID!) { organization(id: $id) {
        member(id: $m) { id } group(id: $g) { id } members(filter: { groupId: $g }) { totalCount edges { node { id } } } } }`,
      { id: a.id, m: bMemberId, g: bGroupId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.organization).toEqual({
      member: null,
      group: null,
      members: { totalCount: 0, edges: [] },
    });
  });

  it.each([
    ['organizations', '{ organizations { edges { node { id } } } }'],
    ['queueHealth', '{ queueHealth { queue } }'],
  ])('is FORBIDDEN from %s (all-organization fields)', async (field, query) => {
    const res = await gql(t, a.adminToken, query);
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'This field needs an admin token that covers all organizations.',
        path: [field],
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
  });
});

describe('an all-organization token', () => {
  it('reads any organization and lists them all', async () => {
    for (const org of [a, b]) {
      const res = await gql(t, allReader, ORG, { id: org.id });
      expect(res.errors).toBeUndefined();
      expect(res.data.organization.id).toBe(org.id);
    }
    const list = await gql(
      t,
      allReader,
      '{ organizations(first: 10) { totalCount edges { node { id name } } } }',
    );
    expect(list.errors).toBeUndefined();
    expect(nodesOf<{ name: string }>(list.data.organizations).map((n) => n.name)).toEqual(['Alpha', 'Beta']);
    expect(list.data.organizations.totalCount).toBe(2);
  });

  it('still gets NOT_FOUND for an organization that does not exist', async () => {
    const res = await gql(t, allReader, ORG, { id: randomUUID() });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('reads nested data of every organization it lists', async () => {
    const res = await gql(
      t,
      allReader,
      '{ organizations { edges { node { name members { edges { node { userName groups { displayName } } } } } } } }',
    );
    expect(res.errors).toBeUndefined();
    const beta = nodesOf<{ name: string; members: unknown }>(res.data.organizations).find(
      (n) => n.name === 'Beta',
    );
    expect(beta?.members).toEqual({
      edges: [{ node: { userName: 'bob@beta.test', groups: [{ displayName: 'Beta Team' }] } }],
    });
  });
});

describe('read-only', () => {
  it('has no mutations', async () => {
    const res = await gql(t, allReader, 'mutation { anything }');
    expect(res.errors?.[0]?.message).toMatch(/not configured to execute mutation/);
  });
});
