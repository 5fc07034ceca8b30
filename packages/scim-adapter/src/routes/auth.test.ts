import { describe, expect, it } from 'vitest';
import { SCIM_CONTENT_TYPE } from './content-type.js';
import { apiKeyOf } from './auth.hook.js';
import { buildTestApp, PREFIX } from './test-app.js';
import { API_KEY, DISABLED_ORG_ID, DISABLED_ORG_KEY, ORG_ID } from './test-ports.js';

const UNAUTHORIZED = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status: '401',
  detail: 'Invalid or missing SCIM API key.',
};

describe('SCIM authentication', () => {
  it('accepts "Bearer <key>" in any case and the bare key', async () => {
    const { app } = await buildTestApp();
    for (const authorization of [`Bearer ${API_KEY}`, `bearer ${API_KEY}`, `BEARER   ${API_KEY}`, API_KEY]) {
      const res = await app.inject({ url: `${PREFIX}/${ORG_ID}/Users`, headers: { authorization } });
      expect(res.statusCode, authorization).toBe(200);
    }
  });

  it('answers every failure with the same 401 SCIM error and WWW-Authenticate', async () => {
    const { app, ports } = await buildTestApp();
    const cases: [string, Record<string, string>][] = [
      ['wrong key', { authorization: 'Bearer nope' }],
      ['unknown organization', { authorization: `Bearer ${API_KEY}` }],
      ['disabled SCIM', { authorization: `Bearer ${DISABLED_ORG_KEY}` }],
      ['malformed organization id', { authorization: `Bearer ${API_KEY}` }],
      ['no header', {}],
      ['empty bearer', { authorization: 'Bearer ' }],
    ];
    const urls: Record<string, string> = {
      'unknown organization': `${PREFIX}/9b2e4f7a-1111-4222-8333-444455556666/Users`,
      'disabled SCIM': `${PREFIX}/${DISABLED_ORG_ID}/Users`,
      'malformed organization id': `${PREFIX}/not-a-uuid/Users`,
    };
    const bodies = new Set<string>();
    for (const [name, headers] of cases) {
      const res = await app.inject({ url: urls[name] ?? `${PREFIX}/${ORG_ID}/Users`, headers });
      expect(res.statusCode, name).toBe(401);
      expect(res.headers['www-authenticate'], name).toBe('Bearer');
      expect(res.headers['content-type'], name).toBe(SCIM_CONTENT_TYPE);
      expect(res.json(), name).toEqual(UNAUTHORIZED);
      bodies.add(res.body);
    }
    expect(bodies.size).toBe(1);
    // Only well-formed ids with a key reach the authenticator.
    expect(ports.calls.authenticate.map((c) => c.organizationId)).not.toContain('not-a-uuid');
    expect(ports.calls.authenticate).toHaveLength(3);
  });

  it('protects writes and discovery too, before reading the body', async () => {
    const { app, ports } = await buildTestApp();
    const post = await app.inject({
      method: 'POST',
      url: `${PREFIX}/${ORG_ID}/Users`,
      headers: { 'content-type': 'application/scim+json' },
      payload: '{not json',
    });
    expect(post.statusCode).toBe(401);
    const discovery = await app.inject({ url: `${PREFIX}/${ORG_ID}/ServiceProviderConfig` });
    expect(discovery.statusCode).toBe(401);
    expect(ports.calls.writes).toHaveLength(0);
  });

  it('needs neither User-Agent nor Accept (Entra Test Connection sends neither)', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({
      url: `${PREFIX}/${ORG_ID}/Users?filter=userName+eq+%227d420df3-9995-4831-a406-ecf8166f5f6a%22`,
      headers: { authorization: `Bearer ${API_KEY}`, 'user-agent': undefined },
    });
    expect(res.statusCode).toBe(200);
  });

  it('builds the request context and reports it to onAuthenticated', async () => {
    const { app, ports } = await buildTestApp();
    await app.inject({
      url: `${PREFIX}/${ORG_ID.toUpperCase()}/Users`,
      headers: {
        authorization: `Bearer ${API_KEY}`,
        'user-agent': 'Okta SCIM Client 1.0.0',
        host: 'scim.example.test',
      },
    });
    const [call] = ports.calls.authenticated;
    expect(call?.userAgent).toBe('Okta SCIM Client 1.0.0');
    expect(call?.ctx).toMatchObject({
      organizationId: ORG_ID,
      baseUrl: `http://scim.example.test${PREFIX}/${ORG_ID}`,
      client: 'okta',
    });
    expect(call?.ctx.requestId).toEqual(expect.any(String));
  });

  it('detects Entra from its User-Agent, its header or the aadOptscim062020 flag', async () => {
    const { app, ports } = await buildTestApp();
    const auth = { authorization: `Bearer ${API_KEY}` };
    await app.inject({
      url: `${PREFIX}/${ORG_ID}/Users`,
      headers: { ...auth, 'user-agent': 'Azure AD SCIM client' },
    });
    await app.inject({ url: `${PREFIX}/${ORG_ID}/Users`, headers: { ...auth, adscimversion: '2.0' } });
    await app.inject({ url: `${PREFIX}/${ORG_ID}/Users?aadOptscim062020`, headers: auth });
    await app.inject({ url: `${PREFIX}/${ORG_ID}/Users`, headers: { ...auth, 'user-agent': 'curl/8' } });
    expect(ports.calls.authenticated.map((c) => c.ctx.client)).toEqual([
      'entra',
      'entra',
      'entra',
      'unknown',
    ]);
  });

  it('keeps a failing onAuthenticated from failing the request', async () => {
    const { app, ports } = await buildTestApp();
    ports.onAuthenticated = () => {
      throw new Error('bookkeeping down');
    };
    const res = await app.inject({ url: `${PREFIX}/${ORG_ID}/Users`, headers: { authorization: API_KEY } });
    expect(res.statusCode).toBe(200);
  });
});

describe('apiKeyOf', () => {
  it('strips a Bearer prefix and nothing else', () => {
    expect(apiKeyOf('Bearer abc')).toBe('abc');
    expect(apiKeyOf('abc')).toBe('abc');
    expect(apiKeyOf('Bearerabc')).toBe('Bearerabc');
    expect(apiKeyOf('Bearer')).toBeUndefined();
    expect(apiKeyOf('  ')).toBeUndefined();
    expect(apiKeyOf(undefined)).toBeUndefined();
  });
});
