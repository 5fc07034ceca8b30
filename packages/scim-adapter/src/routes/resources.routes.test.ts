import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import { buildTestApp } from './test-app.js';
import { createTestPorts, ORG_ID } from './test-ports.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UNKNOWN_ID = '3d8b1f6e-0c4a-4b9e-8f2d-7a6c5b4e3d21';

async function withUser() {
  const ports = createTestPorts();
  const id = ports.seedUser({ userName: 'ada@example.com', displayName: 'Ada', active: true });
  return { ...(await buildTestApp(ports)), id };
}

describe('GET /{type}/{id}', () => {
  it('returns the resource with a weak ETag', async () => {
    const { scim, id } = await withUser();
    const res = await scim('GET', `/Users/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.json()).toMatchObject({ id, userName: 'ada@example.com', meta: { version: 'W/"1"' } });
  });

  it('answers unknown and malformed ids with the same 404, without asking the store for garbage', async () => {
    const { scim, ports } = await withUser();
    const unknown = await scim('GET', `/Users/${UNKNOWN_ID}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: `Resource ${UNKNOWN_ID} not found.`,
    });
    const malformed = await scim('GET', '/Groups/abc');
    expect(malformed.statusCode).toBe(404);
    expect(malformed.json().detail).toBe('Resource abc not found.');
    expect(ports.calls.gets.map((g) => g.id)).toEqual([UNKNOWN_ID]);
  });

  it('answers If-None-Match with the current version with 304 and no body', async () => {
    const { scim, id } = await withUser();
    const notModified = await scim('GET', `/Users/${id}`, undefined, { 'if-none-match': 'W/"1"' });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe('W/"1"');
    const changed = await scim('GET', `/Users/${id}`, undefined, { 'if-none-match': 'W/"0", "7"' });
    expect(changed.statusCode).toBe(200);
  });

  it('applies attributes and excludedAttributes; excludedAttributes=members skips loading members', async () => {
    const ports = createTestPorts();
    const userId = ports.seedUser({ userName: 'ada@example.com' });
    const groupId = ports.seedGroup('Engineering', [userId]);
    const { scim } = await buildTestApp(ports);

    const group = (await scim('GET', `/Groups/${groupId}?excludedAttributes=members`)).json();
    expect(group).not.toHaveProperty('members');
    expect(ports.calls.gets.at(-1)).toEqual({ type: 'Group', id: groupId, includeMembers: false });

    const user = (await scim('GET', `/Users/${userId}?attributes=userName`)).json();
    expect(Object.keys(user).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
  });
});

describe('POST', () => {
  it('validates, queues the normalized body, and answers 201 + Location + the stored resource', async () => {
    const { scim, ports } = await buildTestApp();
    const res = await scim('POST', '/Users', {
      schemas: [CORE],
      userName: 'Grace@Example.com',
      active: 'True', // Entra's string boolean
      meta: { resourceType: 'User' }, // read-only, dropped
      roles: [],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`http://localhost:80/scim/v2/${ORG_ID}/Users/${body.id}`);
    expect(res.headers.etag).toBe('W/"1"');
    expect(body).toMatchObject({ userName: 'Grace@Example.com', active: true });

    const [write] = ports.calls.writes;
    expect(write).toMatchObject({ resource: 'User', method: 'POST', targetVersion: null });
    expect(write?.body).toMatchObject({ userName: 'Grace@Example.com', active: true });
    expect(write?.body).not.toHaveProperty('meta');
  });

  it('answers with the resource the writer committed, when it returns one, without reading it back', async () => {
    const ports = createTestPorts();
    const write = ports.writer.write.bind(ports.writer);
    const committed = { schemas: [CORE], id: 'as-committed', userName: 'grace', groups: [] };
    ports.writer = {
      async write(ctx, req) {
        const result = await write(ctx, req);
        return result.kind === 'ok' ? { ...result, stored: { resource: committed, version: 7 } } : result;
      },
    };
    const { scim } = await buildTestApp(ports);
    const res = await scim('POST', '/Users?excludedAttributes=groups', {
      schemas: [CORE],
      userName: 'grace',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('W/"7"');
    expect(res.json()).toEqual({ schemas: [CORE], id: 'as-committed', userName: 'grace' });
    expect(ports.calls.gets).toEqual([]);
  });

  it('rejects invalid input with 400 before anything is queued', async () => {
    const { scim, ports } = await buildTestApp();
    const noUserName = await scim('POST', '/Users', { schemas: [CORE], displayName: 'nobody' });
    expect(noUserName.statusCode).toBe(400);
    expect(noUserName.json()).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect((await scim('POST', '/Groups', { members: [] })).statusCode).toBe(400);
    expect((await scim('POST', '/Users')).statusCode).toBe(400); // no body at all
    expect(ports.calls.writes).toHaveLength(0);
  });

  it("passes the writer's errors through: 409 uniqueness, 503 + Retry-After", async () => {
    const { scim, ports } = await withUser();
    const duplicate = await scim('POST', '/Users', { userName: 'ADA@example.com' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({
      status: '409',
      scimType: 'uniqueness',
      detail: expect.any(String),
    });

    ports.failNextWrite(
      new ScimError(503, 'The provisioning queue did not answer in time.', undefined, { 'Retry-After': '5' }),
    );
    const busy = await scim('POST', '/Users', { userName: 'new@example.com' });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('5');
    expect(busy.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '503',
      detail: 'The provisioning queue did not answer in time.',
    });
  });

  it('creates a group with members and returns them', async () => {
    const ports = createTestPorts();
    const userId = ports.seedUser({ userName: 'ada@example.com', displayName: 'Ada' });
    const { scim } = await buildTestApp(ports);
    const res = await scim('POST', '/Groups', { displayName: 'Eng', members: [{ value: userId }] });
    expect(res.statusCode).toBe(201);
    expect(res.json().members).toEqual([{ value: userId, display: 'Ada' }]);
    expect(ports.calls.writes[0]?.body).toEqual({ displayName: 'Eng', members: [{ value: userId }] });
  });
});

describe('PUT, PATCH, DELETE', () => {
  it('PUT answers 200 with the resource and tells the writer the version it replaces', async () => {
    const { scim, ports, id } = await withUser();
    const res = await scim('PUT', `/Users/${id}`, {
      schemas: [CORE],
      userName: 'ada@example.com',
      displayName: 'Ada L.',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.json()).toMatchObject({ id, displayName: 'Ada L.' });
    expect(ports.calls.writes[0]).toMatchObject({ method: 'PUT', id, targetVersion: 1 });
  });

  it("PATCH /Users answers 200 with the resource (Entra's legacy dialect)", async () => {
    const { scim, ports, id } = await withUser();
    const res = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, active: false });
    // The queued message is canonical: lower-case op.
    expect(ports.calls.writes[0]?.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'active', value: 'False' }],
    });
  });

  it('PATCH /Users rejects an unknown path before queueing', async () => {
    const { scim, ports, id } = await withUser();
    const res = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'shoeSize', value: 9 }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ scimType: 'invalidPath' });
    const empty = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [] });
    expect(empty.statusCode).toBe(400);
    expect(ports.calls.writes).toHaveLength(0);
  });

  it('PATCH /Groups answers 204, or 200 with a body when attributes are asked for', async () => {
    const ports = createTestPorts();
    const [a, b] = [
      ports.seedUser({ userName: 'a@example.com' }),
      ports.seedUser({ userName: 'b@example.com' }),
    ];
    const groupId = ports.seedGroup('Eng');
    const { scim } = await buildTestApp(ports);

    const add = await scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: a }, { value: b }] }],
    });
    expect(add.statusCode).toBe(204);
    expect(add.body).toBe('');
    expect(ports.groupRows.get(groupId)?.members).toEqual([a, b]);

    const remove = await scim('PATCH', `/Groups/${groupId}?attributes=members`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${a}"]` }],
    });
    expect(remove.statusCode).toBe(200);
    expect(remove.json().members).toEqual([{ value: b }]);

    const bad = await scim('PATCH', `/Groups/${groupId}`, {
      Operations: [{ op: 'remove', path: 'displayName' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ scimType: 'mutability' });
  });

  it('DELETE answers 204, then the resource is gone', async () => {
    const { scim, id } = await withUser();
    const res = await scim('DELETE', `/Users/${id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await scim('GET', `/Users/${id}`)).statusCode).toBe(404);
  });

  it('answers 404 for an unknown or malformed id without writing', async () => {
    const { scim, ports } = await withUser();
    expect((await scim('DELETE', `/Users/${UNKNOWN_ID}`)).statusCode).toBe(404);
    expect((await scim('PUT', '/Users/nope', { userName: 'x@example.com' })).json()).toMatchObject({
      status: '404',
      detail: 'Resource nope not found.',
    });
    expect(
      (
        await scim('PATCH', `/Groups/${UNKNOWN_ID}`, {
          Operations: [{ op: 'add', path: 'members', value: [] }],
        })
      ).statusCode,
    ).toBe(404);
    expect(ports.calls.writes).toHaveLength(0);
  });

  it('checks If-Match: a mismatch is 412 before writing, a match is passed on', async () => {
    const { scim, ports, id } = await withUser();
    const body = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'A' }] };

    const stale = await scim('PATCH', `/Users/${id}`, body, { 'if-match': 'W/"7"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '412',
      detail: expect.stringContaining('W/"1"'),
    });
    expect(ports.calls.writes).toHaveLength(0);

    expect((await scim('PATCH', `/Users/${id}`, body, { 'if-match': 'W/"1"' })).statusCode).toBe(200);
    expect(ports.calls.writes.at(-1)).toMatchObject({ ifMatch: 1, targetVersion: 1 });
    expect((await scim('PATCH', `/Users/${id}`, body, { 'if-match': '"2"' })).statusCode).toBe(200);
    expect((await scim('DELETE', `/Users/${id}`, undefined, { 'if-match': '*' })).statusCode).toBe(204);
    expect(ports.calls.writes.at(-1)?.ifMatch).toBeUndefined();
  });
});
