import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import { MAX_JSON_DEPTH, parseJsonBody, SCIM_CONTENT_TYPE } from './content-type.js';
import { BASE, buildTestApp } from './test-app.js';
import { API_KEY } from './test-ports.js';

const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com' };
const auth = { authorization: `Bearer ${API_KEY}` };

describe('request media types', () => {
  it('accepts application/scim+json and application/json, with or without charset', async () => {
    const { app } = await buildTestApp();
    const types = [
      'application/scim+json',
      'application/scim+json; charset=utf-8',
      'application/json',
      'application/json; charset=UTF-8',
    ];
    for (const [i, type] of types.entries()) {
      const res = await app.inject({
        method: 'POST',
        url: `${BASE}/Users`,
        headers: { ...auth, 'content-type': type },
        payload: JSON.stringify({ ...user, userName: `user${i}@example.com` }),
      });
      expect(res.statusCode, type).toBe(201);
      expect(res.headers['content-type']).toBe(SCIM_CONTENT_TYPE);
    }
  });

  it('reads a body without Content-Type as JSON', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({
      method: 'POST',
      url: `${BASE}/Users`,
      headers: auth,
      payload: JSON.stringify(user),
    });
    expect(res.statusCode).toBe(201);
  });

  it('answers other media types with 415 as a SCIM error', async () => {
    const { app, ports } = await buildTestApp();
    const res = await app.inject({
      method: 'POST',
      url: `${BASE}/Users`,
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: JSON.stringify(user),
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toBe(SCIM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '415',
    });
    expect(ports.calls.writes).toHaveLength(0);
  });

  it('answers malformed JSON with 400 invalidSyntax (Postman "Post junk")', async () => {
    const { scim, ports } = await buildTestApp();
    const res = await scim(
      'POST',
      '/Users',
      '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "acve": tre,',
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(SCIM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect(ports.calls.writes).toHaveLength(0);
  });

  it('refuses __proto__ keys', async () => {
    const { scim } = await buildTestApp();
    const res = await scim('POST', '/Users', '{"userName":"a","__proto__":{"admin":true}}');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ scimType: 'invalidSyntax' });
  });

  it('refuses nesting deeper than MAX_JSON_DEPTH before parsing, counting brackets in strings as text', async () => {
    const { scim, ports } = await buildTestApp();
    const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const patch = (value: string) =>
      `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"title","value":${value}}]}`;
    const created = await scim('POST', '/Users', user);
    const id = created.json<{ id: string }>().id;

    // 1,500 levels fit in the 4 KB test body limit; 2,000 used to exhaust the api's validators' stack (a 500).
    const tooDeep = await scim('PATCH', `/Users/${id}`, patch(nested(1_500)));
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json()).toMatchObject({
      scimType: 'invalidSyntax',
      detail: `The request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels`,
    });
    // The PATCH document itself is 3 levels deep; one level past the limit is refused, the limit is not.
    const atLimit = await scim('PATCH', `/Users/${id}`, patch(nested(MAX_JSON_DEPTH - 3)));
    expect(atLimit.json()).toMatchObject({ scimType: 'invalidValue' });
    const overLimit = await scim('PATCH', `/Users/${id}`, patch(nested(MAX_JSON_DEPTH - 2)));
    expect(overLimit.json()).toMatchObject({ scimType: 'invalidSyntax' });
    // Brackets and escaped quotes inside strings are text, not nesting.
    const inString = await scim('PATCH', `/Users/${id}`, patch(`"${'{'.repeat(200)}\\"${'['.repeat(200)}"`));
    expect(inString.statusCode).toBeLessThan(300);
    // Only the two parsed bodies reached the writer (which refused the array for `title`).
    expect(ports.calls.writes.filter((w) => w.method === 'PATCH')).toHaveLength(2);
  });

  it('answers a body over maxPayloadBytes with 413 as a SCIM error', async () => {
    const { scim, ports } = await buildTestApp();
    const res = await scim('POST', '/Users', {
      ...user,
      displayName: 'x'.repeat(ports.limits.maxPayloadBytes),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toBe(SCIM_CONTENT_TYPE);
    expect(res.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '413',
      detail: `The request body exceeds the maximum payload size of ${ports.limits.maxPayloadBytes} bytes.`,
    });
    expect(ports.calls.writes).toHaveLength(0);
  });

  it('leaves the host outside the prefix alone', async () => {
    const { app } = await buildTestApp();
    const res = await app.inject({
      method: 'POST',
      url: '/outside',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: 'hi' });
    expect(res.headers['content-type']).toContain('application/json');
  });
});

describe('SCIM errors for unknown URLs and methods', () => {
  it('answers unknown endpoints with a SCIM 404', async () => {
    const { scim, app } = await buildTestApp();
    for (const res of [
      await scim('GET', '/Foo'),
      await scim('GET', '/serviceConfiguration'), // Postman #5: a documented conformance failure, no alias
      await scim('GET', '/Users/a/b'),
      await app.inject({ url: '/scim/v2/' }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe(SCIM_CONTENT_TYPE);
      expect(res.json()).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '404',
      });
    }
  });

  it('answers an unsupported method with a SCIM 405 and Allow', async () => {
    const { scim } = await buildTestApp();
    const res = await scim('DELETE', '/Users');
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.headers['content-type']).toBe(SCIM_CONTENT_TYPE);
    expect(res.json()).toMatchObject({ status: '405' });
    expect((await scim('PUT', '/ServiceProviderConfig', {})).statusCode).toBe(405);
    expect((await scim('GET', '/Users/.search')).statusCode).toBe(405);
  });

  it('answers unexpected failures with a 500 that leaks nothing', async () => {
    const { scim, ports } = await buildTestApp();
    ports.users.list = () => Promise.reject(new Error('connection to db.internal:5432 refused'));
    const res = await scim('GET', '/Users');
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe(SCIM_CONTENT_TYPE);
    expect(res.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '500',
      detail: 'Internal error',
    });
  });
});

describe('parseJsonBody', () => {
  const refused = (text: string) => {
    try {
      parseJsonBody(text);
    } catch (e) {
      return e instanceof ScimError ? `${e.status} ${e.scimType}: ${e.detail}` : String(e);
    }
    return 'parsed';
  };
  const unstorable =
    '400 invalidSyntax: The request body contains a string with a NUL character or a lone surrogate escape';

  it('refuses NUL and lone surrogates, escaped or not, in values and in keys', () => {
    expect(refused('{"userName":"a\\u0000b"}')).toBe(unstorable);
    expect(refused('{"userName":"\\ud800"}')).toBe(unstorable);
    expect(refused('{"a\\u0000":"b"}')).toBe(unstorable);
    expect(refused('{"userName":"\ud800x"}')).toBe(unstorable); // a raw lone surrogate, no backslash
    expect(refused('{"\udc00":"x"}')).toBe(unstorable);
    expect(refused('{"userName":"a\u0000b"}')).toMatch(/^400 invalidSyntax: The request body/);
  });

  it('refuses __proto__ keys, written plainly or escaped', () => {
    expect(refused('{"__proto__":{"admin":true}}')).toBe(
      "400 invalidSyntax: The key '__proto__' is not allowed",
    );
    expect(refused('{"\\u005f_proto__":{"admin":true}}')).toBe(
      "400 invalidSyntax: The key '__proto__' is not allowed",
    );
  });

  it('parses bodies with and without escapes as JSON.parse does; a pair of surrogates is text', () => {
    for (const text of [
      JSON.stringify(user),
      '{"displayName":"Ada \\"the\\" Countess\\n\\u00e9","emails":[{"value":"a@b.c"}]}',
      '{"displayName":"\\ud83d\\ude00 \ud83d\ude00","note":"__proto__ as a value"}',
    ]) {
      expect(parseJsonBody(text)).toEqual(JSON.parse(text));
    }
  });
});
