// Issue 10 §6 — abuse. Oversized bodies, floods from one credential, slow clients, GraphQL query
// bombs and key guessing, against the real app with tight limits from its configuration; then a
// run at debug level with failed authentication, a 500 and sync failures, after which no SCIM key
// or admin token appears in the logs, in any error answer, in failure reports or in e-mails.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReliabilityApp, type ReliabilityApp } from '../helpers/reliability-app.js';
import { graphqlSend, scimSend, send, trpcSend, type RawResponse } from '../helpers/reliability-http.js';
import { getFrom, trickle } from '../helpers/reliability-sockets.js';
import { eventually } from '../helpers/pipeline-util.js';
import type { TestOrganization } from '../helpers/test-app.js';

const PER_MINUTE = 40;
const AUTH_FAILURES = 10;
const MAX_BODY = 16_384;
const REQUEST_TIMEOUT_MS = 1_500;
const CONNECTION_TIMEOUT_MS = 3_000;
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

const countBy = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

describe('limits', () => {
  let t: ReliabilityApp;
  beforeAll(async () => {
    t = await startReliabilityApp({
      logLevel: 'warn',
      env: {
        RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES),
        SCIM_MAX_BODY_BYTES: String(MAX_BODY),
        HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        HTTP_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS),
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it(`a body over SCIM_MAX_BODY_BYTES (${MAX_BODY}) is 413 on every surface, with or without Content-Length`, async () => {
    const org = await t.organization('Big bodies');
    const big = (n: number) => ({
      schemas: [USER_SCHEMA],
      userName: 'big@example.com',
      displayName: 'x'.repeat(n),
    });
    // Just under the limit: parsed and judged on its merits (the display name is too long to store).
    const under = await scimSend(org.scimUrl, org.scimKey, 'POST', '/Users', big(MAX_BODY - 200));
    expect(under.status, under.text).toBe(400);
    const created = await scimSend(org.scimUrl, org.scimKey, 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'small@example.com',
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.json as { id: string }).id;

    const answers: Array<[string, RawResponse]> = [
      ['SCIM POST', await scimSend(org.scimUrl, org.scimKey, 'POST', '/Users', big(MAX_BODY))],
      ['SCIM PUT', await scimSend(org.scimUrl, org.scimKey, 'PUT', `/Users/${id}`, big(MAX_BODY))],
      [
        'SCIM PATCH',
        await scimSend(org.scimUrl, org.scimKey, 'PATCH', `/Users/${id}`, {
          Operations: [{ op: 'replace', path: 'displayName', value: 'y'.repeat(MAX_BODY) }],
        }),
      ],
      [
        'SCIM Bulk',
        await scimSend(org.scimUrl, org.scimKey, 'POST', '/Bulk', {
          Operations: Array.from({ length: 200 }, (_, i) => ({
            method: 'POST',
            path: '/Users',
            bulkId: `b${i}`,
            data: big(100),
          })),
        }),
      ],
      [
        'tRPC',
        await trpcSend(t.url, org.adminToken, 'mutation', 'organizations.update', {
          organizationId: org.id,
          name: 'n'.repeat(MAX_BODY),
        }),
      ],
      [
        'GraphQL',
        await graphqlSend(t.url, org.readerToken, `{ queueHealth { queue } } # ${'c'.repeat(MAX_BODY)}`),
      ],
    ];
    // No Content-Length: the body arrives chunked and is cut off once past the limit.
    const chunks = Array.from({ length: 64 }, () => new TextEncoder().encode(`"${'z'.repeat(1022)}",`));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"userName":"chunked@example.com","x":['));
        for (const c of chunks) controller.enqueue(c);
        controller.enqueue(new TextEncoder().encode('"end"]}'));
        controller.close();
      },
    });
    const chunked = await fetch(`${org.scimUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.scimKey}`, 'content-type': 'application/scim+json' },
      body: stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    answers.push([
      'SCIM POST chunked',
      { status: chunked.status, headers: chunked.headers, text: await chunked.text(), json: null, ms: 0 },
    ]);

    for (const [what, res] of answers) {
      expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBe(413);
      if (what.startsWith('SCIM')) {
        expect(res.headers.get('content-type'), what).toMatch(/^application\/scim\+json/);
        expect(JSON.parse(res.text), what).toMatchObject({ status: '413' });
      }
    }
    // Nothing oversized was stored.
    const users = await scimSend(org.scimUrl, org.scimKey, 'GET', '/Users');
    expect((users.json as { totalResults: number }).totalResults).toBe(1);
    console.info(`[abuse] 413 on ${answers.length} oversized requests (SCIM ×5, tRPC, GraphQL, chunked)`);
  });

  it(`a flood from one credential: exactly ${PER_MINUTE} per minute pass, the rest 429 + Retry-After — on SCIM, tRPC and GraphQL; others unaffected`, async () => {
    const org = await t.organization('Flood');
    const bystander = await t.organization('Bystander');
    const floods: Array<[string, () => Promise<RawResponse>]> = [
      ['SCIM', () => scimSend(org.scimUrl, org.scimKey, 'GET', '/Users?count=1')],
      [
        'tRPC',
        () => trpcSend(t.url, org.adminToken, 'query', 'members.list', { organizationId: org.id, limit: 1 }),
      ],
      ['GraphQL', () => graphqlSend(t.url, org.readerToken, '{ queueHealth { queue } }')],
    ];
    for (const [surface, call] of floods) {
      // All at once: the counter lives in Redis, so concurrent requests can't slip past it.
      const answers = await Promise.all(Array.from({ length: PER_MINUTE + 30 }, () => call()));
      const statuses = countBy(answers.map((r) => r.status));
      expect(statuses, surface).toEqual({ 200: PER_MINUTE, 429: 30 });
      for (const r of answers.filter((x) => x.status === 429)) {
        const retryAfter = Number(r.headers.get('retry-after'));
        expect(retryAfter, surface).toBeGreaterThanOrEqual(1);
        expect(retryAfter, surface).toBeLessThanOrEqual(60);
      }
      const limited = answers.find((r) => r.status === 429)!;
      if (surface === 'SCIM')
        expect(JSON.parse(limited.text)).toMatchObject({
          status: '429',
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        });
      console.info(
        `[abuse] ${surface} flood of ${answers.length}: ${JSON.stringify(statuses)}, Retry-After ${limited.headers.get('retry-after')} s`,
      );
    }
    expect((await scimSend(bystander.scimUrl, bystander.scimKey, 'GET', '/Users')).status).toBe(200);
    expect(
      (await trpcSend(t.url, bystander.adminToken, 'query', 'members.list', { organizationId: bystander.id }))
        .status,
    ).toBe(200);
    // Liveness and readiness are never limited (orchestrators poll them).
    for (let i = 0; i < PER_MINUTE + 5; i++) expect((await send(`${t.url}/healthz`)).status).toBe(200);
  });

  it(`slow clients are cut off after HTTP_REQUEST_TIMEOUT_MS (${REQUEST_TIMEOUT_MS} ms) while everyone else is served`, async () => {
    const org = await t.organization('Slow');
    const port = Number(new URL(t.url).port);
    const bound = REQUEST_TIMEOUT_MS + 1_000 /* check interval */ + 1_500; /* slack on a loaded machine */
    const body = JSON.stringify({
      schemas: [USER_SCHEMA],
      userName: 'slow@example.com',
      displayName: 'z'.repeat(400),
    });
    const slowBody = () =>
      trickle({
        port,
        head: `POST /scim/v2/${org.id}/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${org.scimKey}\r\nContent-Type: application/scim+json\r\nContent-Length: ${body.length}\r\n\r\n`,
        trickle: body,
        everyMs: 100, // the whole body would take ~50 s
        giveUpMs: 15_000,
      });
    const slowHeaders = () =>
      trickle({
        port,
        head: 'GET /scim/v2/x/Users HTTP/1.1\r\nHost: 127.0.0.1\r\n',
        trickle: `X-Slow: ${'a'.repeat(500)}`,
        everyMs: 100,
        giveUpMs: 15_000,
      });
    const idle = () => trickle({ port, head: '', trickle: '', everyMs: 1_000, giveUpMs: 15_000 });

    // Twenty slow clients at once; meanwhile normal requests keep their usual latency.
    const slow = Promise.all([
      ...Array.from({ length: 8 }, slowBody),
      ...Array.from({ length: 8 }, slowHeaders),
      ...Array.from({ length: 4 }, idle),
    ]);
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await scimSend(org.scimUrl, org.scimKey, 'GET', '/Users?count=1');
      expect(r.status).toBe(200);
      latencies.push(r.ms);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const results = await slow;
    for (const [i, r] of results.entries()) {
      const kind = i < 8 ? 'body' : i < 16 ? 'headers' : 'idle';
      expect(r.stillOpen, `${kind} client never cut off`).toBe(false);
      expect(r.closedAfterMs, kind).toBeLessThan(kind === 'idle' ? CONNECTION_TIMEOUT_MS + 2_500 : bound);
      // Node answers 408 when it can; an idle socket is simply closed.
      if (kind !== 'idle' && r.answer) expect(r.answer, kind).toMatch(/^HTTP\/1\.1 408/);
    }
    const worst = (k: number, n: number) =>
      Math.max(...results.slice(k, k + n).map((r) => r.closedAfterMs)).toFixed(0);
    console.info(
      `[abuse] slow clients cut off after (worst) body ${worst(0, 8)} ms, headers ${worst(8, 8)} ms, idle ${worst(16, 4)} ms; ` +
        `normal GET meanwhile max ${Math.max(...latencies).toFixed(0)} ms`,
    );
    expect(Math.max(...latencies)).toBeLessThan(2_000);
    // The half-sent user was never created.
    const users = await scimSend(org.scimUrl, org.scimKey, 'GET', '/Users');
    expect((users.json as { totalResults: number }).totalResults).toBe(0);
  });

  describe('GraphQL query bombs are refused before they run', () => {
    let org: TestOrganization;
    beforeAll(async () => {
      org = await t.organization('Bombs');
    });
    const refused = async (
      what: string,
      query: string,
      code?: string,
      variables: Record<string, unknown> = {},
    ) => {
      const res = await graphqlSend(t.url, org.readerToken, query, { org: org.id, ...variables });
      expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      const body = res.json as {
        data?: unknown;
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      };
      expect(body.data ?? null, what).toBeNull();
      expect(body.errors?.length ?? 0, `${what}: ${res.text.slice(0, 300)}`).toBeGreaterThan(0);
      if (code)
        expect(
          body.errors?.map((e) => e.extensions?.code),
          what,
        ).toContain(code);
      expect(res.ms, `${what} answered in ${res.ms} ms`).toBeLessThan(1_500);
      return res;
    };

    it('depth 11 (limit 10), directly and through fragments', async () => {
      // organization 1 > members 2 > edges 3 > node 4 > groups 5 > members 6 > edges 7 > node 8 > groups 9 > members 10 > totalCount 11
      const deep =
        'members(first: 1) { edges { node { groups { members(first: 1) { edges { node { groups { members(first: 1) { totalCount } } } } } } } } }';
      await refused('depth', `query($org: ID!) { organization(id: $org) { ${deep} } }`, 'QUERY_TOO_DEEP');
      await refused(
        'depth via fragments',
        `query($org: ID!) { organization(id: $org) { ...A } } fragment A on Organization { members(first: 1) { edges { node { ...B } } } }
         fragment B on Member { groups { members(first: 1) { edges { node { groups { members(first: 1) { totalCount } } } } } } }`,
        'QUERY_TOO_DEEP',
      );
    });

    it('cost: nested pages, aliases and page sizes from variables', async () => {
      const nested =
        'members(first: 100) { edges { node { groups { members(first: 100) { edges { node { id } } } } } } }';
      await refused(
        'nested pages',
        `query($org: ID!) { organization(id: $org) { ${nested} } }`,
        'QUERY_TOO_COSTLY',
      );
      const aliases = Array.from({ length: 200 }, (_, i) => `s${i}: membershipSummary { total }`).join(' ');
      await refused(
        '200 aliases of a report',
        `query($org: ID!) { organization(id: $org) { ${aliases} } }`,
        'QUERY_TOO_COSTLY',
      );
      await refused(
        'page size from a variable',
        `query($org: ID!, $n: Int) { organization(id: $org) { members(first: $n) { edges { node { groups { members(first: $n) { edges { node { id } } } } } } } } }`,
        'QUERY_TOO_COSTLY',
        { n: 1_000_000 },
      );
    });

    it('introspection cycles, fragment cycles, batches and absurd nesting are refused cleanly', async () => {
      await refused(
        'introspection cycle',
        '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
      );
      await refused(
        'fragment cycle',
        'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
      );
      // Compact, to stay under this app's body limit: before the parser's token budget, a few
      // thousand levels overflowed the stack (a 500).
      const nest = 5_000;
      await refused('5000 nested selections', `{${'a{'.repeat(nest)}b${'}'.repeat(nest)}}`);
      const batch = await send(`${t.url}/graphql`, {
        method: 'POST',
        token: org.readerToken,
        body: Array.from({ length: 50 }, () => ({ query: '{ queueHealth { queue } }' })),
      });
      expect(batch.status, batch.text).toBeGreaterThanOrEqual(400);
      expect(batch.status, batch.text).toBeLessThan(500);
    });
  });

  // Last in this app: from here on this client's address is blocked for a minute.
  it(`guessing credentials: after ${AUTH_FAILURES} failures from one address, every surface answers 429 to it — other addresses are served`, async () => {
    const org = await t.organization('Guess');
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_FAILURES + 5; i++)
      statuses.push((await scimSend(org.scimUrl, `scim_guess${i}`, 'GET', '/Users')).status);
    expect(statuses).toEqual([...Array<number>(AUTH_FAILURES).fill(401), ...Array<number>(5).fill(429)]);
    const limited = await scimSend(org.scimUrl, 'scim_guess-again', 'GET', '/Users');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The same client guessing admin tokens instead, or using a right key, waits out the window too.
    expect(
      (await trpcSend(t.url, 'sat_guess', 'query', 'members.list', { organizationId: org.id })).status,
    ).toBe(429);
    expect((await graphqlSend(t.url, 'sat_guess', '{ queueHealth { queue } }')).status).toBe(429);
    expect((await scimSend(org.scimUrl, org.scimKey, 'GET', '/Users')).status).toBe(429);

    // Admin-token guessing from another address is limited the same way, on tRPC and GraphQL.
    const trpcGuesses: number[] = [];
    for (let i = 0; i < AUTH_FAILURES + 3; i++) {
      const input = encodeURIComponent(JSON.stringify({ organizationId: org.id }));
      const url =
        i % 2
          ? `${t.url}/graphql?query=${encodeURIComponent('{ queueHealth { queue } }')}`
          : `${t.url}/trpc/members.list?input=${input}`;
      trpcGuesses.push((await getFrom('127.0.0.3', url, { authorization: `Bearer sat_guess${i}` })).status);
    }
    expect(trpcGuesses).toEqual([...Array<number>(AUTH_FAILURES).fill(401), ...Array<number>(3).fill(429)]);
    // A third address with the right key is not affected.
    const other = await getFrom('127.0.0.2', `${org.scimUrl}/Users`, {
      authorization: `Bearer ${org.scimKey}`,
    });
    expect(other.status).toBe(200);
    console.info(
      `[abuse] key guessing: ${AUTH_FAILURES} × 401 then 429 (Retry-After ${limited.headers.get('retry-after')} s), per client address, across SCIM/tRPC/GraphQL`,
    );
  });
});

describe('secrets never reach logs, error answers, failure reports or e-mails', () => {
  let t: ReliabilityApp;
  beforeAll(async () => {
    t = await startReliabilityApp({
      logLevel: 'debug',
      env: { AUTH_FAILURES_PER_MINUTE: '100000', SCIM_WRITE_WAIT_MS: '10000' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('after failed authentication, 500s and sync failures at debug level', async () => {
    const org = await t.organization('Secretive', 1);
    const other = await t.organization('Other');
    const allOrgs = await t.allOrgsToken('admin');
    const answers: Array<[string, RawResponse]> = [];
    const keep = (what: string, res: RawResponse) => {
      answers.push([what, res]);
      return res;
    };
    const user = (userName: string) => ({
      schemas: [USER_SCHEMA],
      userName,
      emails: [{ value: userName, primary: true }],
      password: 'Hunter2-secret-password',
    });

    // Successful requests with every credential.
    keep(
      'scim create',
      await scimSend(org.scimUrl, org.scimKey, 'POST', '/Users', user('first@example.com')),
    );
    keep('scim list', await scimSend(org.scimUrl, org.scimKey, 'GET', '/Users'));
    keep(
      'trpc list',
      await trpcSend(t.url, org.adminToken, 'query', 'members.list', { organizationId: org.id }),
    );
    keep(
      'graphql',
      await graphqlSend(t.url, org.readerToken, 'query($o: ID!) { organization(id: $o) { name } }', {
        o: org.id,
      }),
    );
    keep('graphql all orgs', await graphqlSend(t.url, allOrgs, '{ organizations(first: 5) { totalCount } }'));
    // Failed authentication: real credentials in the wrong place, in odd header forms, and guesses.
    keep('scim cross key', await scimSend(other.scimUrl, org.scimKey, 'GET', '/Users'));
    keep('scim admin token', await scimSend(org.scimUrl, org.adminToken, 'GET', '/Users'));
    keep(
      'scim basic',
      await send(`${org.scimUrl}/Users`, { headers: { authorization: `Basic ${org.scimKey}` } }),
    );
    keep('scim bare', await send(`${other.scimUrl}/Users`, { headers: { authorization: org.scimKey } }));
    keep(
      'trpc with scim key',
      await trpcSend(t.url, org.scimKey, 'query', 'members.list', { organizationId: org.id }),
    );
    keep(
      'trpc cross org',
      await trpcSend(t.url, other.adminToken, 'mutation', 'scim.rotateKey', { organizationId: org.id }),
    );
    keep(
      'trpc reader mutation',
      await trpcSend(t.url, org.readerToken, 'mutation', 'organizations.update', {
        organizationId: org.id,
        name: 'x',
      }),
    );
    keep('graphql with scim key', await graphqlSend(t.url, org.scimKey, '{ queueHealth { queue } }'));
    keep(
      'graphql with token in a query',
      await graphqlSend(t.url, org.readerToken, `{ organization(id: "${org.adminToken}") { name } }`),
    );
    // Secrets returned on purpose (once) must still not be logged.
    const minted = keep(
      'token create',
      await trpcSend(t.url, org.adminToken, 'mutation', 'tokens.create', {
        organizationId: org.id,
        role: 'reader',
        name: 'minted',
      }),
    );
    const mintedToken = (minted.json as { result: { data: { token: string } } }).result.data.token;
    const rotated = keep(
      'rotate key',
      await trpcSend(t.url, other.adminToken, 'mutation', 'scim.rotateKey', { organizationId: other.id }),
    );
    const rotatedKey = (rotated.json as { result: { data: { scimApiKey: string } } }).result.data.scimApiKey;
    expect(rotatedKey).toMatch(/^scim_/);
    keep('old key after rotation', await scimSend(other.scimUrl, other.scimKey, 'GET', '/Users'));

    // Sync failures: the seat limit (1 seat, taken), and an unknown member in a group.
    keep(
      'seat limit',
      await scimSend(org.scimUrl, org.scimKey, 'POST', '/Users', user('second@example.com')),
    );
    const group = keep(
      'group',
      await scimSend(org.scimUrl, org.scimKey, 'POST', '/Groups', { displayName: 'G' }),
    );
    keep(
      'unknown member',
      await scimSend(org.scimUrl, org.scimKey, 'PATCH', `/Groups/${(group.json as { id: string }).id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'add', path: 'members', value: [{ value: '00000000-0000-4000-8000-000000000000' }] },
        ],
      }),
    );
    expect(answers.find(([w]) => w === 'seat limit')![1].status).toBe(403);

    // 500s: a table the readers need disappears for a moment (an unexpected SQL error).
    const conn = t.orm.em.fork().getConnection();
    await conn.execute('alter table member rename to member_gone');
    try {
      keep(
        'scim 500',
        await scimSend(
          org.scimUrl,
          org.scimKey,
          'GET',
          '/Users?filter=userName%20eq%20%22first%40example.com%22',
        ),
      );
      keep(
        'trpc 500',
        await trpcSend(t.url, org.adminToken, 'query', 'members.list', { organizationId: org.id }),
      );
      keep(
        'graphql 500',
        await graphqlSend(
          t.url,
          org.readerToken,
          'query($o: ID!) { organization(id: $o) { members(first: 5) { totalCount } } }',
          { o: org.id },
        ),
      );
    } finally {
      await conn.execute('alter table member_gone rename to member');
    }
    expect(answers.find(([w]) => w === 'scim 500')![1].status).toBe(500);
    expect(answers.find(([w]) => w === 'trpc 500')![1].status).toBe(500);

    // Failure notification e-mails are written by the mail worker: wait for the outbox to drain.
    await eventually('outbox sent', async () => {
      const rows = await t.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ n: string }>>(`select count(*) as n from outbox_email where status = 'pending'`);
      return Number(rows[0]!.n) === 0;
    });

    const secrets: Record<string, string> = {
      'SCIM key': org.scimKey,
      "other org's SCIM key (rotated out)": other.scimKey,
      'rotated SCIM key': rotatedKey,
      'admin token': org.adminToken,
      'reader token': org.readerToken,
      "other org's admin token": other.adminToken,
      'all-organizations token': allOrgs,
      'minted token': mintedToken,
      password: 'Hunter2-secret-password',
    };
    // The secret part, and any 16-character piece of it (a truncated secret is still a leak).
    const needles = Object.entries(secrets).flatMap(([name, s]) => {
      const body = s.replace(/^[a-z]+_/, '');
      return [[name, s] as const, [name, body.slice(0, 16)] as const, [name, body.slice(-16)] as const];
    });
    const sql = async (q: string) => JSON.stringify(await t.orm.em.fork().getConnection().execute(q));
    const emlFiles = (() => {
      try {
        return readdirSync(t.outboxDir).map((f) => readFileSync(path.join(t.outboxDir, f), 'utf8'));
      } catch {
        return [];
      }
    })();
    const places: Record<string, string> = {
      logs: t.logs.lines.join('\n'),
      'sync_failure rows': await sql('select * from sync_failure'),
      'outbox_email rows': await sql('select * from outbox_email'),
      'audit_event rows': await sql('select * from audit_event'),
      '.eml files': emlFiles.join('\n'),
      'error answers': answers
        .filter(([, r]) => r.status >= 400)
        .map(([w, r]) => `${w}: ${r.text}`)
        .join('\n'),
      // Only these two answers carry a secret, each its own new one.
      'other answers': answers
        .filter(([w, r]) => r.status < 400 && w !== 'token create' && w !== 'rotate key')
        .map(([w, r]) => `${w}: ${r.text}`)
        .join('\n'),
    };
    for (const [place, text] of Object.entries(places)) {
      for (const [name, needle] of needles)
        expect(text.includes(needle), `${name} found in ${place}`).toBe(false);
    }

    // The run did exercise what it claims: failed auth, 500s, sync failures, failure e-mails.
    const logged = t.logs.entries();
    const statuses = new Set(
      logged.map((e) => (e['res'] as { statusCode?: number } | undefined)?.statusCode).filter(Boolean),
    );
    expect([...statuses]).toEqual(expect.arrayContaining([200, 201, 401, 403, 500]));
    expect(logged.some((e) => e['level'] === 50)).toBe(true);
    expect(
      Number(
        JSON.parse(
          await sql("select count(*) as n from sync_failure where code in ('seat_limit', 'unknown_members')"),
        )[0].n,
      ),
    ).toBe(2);
    expect(emlFiles.length).toBeGreaterThanOrEqual(1);
    console.info(
      `[abuse] secrets: ${needles.length} needles × ${Object.keys(places).length} places clean; ${t.logs.lines.length} log lines at debug, ` +
        `${answers.filter(([, r]) => r.status >= 400).length} error answers, statuses ${JSON.stringify(countBy(answers.map(([, r]) => r.status)))}`,
    );
  });
});
