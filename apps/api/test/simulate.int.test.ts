// `scimctl simulate entra` against a real started app (PostgreSQL, Redis, worker in-process): a small
// initial cycle plus one incremental cycle in each dialect must leave the service equal to the
// simulated directory. Plus the client's wire behaviour against a loopback stub.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient } from '../src/cli/simulate/client.js';
import { DIALECTS } from '../src/cli/simulate/dialects.js';
import { runSimulation, type SimulationResult } from '../src/cli/simulate/run.js';
import { Recorder } from '../src/cli/simulate/stats.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const SMALL = {
  users: 30,
  groups: 4,
  membersPerGroup: 8,
  cycles: 1,
  changes: 20,
  concurrency: 4,
  seed: 'ci',
  timeoutMs: 180_000,
};

/** What a failing run should show in the assertion message. */
const explain = (r: SimulationResult) => ({
  errors: r.summary.errors.slice(0, 10),
  differences: r.verification?.differences.slice(0, 20),
  problems: r.verification?.problems,
});

describe('simulate entra against the service', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(DIALECTS)(
    '%s: initial + incremental cycle, verified equal',
    async (dialect) => {
      const org = await app.organization(`Simulated ${dialect}`);
      const result = await runSimulation({ ...SMALL, url: org.scimUrl, token: org.scimKey, dialect });
      expect(explain(result)).toEqual({ errors: [], differences: [], problems: [] });
      expect(result.ok).toBe(true);

      const kinds = new Map(result.summary.kinds.map((k) => [k.kind, k]));
      expect(kinds.get('testConnection.users')?.statuses).toEqual({ '200': 1 });
      expect(kinds.get('user.lookup')?.statuses).toEqual({ '200': 30 });
      expect(kinds.get('user.create')?.statuses).toEqual({ '201': 30 });
      expect(kinds.get('group.create')?.statuses).toEqual({ '201': 4 });
      expect(kinds.get('user.manager')?.count).toBeGreaterThan(20);
      expect(kinds.get('group.addMembers')?.count).toBeGreaterThanOrEqual(4);
      expect(Object.values(result.changes).reduce((a, b) => a + b, 0)).toBe(20);
      if (dialect !== 'okta' && result.changes.hardDeleteUser) {
        expect(kinds.get('user.delete')?.statuses).toEqual({ '204': result.changes.hardDeleteUser });
        expect(kinds.get('user.getDeleted')?.statuses).toEqual({ '404': result.changes.hardDeleteUser });
      }
      const p = result.summary.provisioning;
      expect(p.requests).toBeGreaterThan(100);
      expect(p.writesPerSecond).toBeGreaterThan(0);
      // Numbers for the benchmark issue, visible in the CI log.
      console.log(
        `[simulate ${dialect}] ${p.requests} requests (${p.writes} writes) in ${p.seconds}s: ${p.requestsPerSecond} req/s, ${p.writesPerSecond} writes/s; ` +
          result.summary.kinds.map((k) => `${k.kind} p50/p95/p99 ${k.p50}/${k.p95}/${k.p99} ms`).join('; '),
      );
    },
    240_000,
  );

  it('a second run with the same seed matches every object instead of creating it', async () => {
    const org = await app.organization('Simulated rerun');
    const options = {
      ...SMALL,
      cycles: 0,
      url: org.scimUrl,
      token: org.scimKey,
      dialect: 'aadOptscim062020' as const,
    };
    expect((await runSimulation(options)).ok).toBe(true);
    const again = await runSimulation(options);
    expect(explain(again)).toEqual({ errors: [], differences: [], problems: [] });
    const kinds = new Map(again.summary.kinds.map((k) => [k.kind, k]));
    expect(kinds.has('user.create')).toBe(false);
    expect(kinds.has('group.create')).toBe(false);
    expect(kinds.get('user.lookup')?.statuses).toEqual({ '200': 30 });
  }, 240_000);

  it('fails Test Connection with a wrong key', async () => {
    const org = await app.organization('Simulated wrong key');
    await expect(
      runSimulation({ ...SMALL, url: org.scimUrl, token: 'wrong', dialect: 'legacy' }),
    ).rejects.toThrow(/Test Connection failed: \/Users: HTTP 401/);
  });
});

describe('the client on the wire (loopback stub)', () => {
  let server: Server;
  let base: string;
  const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  let throttle = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.setHeader('content-type', 'application/scim+json');
      if (req.url?.includes('/Throttled') && throttle-- > 0) {
        res.statusCode = 429;
        res.setHeader('retry-after', '0');
        res.end('{"status":"429"}');
        return;
      }
      if (req.url?.includes('/ServiceProviderConfig'))
        res.end('{"filter":{"supported":true,"maxResults":50}}');
      else res.end('{"totalResults":0,"Resources":[],"startIndex":1,"itemsPerPage":0}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2/org`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('Test Connection sends no Accept and no User-Agent; the flag rides on every request; verify pages by maxResults', async () => {
    seen.length = 0;
    const result = await runSimulation({
      url: base,
      token: 'k',
      users: 0,
      groups: 0,
      membersPerGroup: 0,
      dialect: 'aadOptscim062020',
    });
    expect(result.ok).toBe(true);
    const [users, groups] = seen;
    expect(users?.url).toMatch(
      /^\/scim\/v2\/org\/Users\?aadOptscim062020&filter=userName\+eq\+%22[0-9a-f-]{36}%22$/,
    );
    expect(groups?.url).toMatch(
      /^\/scim\/v2\/org\/Groups\?aadOptscim062020&excludedAttributes=members&filter=displayName\+eq\+%22/,
    );
    expect(users?.headers['accept']).toBeUndefined();
    expect(users?.headers['user-agent']).toBeUndefined();
    expect(users?.headers['authorization']).toBe('Bearer k');
    expect(seen.every((r) => r.url.includes('aadOptscim062020'))).toBe(true);
    expect(seen.map((r) => r.url)).toContain('/scim/v2/org/Users?aadOptscim062020&startIndex=1&count=50');
  });

  it('honours 429 + Retry-After with bounded retries, recording every attempt', async () => {
    const recorder = new Recorder();
    const client = new ScimClient({
      url: base,
      token: 'k',
      dialect: 'okta',
      concurrency: 2,
      recorder,
      signal: new AbortController().signal,
      retry: { maxRetries: 2, maxDelayMs: 50, baseDelayMs: 10 },
    });
    try {
      throttle = 2;
      expect((await client.send('t', { method: 'GET', path: '/Throttled', expect: [200] }))?.status).toBe(
        200,
      );
      throttle = 5;
      expect((await client.send('t', { method: 'GET', path: '/Throttled', expect: [200] }))?.status).toBe(
        429,
      );
    } finally {
      await client.close();
    }
    expect(recorder.retries).toBe(4);
    expect(Object.fromEntries(recorder.kinds.get('t')?.statuses ?? [])).toEqual({ 200: 1, 429: 5 });
    expect(recorder.errors.map((e) => e.status)).toEqual([429]);
    expect(seen.at(-1)?.headers['user-agent']).toBe('Okta SCIM Client');
  });
});
