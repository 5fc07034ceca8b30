import { describe, expect, it } from 'vitest';
import { buildTestApp, type BulkBody } from './test-app.js';
import { createTestPorts, ORG_ID } from './test-ports.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({
  schemas: [BULK_REQUEST],
  Operations,
  ...extra,
});
const postUser = (bulkId: string, userName: string) => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: { userName },
});

describe('POST /Bulk', () => {
  it('creates resources and resolves bulkId references in paths and data', async () => {
    const { scim, ports } = await buildTestApp();
    const res = await scim(
      'POST',
      '/Bulk',
      bulk([
        postUser('u1', 'ada@example.com'),
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: { displayName: 'Eng', members: [{ value: 'bulkId:u1' }] },
        },
        {
          method: 'PATCH',
          path: '/Users/bulkId:u1',
          data: {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [{ op: 'replace', path: 'displayName', value: 'Ada' }],
          },
        },
      ]),
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.schemas).toEqual([BULK_RESPONSE]);
    const [user, group, patch] = body.Operations;
    const userId = [...ports.userRows.keys()][0];
    const groupId = [...ports.groupRows.keys()][0]!;
    expect(user).toEqual({
      method: 'POST',
      bulkId: 'u1',
      location: `http://localhost:80/scim/v2/${ORG_ID}/Users/${userId}`,
      version: 'W/"1"',
      status: '201',
    });
    expect(group).toMatchObject({ bulkId: 'g1', status: '201' });
    expect(patch).toMatchObject({ method: 'PATCH', status: '200', version: 'W/"2"' });
    expect(ports.groupRows.get(groupId)?.members).toEqual([userId]);
  });

  it('runs an operation after the POST whose bulkId it references, even when it comes first', async () => {
    const { scim, ports } = await buildTestApp();
    const res = await scim(
      'POST',
      '/Bulk',
      bulk([
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: { displayName: 'Eng', members: [{ value: 'bulkId:u1' }] },
        },
        postUser('u1', 'ada@example.com'),
      ]),
    );
    const statuses = res.json<BulkBody>().Operations.map((op) => [op.bulkId, op.status]);
    expect(statuses).toEqual([
      ['g1', '201'],
      ['u1', '201'],
    ]); // response in request order
    expect([...ports.groupRows.values()][0]?.members).toEqual([...ports.userRows.keys()]);
  });

  it('fails an operation whose reference cannot be resolved with 409 invalidValue', async () => {
    const { scim, ports } = await buildTestApp(createTestPorts({ maxBulkOperations: 10 }));
    const res = await scim(
      'POST',
      '/Bulk',
      bulk([
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: { displayName: 'Eng', members: [{ value: 'bulkId:nobody' }] },
        },
        postUser('bad', ''), // fails validation, so references to it fail too
        { method: 'DELETE', path: '/Users/bulkId:bad' },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'c1',
          data: { displayName: 'A', members: [{ value: 'bulkId:c2' }] },
        },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'c2',
          data: { displayName: 'B', members: [{ value: 'bulkId:c1' }] },
        },
      ]),
    );
    const ops = res.json<BulkBody>().Operations;
    expect(ops[0]).toMatchObject({
      status: '409',
      response: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '409',
        scimType: 'invalidValue',
      },
    });
    expect(ops[1]).toMatchObject({ bulkId: 'bad', status: '400', response: { scimType: 'invalidValue' } });
    expect(ops[2]).toMatchObject({ method: 'DELETE', status: '409' });
    // A cycle: both fail, nothing is written.
    expect(ops.slice(3).map((op) => op.status)).toEqual(['409', '409']);
    expect(ports.calls.writes).toHaveLength(0);
  });

  it('stops after failOnErrors errors and reports only what ran', async () => {
    const { scim, ports } = await buildTestApp();
    const res = await scim(
      'POST',
      '/Bulk',
      bulk(
        [
          postUser('a', 'a@example.com'),
          postUser('b', 'A@example.com'),
          { method: 'GET', path: '/Users' },
          postUser('c', 'c@example.com'),
        ],
        {
          failOnErrors: 2,
        },
      ),
    );
    const ops = res.json<BulkBody>().Operations;
    expect(ops.map((op) => op.status)).toEqual(['201', '409', '400']);
    expect(ports.userRows.size).toBe(1);
  });

  it('keeps going after a malformed operation without failOnErrors', async () => {
    const { scim } = await buildTestApp();
    const res = await scim(
      'POST',
      '/Bulk',
      bulk([{ method: 'POST', path: '/Devices', bulkId: 'x', data: {} }, postUser('u', 'u@example.com')]),
    );
    expect(res.json<BulkBody>().Operations.map((op) => op.status)).toEqual(['400', '201']);
  });

  it('answers more than maxOperations with 413, and a malformed request with 400', async () => {
    const { scim, ports } = await buildTestApp(createTestPorts({ maxBulkOperations: 2 }));
    const tooMany = await scim(
      'POST',
      '/Bulk',
      bulk([postUser('a', 'a@x.io'), postUser('b', 'b@x.io'), postUser('c', 'c@x.io')]),
    );
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json()).toMatchObject({ status: '413', detail: expect.stringContaining('maxOperations') });
    expect((await scim('POST', '/Bulk', { schemas: [BULK_REQUEST] })).json()).toMatchObject({
      status: '400',
      scimType: 'invalidSyntax',
    });
    expect((await scim('POST', '/Bulk', bulk([], { failOnErrors: 0 }))).json()).toMatchObject({
      scimType: 'invalidValue',
    });
    expect(ports.calls.writes).toHaveLength(0);
  });
});
