// Issue 4 §5: health and readiness, Prometheus metrics (request latency by route and status, queue
// depth), the client's request id followed into the job (the audit event it wrote), and the queue
// dashboard behind an all-organizations admin token.
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deleteQueueKeys } from './helpers/pipeline-redis.js';
import { scim, userBody } from './helpers/pipeline-scim.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
  await deleteQueueKeys(t.config.redis.url, t.config.redis.prefix);
});

const fetchIn = (path: string, init: RequestInit = {}) =>
  fetch(`${t.url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
const basic = (password: string, user = 'ops') =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('health and readiness', () => {
  it('/healthz 200; /readyz 200 with database and redis ok', async () => {
    const health = await fetchIn('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetchIn('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
    // (503 with redis: 'down' is proved in pipeline-redis-outage.int.test.ts on a private Redis.)
  });
});

describe('async context', () => {
  // On Node 20 the first AsyncLocalStorage entered turns on a promise hook for every later promise
  // of the process (request-entity-manager.ts): no read may enter one, admin reads included.
  it('is entered by no read: SCIM, probes, scrapes, GraphQL, a tRPC query, the dashboard', async () => {
    const org = await t.organization('Context');
    const allAdmin = await t.allOrgsToken('admin');
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    try {
      for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetchIn(path)).status).toBe(200);
      expect((await scim(org, 'GET', '/Users?filter=userName%20eq%20%22nobody%22')).status).toBe(200);
      const bearer = { headers: { authorization: `Bearer ${org.adminToken}` } };
      expect((await fetchIn('/graphql?query=%7B__typename%7D', bearer)).status).toBe(200);
      const input = encodeURIComponent(JSON.stringify({ organizationId: org.id }));
      expect((await fetchIn(`/trpc/organizations.get?input=${input}`, bearer)).status).toBe(200);
      expect((await fetchIn('/admin/queues', { headers: { authorization: basic(allAdmin) } })).status).toBe(
        200,
      );
      expect(run).not.toHaveBeenCalled();
      expect(enterWith).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
      enterWith.mockRestore();
    }
  });
});

describe('metrics', () => {
  it('exposes request latency by route and status, and queue depth by queue and state', async () => {
    const org = await t.organization('Metrics');
    expect((await scim(org, 'POST', '/Users', userBody('metrics@example.com'))).status).toBe(201);
    expect((await scim(org, 'GET', '/Users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const res = await fetchIn('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const series = text.split('\n').filter((l) => l.startsWith('http_request_duration_seconds_count{'));
    // The route is the pattern, not the URL (bounded cardinality): no organization or user ids.
    expect(series).toContain(
      'http_request_duration_seconds_count{method="POST",route="/scim/v2/:organizationId/:endpoint",status="201"} 1',
    );
    expect(series).toContain(
      'http_request_duration_seconds_count{method="GET",route="/scim/v2/:organizationId/:endpoint/:id",status="404"} 1',
    );
    expect(series.join('\n')).not.toContain(org.id);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(text).toMatch(new RegExp(`^queue_jobs\\{queue="provisioning",state="${state}"\\} \\d+$`, 'm'));
      expect(text).toMatch(new RegExp(`^queue_jobs\\{queue="mail",state="${state}"\\} \\d+$`, 'm'));
    }
    expect(text).toMatch(/^queue_oldest_waiting_seconds\{queue="provisioning"\} [\d.]+$/m);
  });
});

describe('request id', () => {
  it('the x-request-id a client sends is echoed and recorded with the change the worker made', async () => {
    const org = await t.organization('Trace');
    const requestId = `pipeline-trace-${Date.now()}`;
    const created = await scim(org, 'POST', '/Users', userBody('trace@example.com'), {
      'x-request-id': requestId,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe(requestId);
    const rows = await t.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ action: string; target_id: string; actor: string }>>(
        'select action, target_id, actor from audit_event where organization_id = ? and request_id = ?',
        [org.id, requestId],
      );
    expect(rows).toContainEqual(expect.objectContaining({ target_id: created.body!['id'], actor: 'scim' }));

    // A malformed id is not trusted (log injection): the api makes its own.
    const odd = await scim(org, 'POST', '/Users', userBody('odd@example.com'), {
      'x-request-id': 'bad id\twith spaces',
    });
    expect(odd.status).toBe(201);
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('queue dashboard', () => {
  it('/admin/queues: 401 without Basic auth or with a lesser token, 200 with an all-organizations admin token', async () => {
    const org = await t.organization('Dash');
    const allAdmin = await t.allOrgsToken('admin');
    const allReader = await t.allOrgsToken('reader');

    const none = await fetchIn('/admin/queues');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    for (const password of [org.adminToken, allReader, 'not-a-token', '']) {
      expect((await fetchIn('/admin/queues', { headers: { authorization: basic(password) } })).status).toBe(
        401,
      );
    }
    // Bearer is not accepted here: browsers prompt for Basic.
    expect(
      (await fetchIn('/admin/queues', { headers: { authorization: `Bearer ${allAdmin}` } })).status,
    ).toBe(401);
    // The API under the dashboard is behind the same gate.
    expect((await fetchIn('/admin/queues/api/queues')).status).toBe(401);

    const page = await fetchIn('/admin/queues', { headers: { authorization: basic(allAdmin) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await fetchIn('/admin/queues/api/queues', { headers: { authorization: basic(allAdmin) } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues
      .map((q) => q.name)
      .sort();
    expect(names).toEqual(['mail', 'provisioning']);
  });
});

describe('async context in settings changes', () => {
  // The admin console's settings changes are plain SQL in a plain-SQL transaction too: none of them
  // may turn the promise hook on (in the usual order, a key rotated here precedes the IdP's sync).
  // Last in the file: it writes, and the metrics test counts this app's requests.
  it('is entered by no tRPC mutation: organization, notifications, SCIM switch and key, tokens, failures', async () => {
    const org = await t.organization('Settings context');
    expect((await scim(org, 'POST', '/Users', userBody('dup@example.com', { externalId: 'a' }))).status).toBe(
      201,
    );
    expect((await scim(org, 'POST', '/Users', userBody('dup@example.com', { externalId: 'b' }))).status).toBe(
      409,
    );
    const bearer = { authorization: `Bearer ${org.adminToken}`, 'content-type': 'application/json' };
    const trpc = async (path: string, input: Record<string, unknown> = {}) => {
      const res = await fetchIn(`/trpc/${path}`, {
        method: 'POST',
        headers: bearer,
        body: JSON.stringify({ organizationId: org.id, ...input }),
      });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      return ((await res.json()) as { result: { data: Record<string, unknown> } }).result.data;
    };
    const failures = await fetchIn(
      `/trpc/syncFailures.list?input=${encodeURIComponent(JSON.stringify({ organizationId: org.id }))}`,
      { headers: bearer },
    );
    const [failure] = ((await failures.json()) as { result: { data: { items: { id: string }[] } } }).result
      .data.items;
    expect(failure).toBeDefined();
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    try {
      expect(
        await trpc('organizations.update', { name: 'Settings context, renamed', seats: 100 }),
      ).toMatchObject({
        name: 'Settings context, renamed',
        seats: 100,
      });
      expect(
        await trpc('notifications.set', { recipients: ['ops@example.com'], digestWindowMinutes: 30 }),
      ).toEqual({
        recipients: ['ops@example.com'],
        digestWindowMinutes: 30,
      });
      expect(await trpc('notifications.sendTest')).toMatchObject({ to: ['ops@example.com'] });
      expect(await trpc('scim.disable')).toMatchObject({ enabled: false });
      expect(await trpc('scim.enable')).toMatchObject({ enabled: true });
      expect(await trpc('scim.rotateKey')).toHaveProperty('scimApiKey');
      const token = await trpc('tokens.create', { role: 'reader', name: 'context reader' });
      expect(await trpc('tokens.revoke', { tokenId: token['id'] })).toMatchObject({ id: token['id'] });
      expect(await trpc('syncFailures.resolve', { failureId: failure!.id })).toMatchObject({
        status: 'resolved',
      });
      expect(run).not.toHaveBeenCalled();
      expect(enterWith).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
      enterWith.mockRestore();
    }
  });
});
