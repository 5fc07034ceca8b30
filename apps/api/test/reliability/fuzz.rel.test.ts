// Issue 10 §4 — fuzzing with fast-check: 100,000 generated SCIM filters, PATCH bodies, resource
// bodies, malformed JSON documents, tRPC calls and GraphQL queries. Whatever comes in, the answer
// is a 2xx or a 4xx — never a 5xx, never an unhandled error, never a crash. The bulk runs through
// the pure functions every request goes through (parser → SQL translation, PATCH engine, resource
// validation), a large share through the real app in-process (app.inject: real routing, database,
// queue and worker), and a few thousand over real HTTP on loopback.
import {
  ScimError,
  applyUserPatch,
  parseFilter,
  parseGroup,
  parseUser,
  planGroupPatch,
  renderUser,
} from '@repo/scim-adapter';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema/index.js';
import { filterToSql } from '../../src/scim/filter-sql.js';
import { GROUP_ATTRIBUTES } from '../../src/scim/group-attributes.js';
import { POSTGRES } from '../../src/sql/sql-dialect.js';
import { USER_ATTRIBUTES } from '../../src/scim/user-attributes.js';
import { appRouter } from '../../src/trpc/router.js';
import { startReliabilityApp, type ReliabilityApp } from '../helpers/reliability-app.js';
import {
  filterString,
  graphqlCall,
  malformedDocument,
  patchBody,
  resourceBody,
  trpcCall,
  type GraphqlCall,
  type RawDocument,
  type TrpcCall,
} from '../helpers/reliability-fuzz.js';
import type { TestOrganization } from '../helpers/test-app.js';

/** Every run of every property below; the test at the end checks they were all made. */
const BUDGET = {
  pure: { filters: 40_000, userPatches: 20_000, groupPatches: 5_000, resourceBodies: 10_000 },
  inject: { filters: 6_000, patches: 2_500, malformedJson: 8_000, trpc: 3_000, graphql: 3_000 },
  http: { filters: 1_000, patches: 500, malformedJson: 500, trpc: 250, graphql: 250 },
} as const;
type Tier = keyof typeof BUDGET;
const total = (tier?: Tier) =>
  Object.entries(BUDGET)
    .filter(([k]) => tier === undefined || k === tier)
    .flatMap(([, v]) => Object.values(v) as number[])
    .reduce((a, b) => a + b, 0);
const ran: Record<string, number> = {};
const count = (key: string) => (ran[key] = (ran[key] ?? 0) + 1);

// Bounded in time: a property still running after this fails (markInterruptAsFailure). A new seed
// every run widens the search; FUZZ_SEED=<seed printed with a failure> replays it.
const TIME_LIMIT_MS = 240_000;
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const params = (numRuns: number) => ({
  numRuns,
  interruptAfterTimeLimit: TIME_LIMIT_MS,
  markInterruptAsFailure: true,
  endOnFailure: true,
  ...(SEED === undefined ? {} : { seed: SEED }),
});

/** Passes when `fn` returns or refuses with a 4xx ScimError; anything else (a would-be 500) fails. */
function refusedCleanly(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError && e.status >= 400 && e.status < 500) return;
    throw e;
  }
}

const methodsOf = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([path, p]) => ({
  path,
  type: p._def.type === 'mutation' ? ('mutation' as const) : ('query' as const),
}));

let t: ReliabilityApp;
/** SCIM target: a user and a group the PATCHes and writes land on. */
let S: TestOrganization;
let userId = '';
let groupId = '';
/** tRPC target (its own organization: admin mutations may disable SCIM or rotate keys there). */
let T: TestOrganization;
let tMemberId = '';
let tGroupId = '';
/** GraphQL target. */
let G: TestOrganization;
let allOrgsReader = '';

beforeAll(async () => {
  t = await startReliabilityApp({
    logLevel: 'warn',
    env: {
      RATE_LIMIT_PER_MINUTE: '100000000',
      AUTH_FAILURES_PER_MINUTE: '100000000',
      SCIM_WRITE_WAIT_MS: '15000',
    },
  });
  S = await t.organization('Fuzz SCIM');
  T = await t.organization('Fuzz tRPC');
  G = await t.organization('Fuzz GraphQL');
  allOrgsReader = await t.allOrgsToken('reader');
  const headers = { authorization: `Bearer ${S.scimKey}`, 'content-type': 'application/scim+json' };
  const user = await t.app.inject({
    method: 'POST',
    url: `/scim/v2/${S.id}/Users`,
    headers,
    payload: { userName: 'target@example.com', emails: [{ value: 'target@example.com', primary: true }] },
  });
  userId = user.json<{ id: string }>().id;
  const group = await t.app.inject({
    method: 'POST',
    url: `/scim/v2/${S.id}/Groups`,
    headers,
    payload: { displayName: 'Fuzz target', members: [{ value: userId }] },
  });
  groupId = group.json<{ id: string }>().id;
  // tRPC targets: a member and a group of T, so well-formed calls reach the domain and the queue.
  const tHeaders = { authorization: `Bearer ${T.scimKey}`, 'content-type': 'application/scim+json' };
  const tUser = await t.app.inject({
    method: 'POST',
    url: `/scim/v2/${T.id}/Users`,
    headers: tHeaders,
    payload: { userName: 'member@example.com' },
  });
  tMemberId = tUser.json<{ id: string }>().id;
  const tGroup = await t.app.inject({
    method: 'POST',
    url: `/scim/v2/${T.id}/Groups`,
    headers: tHeaders,
    payload: { displayName: 'T group' },
  });
  tGroupId = tGroup.json<{ id: string }>().id;
  expect(userId).toMatch(/^[0-9a-f-]{36}$/);
  expect(groupId).toMatch(/^[0-9a-f-]{36}$/);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

it('the budget adds up to 100,000 generated inputs', () => {
  expect(total()).toBe(100_000);
  console.info(
    `[fuzz] budget: ${JSON.stringify(BUDGET)} → pure ${total('pure')}, inject ${total('inject')}, http ${total('http')}`,
  );
});

// ------------------------------------------------------------------------------------------ pure

describe(`pure: the functions every request goes through (${total('pure')} runs)`, () => {
  it(`${BUDGET.pure.filters} filters: parse, then translate to SQL for Users and Groups → a fragment or a 400`, () => {
    let i = 0;
    fc.assert(
      fc.property(filterString, (text) => {
        count('pure.filters');
        refusedCleanly(() =>
          filterToSql(parseFilter(text), i++ % 2 ? USER_ATTRIBUTES : GROUP_ATTRIBUTES, POSTGRES),
        );
      }),
      params(BUDGET.pure.filters),
    );
  });

  it(`${BUDGET.pure.userPatches} User PATCH bodies applied to a stored user (the worker's path) → a user or a 4xx`, () => {
    const current = renderUser({
      id: '3f0c8f9e-1b2a-4c3d-8e4f-5a6b7c8d9e0f',
      document: parseUser({
        userName: 'ann@example.com',
        name: { givenName: 'Ann', familyName: 'Lee' },
        emails: [{ value: 'ann@example.com', type: 'work', primary: true }],
        phoneNumbers: [{ value: '+1 555', type: 'mobile' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          department: 'R&D',
          manager: { value: 'm-1' },
        },
      }).document,
      active: true,
      created: new Date(0),
      lastModified: new Date(0),
      version: 3,
      location: 'http://localhost/scim/v2/o/Users/x',
    });
    fc.assert(
      fc.property(patchBody, (body) => {
        count('pure.userPatches');
        refusedCleanly(() => applyUserPatch(current, body));
      }),
      params(BUDGET.pure.userPatches),
    );
  });

  it(`${BUDGET.pure.groupPatches} Group PATCH bodies planned as set operations → steps or a 4xx`, () => {
    fc.assert(
      fc.property(patchBody, (body) => {
        count('pure.groupPatches');
        refusedCleanly(() => planGroupPatch(body));
      }),
      params(BUDGET.pure.groupPatches),
    );
  });

  it(`${BUDGET.pure.resourceBodies} POST/PUT bodies validated as Users and Groups → a resource or a 4xx`, () => {
    let i = 0;
    fc.assert(
      fc.property(resourceBody, (body) => {
        count('pure.resourceBodies');
        refusedCleanly(() => (i++ % 2 ? parseUser(body) : parseGroup(body)));
      }),
      params(BUDGET.pure.resourceBodies),
    );
  });
});

// ------------------------------------------------------------- one request, two transports

interface Req {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

interface Answer {
  status: number;
  text: string;
}

type Transport = (req: Req) => Promise<Answer>;

const viaInject: Transport = async (req) => {
  const res = await t.app.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: req.headers,
    ...(req.body === undefined ? {} : { payload: req.body }),
  });
  return { status: res.statusCode, text: res.body };
};

const viaHttp: Transport = async (req) => {
  const res = await fetch(`${t.url}${req.url}`, {
    method: req.method,
    headers: req.headers,
    ...(req.body === undefined
      ? {}
      : { body: typeof req.body === 'string' ? req.body : new Uint8Array(req.body) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
};

const scimHeaders = (contentType: string | undefined = 'application/scim+json'): Record<string, string> => ({
  authorization: `Bearer ${S.scimKey}`,
  ...(contentType === undefined ? {} : { 'content-type': contentType }),
});

/**
 * Percent-encodes the UTF-8 bytes (encodeURIComponent throws on lone surrogates; a client sends
 * whatever bytes it likes). Now and then a raw invalid sequence is appended.
 */
const pct = (text: string, n = 1): string =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[\w.~-]/.test(String.fromCharCode(b)) && b < 0x80
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('') + (n % 13 === 0 ? '%FF%e0%80%' : '');

function filterRequest(text: string, n: number): Req {
  const q = pct(text, n);
  switch (n % 5) {
    case 0:
      return { method: 'GET', url: `/scim/v2/${S.id}/Users?filter=${q}`, headers: scimHeaders(undefined) };
    case 1:
      return {
        method: 'GET',
        url: `/scim/v2/${S.id}/Groups?filter=${q}&excludedAttributes=members`,
        headers: scimHeaders(undefined),
      };
    case 2:
      return {
        method: 'GET',
        url: `/scim/v2/${S.id}/Users?filter=${q}&sortBy=meta.lastModified&count=3&startIndex=2`,
        headers: scimHeaders(undefined),
      };
    case 3:
      return {
        method: 'POST',
        url: `/scim/v2/${S.id}/.search`,
        headers: scimHeaders(),
        body: JSON.stringify({ filter: text, count: 5 }),
      };
    default:
      return {
        method: 'POST',
        url: `/scim/v2/${S.id}/Groups/.search`,
        headers: scimHeaders(),
        body: JSON.stringify({ filter: text, attributes: ['displayName'] }),
      };
  }
}

function patchRequest(body: unknown, n: number): Req {
  const target = n % 3 === 2 ? `Groups/${groupId}` : `Users/${userId}`;
  return {
    method: 'PATCH',
    url: `/scim/v2/${S.id}/${target}`,
    headers: scimHeaders(),
    body: JSON.stringify(body) ?? '',
  };
}

const JSON_ROUTES = (): Array<[string, string]> => [
  ['POST', 'Users'],
  ['PUT', `Users/${userId}`],
  ['PATCH', `Users/${userId}`],
  ['POST', 'Groups'],
  ['PATCH', `Groups/${groupId}`],
  ['POST', 'Bulk'],
  ['POST', '.search'],
  ['POST', 'Users/.search'],
];

function documentRequest(doc: RawDocument, n: number): Req {
  const routes = JSON_ROUTES();
  const [method, path] = routes[n % routes.length]!;
  return { method, url: `/scim/v2/${S.id}/${path}`, headers: scimHeaders(doc.contentType), body: doc.body };
}

function trpcRequest(call: TrpcCall): Req {
  const headers: Record<string, string> = { authorization: `Bearer ${T.adminToken}` };
  const input = call.input === undefined ? undefined : call.batch ? `{"0":${call.input}}` : call.input;
  const batch = call.batch ? 'batch=1' : '';
  if (call.method === 'GET') {
    const query = [batch, input === undefined ? '' : `input=${pct(input)}`].filter(Boolean).join('&');
    return { method: 'GET', url: `/trpc/${pct(call.path)}${query ? `?${query}` : ''}`, headers };
  }
  return {
    method: 'POST',
    url: `/trpc/${pct(call.path)}${batch ? `?${batch}` : ''}`,
    headers: { ...headers, 'content-type': 'application/json' },
    body: input ?? '',
  };
}

function graphqlRequest(call: GraphqlCall, n: number): Req {
  const headers: Record<string, string> = {
    authorization: `Bearer ${n % 4 === 3 ? allOrgsReader : G.readerToken}`,
    accept: 'application/graphql-response+json, application/json',
  };
  if (call.get) {
    const vars = pct(JSON.stringify(call.variables) ?? '');
    return { method: 'GET', url: `/graphql?query=${pct(call.query, n)}&variables=${vars}`, headers };
  }
  return {
    method: 'POST',
    url: '/graphql',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query: call.query, variables: call.variables }),
  };
}

/** Answers by status per property, printed at the end (how deep the inputs got). */
const statuses: Record<string, Record<number, number>> = {};

/**
 * Every answer below 500; a 5xx fails with the request that caused it. GraphQL reports resolver
 * failures inside a 200 and tRPC batches inside a 207: an INTERNAL_SERVER_ERROR there counts too.
 */
async function expectNo5xx(transport: Transport, req: Req, key: string): Promise<void> {
  const res = await transport(req);
  const seen = (statuses[key] ??= {});
  seen[res.status] = (seen[res.status] ?? 0) + 1;
  if (res.status >= 500 || /"INTERNAL_SERVER_ERROR"|"code":-32603/.test(res.text)) {
    const body =
      typeof req.body === 'string' ? req.body.slice(0, 500) : req.body?.toString('hex').slice(0, 200);
    throw new Error(
      `${res.status} for ${req.method} ${req.url.slice(0, 300)} ${body ?? ''}\n→ ${res.text.slice(0, 300)}`,
    );
  }
}

describe.each([
  ['inject', viaInject],
  ['http', viaHttp],
] as const)('%s: the real app', (tier, transport) => {
  const budget = BUDGET[tier];
  const run = <T>(
    key: string,
    arb: fc.Arbitrary<T>,
    toReq: (value: T, n: number) => Req,
    numRuns: number,
  ) => {
    let n = 0;
    return fc.assert(
      fc.asyncProperty(arb, async (value) => {
        count(`${tier}.${key}`);
        await expectNo5xx(transport, toReq(value, n++), `${tier}.${key}`);
      }),
      params(numRuns),
    );
  };

  it(
    `${budget.filters} filters on /Users, /Groups and .search (through SQL on PostgreSQL) → 200 or 400`,
    async () => {
      await run('filters', filterString, filterRequest, budget.filters);
    },
    TIME_LIMIT_MS + 30_000,
  );

  it(
    `${budget.patches} PATCH bodies to a real user and group (valid ones through the queue and the worker) → 2xx or 4xx`,
    async () => {
      await run('patches', patchBody, patchRequest, budget.patches);
    },
    TIME_LIMIT_MS + 30_000,
  );

  it(
    `${budget.malformedJson} malformed JSON documents on every write and search route → 4xx (or 2xx when they happen to be valid)`,
    async () => {
      await run('malformedJson', malformedDocument, documentRequest, budget.malformedJson);
    },
    TIME_LIMIT_MS + 30_000,
  );

  it(
    `${budget.trpc} tRPC calls (every procedure, random inputs, batches, GET and POST) as an admin → never 5xx`,
    async () => {
      await run(
        'trpc',
        trpcCall(methodsOf, { organizationId: T.id, memberId: tMemberId, groupId: tGroupId }),
        trpcRequest,
        budget.trpc,
      );
    },
    TIME_LIMIT_MS + 30_000,
  );

  it(
    `${budget.graphql} GraphQL documents walked from the schema, mutated or garbage → never 5xx`,
    async () => {
      await run('graphql', graphqlCall(schema, G.id), graphqlRequest, budget.graphql);
    },
    TIME_LIMIT_MS + 30_000,
  );
});

it('after all of it: every planned run was made, the process answers, and nothing was logged as an error', async () => {
  const expected = Object.fromEntries(
    Object.entries(BUDGET).flatMap(([tier, v]) => Object.entries(v).map(([k, n]) => [`${tier}.${k}`, n])),
  );
  expect(ran).toEqual(expected);
  expect(Object.values(ran).reduce((a, b) => a + b, 0)).toBe(100_000);
  expect((await viaHttp({ method: 'GET', url: '/healthz', headers: {} })).status).toBe(200);
  expect((await viaHttp({ method: 'GET', url: '/readyz', headers: {} })).status).toBe(200);
  const errors = t.logs.entries((e) => Number(e['level']) >= 50);
  expect(errors.map((e) => `${String(e['msg'])} ${JSON.stringify(e['err'] ?? '').slice(0, 300)}`)).toEqual(
    [],
  );
  // The target user and group still answer (no write left them unreadable).
  const headers = { authorization: `Bearer ${S.scimKey}` };
  expect(
    (await t.app.inject({ method: 'GET', url: `/scim/v2/${S.id}/Users/${userId}`, headers })).statusCode,
  ).toBe(200);
  expect(
    (await t.app.inject({ method: 'GET', url: `/scim/v2/${S.id}/Groups/${groupId}`, headers })).statusCode,
  ).toBe(200);
  console.info(`[fuzz] ${Object.values(ran).reduce((a, b) => a + b, 0)} runs: ${JSON.stringify(ran)}`);
  console.info(`[fuzz] answers by status: ${JSON.stringify(statuses)}`);
  // Each property reached past validation at least sometimes (a fuzz that only ever gets 400s proves little).
  for (const [key, byStatus] of Object.entries(statuses)) {
    const ok = Object.entries(byStatus)
      .filter(([s]) => Number(s) < 300)
      .reduce((a, [, n]) => a + n, 0);
    expect(ok, `${key}: no 2xx at all`).toBeGreaterThan(0);
  }
});
