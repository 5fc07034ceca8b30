// Issue 10 §5 — isolation. Two organizations with users, groups, a sync failure and tokens; every
// credential of A is tried against everything of B, over every surface (SCIM, tRPC, GraphQL), and
// each answer is compared with the answer for something that does not exist at all. Zero leaks:
// no data of B in any answer, B unchanged afterwards, and no existence oracle — "not yours" and
// "not there" give the same status, body and headers (the ids the client sent itself aside).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/trpc/router.js';
import type { ProcedureMeta } from '../../src/trpc/trpc.js';
import { startReliabilityApp, type ReliabilityApp } from '../helpers/reliability-app.js';
import {
  graphqlSend,
  observable,
  scimSend,
  send,
  trpcSend,
  type RawResponse,
} from '../helpers/reliability-http.js';
import { patchOp } from '../helpers/scim-client.js';
import type { TestOrganization } from '../helpers/test-app.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const BULK_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

let t: ReliabilityApp;
let A: TestOrganization;
let B: TestOrganization;
/** What B owns that A could try to reach. */
const b = {
  userId: '',
  user2Id: '',
  groupId: '',
  failureId: '',
  tokenId: '',
  userName: 'bob@b.example',
  externalId: 'b-ext-1',
  groupName: 'B Engineers',
};
const a = { userId: '', groupId: '' };
/** B's state before the matrix, compared after it. */
let bBefore: unknown;

const created = (res: RawResponse): string => {
  expect(res.status, res.text).toBe(201);
  return (res.json as { id: string }).id;
};

const userBody = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  active: true,
  emails: [{ value: userName, type: 'work', primary: true }],
  ...extra,
});

/** Everything of B as its own admin sees it: users, groups with members, versions, failures. */
async function snapshotOfB(): Promise<unknown> {
  const users = await scimSend(B.scimUrl, B.scimKey, 'GET', '/Users?count=100&sortBy=userName');
  const group = await scimSend(B.scimUrl, B.scimKey, 'GET', `/Groups/${b.groupId}`);
  const failures = await trpcSend(t.url, B.adminToken, 'query', 'syncFailures.list', {
    organizationId: B.id,
  });
  const tokens = await trpcSend(t.url, B.adminToken, 'query', 'tokens.list', { organizationId: B.id });
  const audit = await t.orm.em
    .fork()
    .getConnection()
    .execute<Array<{ n: string }>>('select count(*) as n from audit_event where organization_id = ?', [B.id]);
  return {
    users: users.json,
    group: group.json,
    etag: group.headers.get('etag'),
    failures: failures.json,
    tokens: tokens.json,
    audit: audit[0]!.n,
  };
}

beforeAll(async () => {
  // Guessing limits are the abuse suite's subject; here every wrong key must get its real answer.
  t = await startReliabilityApp({ env: { AUTH_FAILURES_PER_MINUTE: '100000' }, logLevel: 'warn' });
  A = await t.organization('Org A');
  B = await t.organization('Org B', 2);
  // B: two users (the seats), a third refused for seats → a sync failure; a group with a member.
  b.userId = created(
    await scimSend(
      B.scimUrl,
      B.scimKey,
      'POST',
      '/Users',
      userBody(b.userName, { externalId: b.externalId, displayName: 'Bob B' }),
    ),
  );
  b.user2Id = created(await scimSend(B.scimUrl, B.scimKey, 'POST', '/Users', userBody('carol@b.example')));
  expect((await scimSend(B.scimUrl, B.scimKey, 'POST', '/Users', userBody('dave@b.example'))).status).toBe(
    403,
  );
  b.groupId = created(
    await scimSend(B.scimUrl, B.scimKey, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: b.groupName,
      externalId: 'b-group',
      members: [{ value: b.userId }],
    }),
  );
  const failures = (
    await trpcSend(t.url, B.adminToken, 'query', 'syncFailures.list', { organizationId: B.id })
  ).json as {
    result: { data: { items: Array<{ id: string }> } };
  };
  b.failureId = failures.result.data.items[0]!.id;
  const tokens = (await trpcSend(t.url, B.adminToken, 'query', 'tokens.list', { organizationId: B.id }))
    .json as {
    result: { data: { items: Array<{ id: string }> } };
  };
  b.tokenId = tokens.result.data.items[0]!.id;
  // A: a user and a group of its own.
  a.userId = created(await scimSend(A.scimUrl, A.scimKey, 'POST', '/Users', userBody('alice@a.example')));
  a.groupId = created(
    await scimSend(A.scimUrl, A.scimKey, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'A Team',
      members: [{ value: a.userId }],
    }),
  );
  bBefore = await snapshotOfB();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** No answer given to A may contain anything identifying B's objects. */
function expectNoLeak(res: RawResponse, where: string, allowed: string[] = []): void {
  const secrets = [
    b.userId,
    b.user2Id,
    b.groupId,
    b.failureId,
    b.tokenId,
    b.userName,
    b.externalId,
    b.groupName,
    'carol@b.example',
    'Bob B',
    B.id,
    B.scimKey,
    B.adminToken,
    B.readerToken,
  ];
  for (const s of secrets)
    if (!allowed.includes(s))
      expect(res.text.includes(s), `${where} leaks ${s}: ${res.text.slice(0, 300)}`).toBe(false);
}

// Every endpoint × method a SCIM client can call, with a body where the method takes one.
const scimRequests = (ids: { user: string; group: string }): Array<[string, string, unknown?]> => [
  ['GET', '/Users'],
  ['GET', `/Users/${ids.user}`],
  ['POST', '/Users', userBody('mallory@a.example')],
  ['PUT', `/Users/${ids.user}`, userBody('mallory@a.example')],
  ['PATCH', `/Users/${ids.user}`, patchOp({ op: 'replace', path: 'active', value: false })],
  ['DELETE', `/Users/${ids.user}`],
  ['GET', '/Groups'],
  ['GET', `/Groups/${ids.group}`],
  ['POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Mallory' }],
  ['PATCH', `/Groups/${ids.group}`, patchOp({ op: 'add', path: 'members', value: [{ value: ids.user }] })],
  ['DELETE', `/Groups/${ids.group}`],
  [
    'POST',
    '/.search',
    { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName pr' },
  ],
  [
    'POST',
    '/Bulk',
    { schemas: [BULK_SCHEMA], Operations: [{ method: 'DELETE', path: `/Users/${ids.user}` }] },
  ],
  ['GET', '/ServiceProviderConfig'],
  ['GET', '/ResourceTypes'],
  ['GET', '/Schemas'],
];

describe("SCIM: organization A's key on B's URL", () => {
  it('is refused exactly like a wrong key, no key, or a URL of no organization — on every endpoint and method', async () => {
    const nowhere = `${t.url}/scim/v2/${randomUUID()}`;
    let compared = 0;
    for (const [method, path, body] of scimRequests({ user: b.userId, group: b.groupId })) {
      const crossKey = await scimSend(B.scimUrl, A.scimKey, method, path, body);
      const wrongKey = await scimSend(B.scimUrl, `scim_${randomUUID()}`, method, path, body);
      const noKey = await scimSend(B.scimUrl, null, method, path, body);
      const noOrg = await scimSend(nowhere, A.scimKey, method, path, body);
      // B's admin token is not a SCIM key either.
      const adminToken = await scimSend(B.scimUrl, B.adminToken, method, path, body);
      expect(crossKey.status, `${method} ${path}`).toBe(401);
      const seen = observable(crossKey, { [B.id]: '<org>' });
      for (const other of [wrongKey, noKey, noOrg, adminToken]) {
        expect(observable(other, { [B.id]: '<org>' }), `${method} ${path}`).toEqual(seen);
        compared++;
      }
      expectNoLeak(crossKey, `${method} ${path}`, [b.userId, b.groupId, B.id]);
    }
    console.info(`[isolation] SCIM cross-key: ${compared} answer pairs identical (401)`);
  });
});

describe("SCIM: B's ids through A's own URL and key", () => {
  it("B's user and group ids answer exactly like ids that exist nowhere, for every method", async () => {
    const ghost = { user: randomUUID(), group: randomUUID() };
    let compared = 0;
    const requests = scimRequests({ user: b.userId, group: b.groupId });
    const ghostRequests = scimRequests(ghost);
    for (const [i, [method, path, body]] of requests.entries()) {
      if (
        !path.includes(b.userId) &&
        !path.includes(b.groupId) &&
        !JSON.stringify(body ?? '').includes(b.userId)
      )
        continue;
      const [gMethod, gPath, gBody] = ghostRequests[i]!;
      const theirs = await scimSend(A.scimUrl, A.scimKey, method, path, body);
      const none = await scimSend(A.scimUrl, A.scimKey, gMethod, gPath, gBody);
      // /Bulk answers 200 with a status per operation; every other request fails as a whole.
      const status =
        path === '/Bulk'
          ? Number((theirs.json as { Operations: Array<{ status: string }> }).Operations[0]!.status)
          : theirs.status;
      expect(status, `${method} ${path}: ${theirs.text}`).toBeGreaterThanOrEqual(400);
      expect(
        observable(theirs, { [b.userId]: '<user>', [b.groupId]: '<group>' }),
        `${method} ${path}`,
      ).toEqual(observable(none, { [ghost.user]: '<user>', [ghost.group]: '<group>' }));
      expectNoLeak(theirs, `${method} ${path}`, [b.userId, b.groupId]);
      compared++;
    }
    // Projections and conditional reads take the same path.
    for (const suffix of ['?attributes=userName', '?excludedAttributes=groups']) {
      const theirs = await scimSend(A.scimUrl, A.scimKey, 'GET', `/Users/${b.userId}${suffix}`);
      const none = await scimSend(A.scimUrl, A.scimKey, 'GET', `/Users/${ghost.user}${suffix}`);
      expect(observable(theirs, { [b.userId]: '<id>' })).toEqual(observable(none, { [ghost.user]: '<id>' }));
      compared++;
    }
    console.info(`[isolation] SCIM foreign ids: ${compared} answer pairs identical`);
  });

  it("B's user ids inside A's group members (add, replace, remove, create) answer like unknown ids and change nothing", async () => {
    const ghost = randomUUID();
    const variants: Array<[string, string, (id: string) => unknown]> = [
      [
        'PATCH',
        `/Groups/${a.groupId}`,
        (id) => patchOp({ op: 'add', path: 'members', value: [{ value: id }] }),
      ],
      [
        'PATCH',
        `/Groups/${a.groupId}`,
        (id) => patchOp({ op: 'Add', path: 'members', value: [{ value: a.userId }, { value: id }] }),
      ],
      [
        'PATCH',
        `/Groups/${a.groupId}`,
        (id) => patchOp({ op: 'replace', path: 'members', value: [{ value: id }] }),
      ],
      ['PATCH', `/Groups/${a.groupId}`, (id) => patchOp({ op: 'remove', path: `members[value eq "${id}"]` })],
      [
        'PATCH',
        `/Groups/${a.groupId}`,
        (id) => patchOp({ op: 'remove', path: 'members', value: [{ value: id }] }),
      ],
      [
        'PUT',
        `/Groups/${a.groupId}`,
        (id) => ({
          schemas: [GROUP_SCHEMA],
          displayName: 'A Team',
          members: [{ value: a.userId }, { value: id }],
        }),
      ],
      [
        'POST',
        '/Groups',
        (id) => ({
          schemas: [GROUP_SCHEMA],
          displayName: `A New ${id.slice(0, 4)}`,
          members: [{ value: id }],
        }),
      ],
      [
        'POST',
        '/Bulk',
        (id) => ({
          schemas: [BULK_SCHEMA],
          Operations: [
            {
              method: 'PATCH',
              path: `/Groups/${a.groupId}`,
              data: patchOp({ op: 'add', path: 'members', value: [{ value: id }] }),
            },
          ],
        }),
      ],
    ];
    for (const [method, path, body] of variants) {
      const theirs = await scimSend(A.scimUrl, A.scimKey, method, path, body(b.userId));
      const none = await scimSend(A.scimUrl, A.scimKey, method, path, body(ghost));
      // The display name of POST /Groups carries 4 characters of the id: normalize those too.
      expect(
        observable(theirs, { [b.userId]: '<id>', [b.userId.slice(0, 4)]: '<p>' }),
        `${method} ${JSON.stringify(body('<id>'))}`,
      ).toEqual(observable(none, { [ghost]: '<id>', [ghost.slice(0, 4)]: '<p>' }));
      expectNoLeak(theirs, `${method} ${path}`, [b.userId]);
    }
    const group = await scimSend(A.scimUrl, A.scimKey, 'GET', `/Groups/${a.groupId}`);
    expect((group.json as { members?: Array<{ value: string }> }).members?.map((m) => m.value)).toEqual([
      a.userId,
    ]);
  });

  it("filters naming B's users, groups, names and e-mails find nothing — the same nothing as names that exist nowhere", async () => {
    const cases: Array<[string, string, string]> = [
      ['/Users', `id eq "${b.userId}"`, `id eq "${randomUUID()}"`],
      ['/Users', `userName eq "${b.userName}"`, 'userName eq "nobody@nowhere.example"'],
      ['/Users', 'userName sw "bob"', 'userName sw "zzzq"'],
      ['/Users', `externalId eq "${b.externalId}"`, 'externalId eq "no-such-ext"'],
      [
        '/Users',
        `emails[type eq "work"].value eq "${b.userName}"`,
        'emails[type eq "work"].value eq "nobody@nowhere.example"',
      ],
      ['/Users', `emails.value co "b.example"`, `emails.value co "zz.example"`],
      ['/Users', 'displayName eq "Bob B"', 'displayName eq "No One"'],
      [
        '/Users',
        `id eq "${b.userId}" or userName eq "${b.userName}"`,
        `id eq "${randomUUID()}" or userName eq "x@y.example"`,
      ],
      [
        '/Users',
        `not (userName eq "alice@a.example") and userName ew "b.example"`,
        `not (userName eq "alice@a.example") and userName ew "q.example"`,
      ],
      ['/Users', `manager eq "${b.userId}"`, `manager eq "${randomUUID()}"`],
      ['/Groups', `id eq "${b.groupId}"`, `id eq "${randomUUID()}"`],
      ['/Groups', `displayName eq "${b.groupName}"`, 'displayName eq "No Group"'],
      ['/Groups', `externalId eq "b-group"`, 'externalId eq "no-group"'],
      ['/Groups', `members.value eq "${b.userId}"`, `members.value eq "${randomUUID()}"`],
      ['/Groups', `members[value eq "${b.userId}"]`, `members[value eq "${randomUUID()}"]`],
    ];
    for (const [path, filter, ghost] of cases) {
      for (const suffix of ['', '&count=0', '&startIndex=1&count=10&attributes=id']) {
        const theirs = await scimSend(
          A.scimUrl,
          A.scimKey,
          'GET',
          `${path}?filter=${encodeURIComponent(filter)}${suffix}`,
        );
        const none = await scimSend(
          A.scimUrl,
          A.scimKey,
          'GET',
          `${path}?filter=${encodeURIComponent(ghost)}${suffix}`,
        );
        expect(theirs.status, `${path} ${filter}: ${theirs.text}`).toBe(200);
        expect((theirs.json as { totalResults: number }).totalResults, `${path} ${filter}`).toBe(0);
        expect(observable(theirs), `${path} ${filter}`).toEqual(observable(none));
        expectNoLeak(theirs, filter);
      }
      // POST .search, at the root and per resource type.
      for (const at of ['/.search', `${path}/.search`]) {
        const search = await scimSend(A.scimUrl, A.scimKey, 'POST', at, {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
          filter,
        });
        expect(search.status, `${at} ${filter}: ${search.text}`).toBe(200);
        expect((search.json as { totalResults: number }).totalResults, `${at} ${filter}`).toBe(0);
        expectNoLeak(search, `${at} ${filter}`);
      }
    }
    // A's unfiltered lists hold only A's resources.
    for (const path of ['/Users?count=1000', '/Groups?count=1000'])
      expectNoLeak(await scimSend(A.scimUrl, A.scimKey, 'GET', path), path);
  });

  it("A's user with B's user as manager renders exactly like an unknown manager id", async () => {
    const ghost = randomUUID();
    const mk = async (manager: string, n: string) => {
      const id = created(
        await scimSend(
          A.scimUrl,
          A.scimKey,
          'POST',
          '/Users',
          userBody(`managed-${n}@a.example`, {
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: manager } },
          }),
        ),
      );
      return scimSend(A.scimUrl, A.scimKey, 'GET', `/Users/${id}`);
    };
    const theirs = await mk(b.userId, 'x');
    const none = await mk(ghost, 'x2');
    const strip = (res: RawResponse, id: string) => {
      const body = JSON.parse(res.text.split(id).join('<mgr>')) as Record<string, unknown>;
      // Everything that differs by construction: its own id, name, e-mail, timestamps, location.
      delete body['id'];
      delete body['userName'];
      delete body['emails'];
      delete body['meta'];
      return body;
    };
    expect(strip(theirs, b.userId)).toEqual(strip(none, ghost));
    expectNoLeak(theirs, 'manager', [b.userId]);
  });
});

type ProcedureDef = { _def: { type: 'query' | 'mutation' | 'subscription'; meta?: ProcedureMeta } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>).map(
  ([path, p]) => ({
    path,
    type: p._def.type === 'mutation' ? ('mutation' as const) : ('query' as const),
    access: p._def.meta?.access,
  }),
);

/** A valid input for every procedure, with the ids it names taken from `ids` (B's, or ghosts). */
function inputFor(
  path: string,
  organizationId: string,
  ids: { member: string; group: string; failure: string; token: string },
): unknown {
  const byArea: Record<string, Record<string, unknown>> = {
    members: { memberId: ids.member, externalId: 'iso-ext' },
    invitations: { memberId: ids.member, token: `inv_${ids.member}` },
    groups: { groupId: ids.group, memberIds: [ids.member] },
    syncFailures: { failureId: ids.failure },
    tokens: { tokenId: ids.token, role: 'reader', name: 'iso' },
    organizations: { name: 'Renamed by A' },
    notifications: { digestWindowMinutes: 30 },
  };
  const [area = '', name = ''] = path.split('.');
  const extra = { ...byArea[area] };
  // List procedures take no ids.
  if (name === 'list')
    for (const k of [
      'memberId',
      'groupId',
      'failureId',
      'tokenId',
      'memberIds',
      'externalId',
      'token',
      'role',
      'name',
    ])
      delete extra[k];
  if (path === 'tokens.create') delete extra['tokenId'];
  if (path === 'invitations.accept') return { token: extra['token'] };
  return { organizationId, ...extra };
}

describe('tRPC', () => {
  const bIds = () => ({ member: b.userId, group: b.groupId, failure: b.failureId, token: b.tokenId });
  const ghostIds = () => ({
    member: randomUUID(),
    group: randomUUID(),
    failure: randomUUID(),
    token: randomUUID(),
  });
  const subst = (ids: ReturnType<typeof bIds>) => ({
    [ids.member]: '<member>',
    [ids.group]: '<group>',
    [ids.failure]: '<failure>',
    [ids.token]: '<token>',
  });

  it("A's admin token on B's organization: every procedure refused exactly like an organization that doesn't exist", async () => {
    for (const p of procedures.filter((x) => x.access !== 'public')) {
      const ghostOrg = randomUUID();
      const theirs = await trpcSend(t.url, A.adminToken, p.type, p.path, inputFor(p.path, B.id, bIds()));
      const ids = ghostIds();
      const none = await trpcSend(t.url, A.adminToken, p.type, p.path, inputFor(p.path, ghostOrg, ids));
      expect(theirs.status, `${p.path}: ${theirs.text}`).toBe(403);
      expect(observable(theirs, { ...subst(bIds()), [B.id]: '<org>' }), p.path).toEqual(
        observable(none, { ...subst(ids), [ghostOrg]: '<org>' }),
      );
      expectNoLeak(theirs, p.path, [b.userId, b.groupId, b.failureId, b.tokenId, B.id]);
    }
  });

  it("A's admin token naming B's members, groups, failures and tokens inside A's organization: the same answer as ids that exist nowhere", async () => {
    let compared = 0;
    for (const p of procedures.filter((x) => x.access !== 'public')) {
      const input = inputFor(p.path, A.id, bIds());
      const text = JSON.stringify(input);
      if (![b.userId, b.groupId, b.failureId, b.tokenId].some((id) => text.includes(id))) continue;
      const ids = ghostIds();
      const theirs = await trpcSend(t.url, A.adminToken, p.type, p.path, input);
      const none = await trpcSend(t.url, A.adminToken, p.type, p.path, inputFor(p.path, A.id, ids));
      expect(theirs.status, `${p.path}: ${theirs.text}`).toBeGreaterThanOrEqual(400);
      expect(theirs.status, `${p.path}: ${theirs.text}`).toBeLessThan(500);
      expect(observable(theirs, subst(bIds())), p.path).toEqual(observable(none, subst(ids)));
      expectNoLeak(theirs, p.path, [b.userId, b.groupId, b.failureId, b.tokenId]);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(12);
    console.info(`[isolation] tRPC foreign ids inside A: ${compared} procedures, identical to missing ids`);
  });

  it('reader tokens (scoped and all-organizations) are refused on every mutation, and change nothing', async () => {
    const allReader = await t.allOrgsToken('reader');
    const mutations = procedures.filter((p) => p.type === 'mutation' && p.access !== 'public');
    for (const p of mutations) {
      for (const [who, token, org] of [
        ['reader', A.readerToken, A.id],
        ['all-organizations reader', allReader, B.id],
      ] as const) {
        const res = await trpcSend(
          t.url,
          token,
          'mutation',
          p.path,
          inputFor(p.path, org, {
            member: a.userId,
            group: a.groupId,
            failure: randomUUID(),
            token: randomUUID(),
          }),
        );
        expect(res.status, `${p.path} as ${who}: ${res.text}`).toBe(403);
        expect((res.json as { error: { data: { reason: string } } }).error.data.reason, p.path).toBe(
          'read_only_token',
        );
      }
    }
    console.info(`[isolation] tRPC: ${mutations.length} mutations × 2 reader tokens refused`);
  });

  it('a SCIM key is not an admin token; a scoped token never reaches all-organization data', async () => {
    const res = await trpcSend(t.url, A.scimKey, 'query', 'members.list', { organizationId: A.id });
    expect(res.status).toBe(401);
    const gql = await graphqlSend(t.url, A.scimKey, '{ queueHealth { queue } }');
    expect(gql.status).toBe(401);
    const orgs = await graphqlSend(
      t.url,
      A.adminToken,
      '{ organizations(first: 100) { edges { node { id name } } } }',
    );
    expect(orgs.status).toBeLessThan(500);
    expectNoLeak(orgs, 'organizations');
  });
});

describe('GraphQL', () => {
  const inOrg = (sel: string) => `query($org: ID!, $id: ID!) { organization(id: $org) { ${sel} } }`;

  it("B's organization, members and groups through A's tokens answer exactly like ids that exist nowhere", async () => {
    const queries = [
      inOrg('id name'),
      inOrg('member(id: $id) { id userName email }'),
      inOrg('group(id: $id) { id displayName members(first: 5) { edges { node { id } } } }'),
      inOrg('members(first: 10, filter: { groupId: $id }) { totalCount edges { node { id userName } } }'),
      inOrg('groups(first: 10) { totalCount edges { node { id displayName } } }'),
      inOrg('syncFailures(first: 10) { totalCount edges { node { id target } } }'),
    ];
    let compared = 0;
    for (const token of [A.adminToken, A.readerToken]) {
      for (const query of queries) {
        for (const theirId of [b.userId, b.groupId]) {
          // Their organization, and their ids inside A's own organization.
          for (const org of [B.id, A.id]) {
            const ghostOrg = org === A.id ? A.id : randomUUID();
            const ghostId = randomUUID();
            const theirs = await graphqlSend(t.url, token, query, { org, id: theirId });
            const none = await graphqlSend(t.url, token, query, { org: ghostOrg, id: ghostId });
            expect(theirs.status, theirs.text).toBeLessThan(500);
            expect(
              observable(theirs, { [theirId]: '<id>', [org]: '<org>' }),
              `${query} ${org === B.id ? 'B' : 'A'}`,
            ).toEqual(observable(none, { [ghostId]: '<id>', [ghostOrg]: '<org>' }));
            expectNoLeak(theirs, query, [theirId, B.id]);
            compared++;
          }
        }
      }
    }
    console.info(`[isolation] GraphQL: ${compared} answer pairs identical`);
  });

  it('is read-only: a mutation or subscription is refused cleanly for every token', async () => {
    for (const token of [A.adminToken, A.readerToken]) {
      for (const q of ['mutation { __typename }', 'subscription { __typename }']) {
        const res = await graphqlSend(t.url, token, q);
        expect(res.status, res.text).toBeGreaterThanOrEqual(200);
        expect(res.status, res.text).toBeLessThan(500);
        expect((res.json as { errors?: unknown[] }).errors?.length ?? 0, res.text).toBeGreaterThan(0);
      }
    }
  });
});

it('after the whole matrix, B is exactly as it was', async () => {
  // Users, group and its version, failures, tokens and the number of audit events: all unchanged.
  expect(await snapshotOfB()).toEqual(bBefore);
});

it('a no-token request and a wrong-token request look the same on tRPC and GraphQL', async () => {
  const none = await trpcSend(t.url, null, 'query', 'members.list', { organizationId: A.id });
  const wrong = await trpcSend(t.url, `sat_${randomUUID()}`, 'query', 'members.list', {
    organizationId: A.id,
  });
  expect(observable(wrong)).toEqual(observable(none));
  const gNone = await graphqlSend(t.url, null, '{ queueHealth { queue } }');
  const gWrong = await graphqlSend(t.url, `sat_${randomUUID()}`, '{ queueHealth { queue } }');
  expect(observable(gWrong)).toEqual(observable(gNone));
  expect((await send(`${t.url}/healthz`)).status).toBe(200);
});
