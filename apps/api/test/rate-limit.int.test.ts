// Abuse limits over real HTTP: a flood from one credential, and SCIM key guessing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scimClient } from './helpers/scim-client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    worker: false,
    env: { RATE_LIMIT_PER_MINUTE: '20', AUTH_FAILURES_PER_MINUTE: '5' },
  });
});
afterAll(async () => {
  await t.close();
});

it('a flood from one SCIM key gets 429 + Retry-After as a SCIM error; another key is unaffected', async () => {
  const a = await t.organization('Flood A');
  const b = await t.organization('Flood B');
  const scimA = scimClient(a.scimUrl, a.scimKey);
  const statuses: number[] = [];
  let limited: Awaited<ReturnType<typeof scimA.get>> | null = null;
  for (let i = 0; i < 25; i++) {
    const r = await scimA.get('/Users?count=1');
    statuses.push(r.status);
    if (r.status === 429) limited = r;
  }
  expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
  expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(limited!.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(limited!.body).toMatchObject({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: '429',
  });
  expect((await scimClient(b.scimUrl, b.scimKey).get('/Users?count=1')).status).toBe(200);
  // Health and metrics are never limited.
  for (let i = 0; i < 25; i++) expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
}, 30_000);

it('guessing SCIM keys is rate-limited after a few failures', async () => {
  const org = await t.organization('Guess');
  const guesses: number[] = [];
  for (let i = 0; i < 8; i++)
    guesses.push((await scimClient(org.scimUrl, `scim_guess${i}`).get('/Users')).status);
  expect(guesses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(guesses.slice(5)).toEqual([429, 429, 429]);
  // Once limited, even the right key from this client waits out the window.
  expect((await scimClient(org.scimUrl, org.scimKey).get('/Users')).status).toBe(429);
}, 30_000);
