// Query limits (depth, cost, page size) with clear coded errors, and GraphiQL only in development.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from '../src/graphql/graphql-js.js';
import { MAX_COST, MAX_DEPTH } from '../src/graphql/limits.js';
import { graphqlPlugin } from '../src/graphql/yoga.plugin.js';
import { gql } from './graphql-client.js';
import { startTestApp, type TestApp, type TestOrganization } from './helpers/test-app.js';

let t: TestApp;
let org: TestOrganization;

beforeAll(async () => {
  t = await startTestApp({ worker: false });
  org = await t.organization();
});

afterAll(async () => {
  await t?.close();
});

const inOrg = (selection: string, vars = '') =>
  `query($org: ID!${vars}) { organization(id: $org) { ${selection} } }`;

describe('depth', () => {
  it(`rejects a query nested deeper than ${MAX_DEPTH} levels before running it`, async () => {
    // organization > groups > edges > node > members > edges > node > groups > members > edges > node > id
    const res = await gql(
      t,
      org.readerToken,
      inOrg(
        'groups(first: 1) { edges { node { members(first: 1) { edges { node { groups { members(first: 1) { edges { node { id } } } } } } } } } }',
      ),
      { org: org.id },
    );
    expect(res.data ?? null).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: `Query depth 12 exceeds the maximum of ${MAX_DEPTH}; split it into several queries.`,
        extensions: expect.objectContaining({ code: 'QUERY_TOO_DEEP', depth: 12, maxDepth: MAX_DEPTH }),
      }),
    ]);
  });

  it('counts fields inside fragments', async () => {
    const res = await gql(
      t,
      org.readerToken,
      `query($org: ID!) { organization(id: $org) { ...G } }
       fragment G on Organization { groups(first: 1) { edges { node { members(first: 1) { edges { node { ...M } } } } } } }
       fragment M on Member { groups { members(first: 1) { edges { node { id } } } } }`,
      { org: org.id },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('lets the full introspection query through (GraphiQL and codegen need it)', async () => {
    const res = await gql(t, org.readerToken, getIntrospectionQuery());
    expect(res.errors).toBeUndefined();
    expect(res.data.__schema.queryType.name).toBe('Query');
  });
});

describe('cost', () => {
  const NESTED =
    'groups(first: $first) { edges { node { members(first: $first) { edges { node { id userName } } } } } }';

  it('rejects nested pages whose product is too large, with the estimate in the error', async () => {
    const res = await gql(t, org.readerToken, inOrg(NESTED, ', $first: Int'), { org: org.id, first: 100 });
    expect(res.data ?? null).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toEqual(
      expect.objectContaining({ code: 'QUERY_TOO_COSTLY', maxCost: MAX_COST }),
    );
    expect(res.errors![0]!.extensions!['cost']).toBeGreaterThan(MAX_COST);
    expect(res.errors![0]!.message).toMatch(
      /^Query cost \d+ exceeds the maximum of 10000; ask for smaller pages/,
    );
  });

  it('accepts the same query with small pages (page sizes read from variables)', async () => {
    const res = await gql(t, org.readerToken, inOrg(NESTED, ', $first: Int'), { org: org.id, first: 5 });
    expect(res.errors).toBeUndefined();
  });

  it('prices reports, so many aliased copies of one are refused', async () => {
    const many = Array.from({ length: 120 }, (_, i) => `s${i}: membershipSummary { total }`).join(' ');
    const res = await gql(t, org.readerToken, inOrg(many), { org: org.id });
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('accepts a full page of 100 members with their groups', async () => {
    const res = await gql(
      t,
      org.readerToken,
      inOrg(
        'members(first: 100) { totalCount pageInfo { endCursor } edges { cursor node { id userName email status groups { id displayName } } } }',
      ),
      { org: org.id },
    );
    expect(res.errors).toBeUndefined();
  });
});

describe('page size', () => {
  it.each([
    ['members(first: 101)', 'first'],
    ['groups(last: 500)', 'last'],
    ['syncFailures(first: -1)', 'first'],
  ])('rejects %s instead of clamping it', async (selection, argument) => {
    const res = await gql(t, org.readerToken, inOrg(`${selection} { edges { cursor } }`), { org: org.id });
    expect(res.errors?.[0]).toEqual(
      expect.objectContaining({
        message: `"${argument}" must be between 0 and 100.`,
        extensions: { code: 'BAD_USER_INPUT', argument, max: 100 },
      }),
    );
  });
});

describe('GraphiQL', () => {
  const page = (app: { inject: TestApp['app']['inject'] }) =>
    app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });

  it('is not served outside development', async () => {
    const res = await page(t.app);
    expect(res.headers['content-type'] ?? '').not.toMatch(/text\/html/);
    expect(res.body).not.toMatch(/graphiql/i);
  });

  it('is served in development', async () => {
    const app = Fastify();
    await app.register(graphqlPlugin, {
      orm: t.orm,
      config: { env: 'development' },
      producer: { counts: () => Promise.reject(new Error('unused')) },
    });
    try {
      const res = await page(app);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toMatch(/graphiql/i);
    } finally {
      await app.close();
    }
  });
});
