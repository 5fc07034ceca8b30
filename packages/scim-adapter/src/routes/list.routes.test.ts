import { describe, expect, it } from 'vitest';
import { buildTestApp, type ListBody } from './test-app.js';
import { createTestPorts } from './test-ports.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

async function withUsers(n: number) {
  const ports = createTestPorts();
  const ids = Array.from({ length: n }, (_, i) =>
    ports.seedUser({
      userName: `user${i}@example.com`,
      displayName: `User ${i}`,
      name: { givenName: `Given${i}`, familyName: `Family${i}` },
      emails: [{ value: `user${i}@example.com`, type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'R&D', employeeNumber: String(i) },
    }),
  );
  return { ...(await buildTestApp(ports)), ids };
}

describe('GET /Users', () => {
  it("answers Entra's Test Connection with 200 and an empty ListResponse", async () => {
    const { scim } = await buildTestApp();
    const res = await scim('GET', '/Users?filter=userName+eq+%227d420df3-9995-4831-a406-ecf8166f5f6a%22');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      schemas: [LIST_RESPONSE],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    });
  });

  it('routes /users (lower case, as the Postman collection sends it) and ignores ?aadOptscim062020', async () => {
    const { scim } = await withUsers(1);
    for (const path of [
      '/users',
      '/USERS?aadOptscim062020',
      '/Users/?filter=userName+eq+%22USER0@example.com%22',
    ]) {
      const res = await scim('GET', path);
      expect(res.statusCode, path).toBe(200);
      expect(res.json().totalResults, path).toBe(1);
    }
  });

  it('pages by startIndex and count; itemsPerPage is the number returned', async () => {
    const { scim, ports } = await withUsers(7);
    const first = (await scim('GET', '/Users')).json();
    expect(first).toMatchObject({ totalResults: 7, startIndex: 1, itemsPerPage: 3 }); // defaultCount 3
    const last = (await scim('GET', '/Users?startIndex=6&count=2')).json<ListBody>();
    expect(last).toMatchObject({ totalResults: 7, startIndex: 6, itemsPerPage: 2 });
    expect(last.Resources.map((r) => r.userName)).toEqual(['user5@example.com', 'user6@example.com']);
    const zero = (await scim('GET', '/Users?startIndex=0&count=2')).json();
    expect(zero.startIndex).toBe(1); // < 1 is read as 1
    expect(ports.calls.lists.at(-1)?.query).toMatchObject({
      startIndex: 1,
      count: 2,
      sortOrder: 'ascending',
    });
  });

  it('caps count at maxResults instead of failing, and reads a negative count as 0', async () => {
    const { scim, ports } = await withUsers(7);
    const capped = (await scim('GET', '/Users?count=1000')).json();
    expect(capped.itemsPerPage).toBe(ports.limits.maxResults);
    expect(ports.calls.lists.at(-1)?.query.count).toBe(ports.limits.maxResults);
    const negative = (await scim('GET', '/Users?count=-4')).json();
    expect(negative).toMatchObject({ totalResults: 7, itemsPerPage: 0, Resources: [] });
  });

  it('answers count=0 with the total only', async () => {
    const { scim } = await withUsers(4);
    const res = (await scim('GET', '/Users?count=0')).json();
    expect(res).toEqual({
      schemas: [LIST_RESPONSE],
      totalResults: 4,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    });
  });

  it('rejects bad parameters with the right scimType', async () => {
    const { scim } = await withUsers(1);
    const cases: [string, string][] = [
      ['/Users?filter=userName+eq', 'invalidFilter'],
      ['/Users?filter=userName%20xx%20%22a%22', 'invalidFilter'],
      ['/Users?count=ten', 'invalidValue'],
      ['/Users?startIndex=1.5', 'invalidValue'],
      ['/Users?sortBy=shoeSize', 'invalidValue'],
      ['/Users?sortOrder=sideways', 'invalidValue'],
      ['/Users?attributes=emails%5Btype+eq+%22work%22%5D', 'invalidValue'],
      ['/Users?cursor=&startIndex=1', 'invalidValue'],
    ];
    for (const [path, scimType] of cases) {
      const res = await scim('GET', path);
      expect(res.statusCode, path).toBe(400);
      expect(res.json(), path).toMatchObject({ status: '400', scimType });
    }
  });

  it('passes sortBy and sortOrder to the store', async () => {
    const { scim, ports } = await withUsers(3);
    const res = (await scim('GET', '/Users?sortBy=UserName&sortOrder=Descending')).json<ListBody>();
    expect(res.Resources.map((r) => r.userName)).toEqual([
      'user2@example.com',
      'user1@example.com',
      'user0@example.com',
    ]);
    expect(ports.calls.lists.at(-1)?.query).toMatchObject({
      sortBy: { attr: 'UserName' },
      sortOrder: 'descending',
    });
  });

  it('pages by cursor (RFC 9865): empty cursor = first page, nextCursor until the end', async () => {
    const { scim, ports } = await withUsers(5);
    const first = (await scim('GET', '/Users?cursor&count=3')).json();
    expect(ports.calls.lists.at(-1)?.query.cursor).toBe('');
    expect(first).toMatchObject({ totalResults: 5, itemsPerPage: 3, nextCursor: '3' });
    expect(first).not.toHaveProperty('startIndex');
    const second = (await scim('GET', `/Users?cursor=${first.nextCursor}&count=3`)).json();
    expect(second).toMatchObject({ itemsPerPage: 2 });
    expect(second).not.toHaveProperty('nextCursor');
  });

  it('applies attributes: id, schemas and meta always come back', async () => {
    const { scim } = await withUsers(1);
    const [userName] = (await scim('GET', '/Users?attributes=userName')).json().Resources;
    expect(Object.keys(userName).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
    // The extension is gone, so its URN leaves `schemas` too.
    expect(userName.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);

    const [sub] = (await scim('GET', '/Users?attributes=name.givenName,emails.value')).json().Resources;
    expect(sub.name).toEqual({ givenName: 'Given0' });
    expect(sub.emails).toEqual([{ value: 'user0@example.com' }]);

    const [urn] = (
      await scim(
        'GET',
        `/Users?attributes=${ENTERPRISE}:department,urn:ietf:params:scim:schemas:core:2.0:User:displayName`,
      )
    ).json().Resources;
    expect(urn[ENTERPRISE]).toEqual({ department: 'R&D' });
    expect(urn.displayName).toBe('User 0');
    expect(urn).not.toHaveProperty('userName');
  });

  it('applies excludedAttributes but never to always-returned attributes', async () => {
    const { scim } = await withUsers(1);
    const [user] = (
      await scim('GET', `/Users?excludedAttributes=emails,name.familyName,id,${ENTERPRISE}`)
    ).json().Resources;
    expect(user).not.toHaveProperty('emails');
    expect(user).not.toHaveProperty(ENTERPRISE);
    expect(user.name).toEqual({ givenName: 'Given0' });
    expect(user.id).toEqual(expect.any(String));
    expect(user.userName).toBe('user0@example.com');
  });
});

describe('GET /Groups', () => {
  it('does not ask the store for members with excludedAttributes=members (Entra group lookup)', async () => {
    const ports = createTestPorts();
    const userId = ports.seedUser({ userName: 'ada@example.com' });
    ports.seedGroup('Engineering', [userId]);
    const { scim } = await buildTestApp(ports);

    const res = await scim(
      'GET',
      '/Groups?excludedAttributes=members&filter=displayName+eq+%22Engineering%22',
    );
    expect(res.statusCode).toBe(200);
    expect(ports.calls.lists.at(-1)?.query.includeMembers).toBe(false);
    const [group] = res.json().Resources;
    expect(group).toMatchObject({ displayName: 'Engineering' });
    expect(group).not.toHaveProperty('members');

    await scim('GET', '/Groups?attributes=displayName');
    expect(ports.calls.lists.at(-1)?.query.includeMembers).toBe(false);
    const withMembers = (await scim('GET', '/Groups?attributes=members.value')).json();
    expect(ports.calls.lists.at(-1)?.query.includeMembers).toBe(true);
    expect(withMembers.Resources[0].members).toEqual([{ value: userId }]);
    await scim('GET', '/Groups');
    expect(ports.calls.lists.at(-1)?.query.includeMembers).toBe(true);
  });
});

describe('POST .search', () => {
  it('takes the list parameters from a SearchRequest body on /Users/.search', async () => {
    const { scim, ports } = await withUsers(4);
    const res = await scim('POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName eq "user2@example.com"',
      attributes: ['userName'],
      startIndex: 1,
      count: 10,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ totalResults: 1, itemsPerPage: 1 });
    expect(Object.keys(res.json().Resources[0]).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
    expect(ports.calls.lists.at(-1)?.query.count).toBe(ports.limits.maxResults);
  });

  it('rejects a body that is not a SearchRequest', async () => {
    const { scim } = await buildTestApp();
    expect((await scim('POST', '/Groups/.search', { schemas: ['urn:example:Other'] })).json()).toMatchObject({
      status: '400',
      scimType: 'invalidSyntax',
    });
    expect((await scim('POST', '/Groups/.search', [1])).statusCode).toBe(400);
  });

  it('searches Users then Groups from the root, paging across both', async () => {
    const ports = createTestPorts();
    for (const i of [0, 1, 2]) ports.seedUser({ userName: `u${i}@example.com` });
    for (const name of ['G0', 'G1']) ports.seedGroup(name);
    const { scim } = await buildTestApp(ports);

    const all = (await scim('POST', '/.search', { startIndex: 3, count: 2 })).json<ListBody>();
    expect(all).toMatchObject({ totalResults: 5, startIndex: 3, itemsPerPage: 2 });
    expect(all.Resources.map((r) => r.userName ?? r.displayName)).toEqual(['u2@example.com', 'G0']);

    // userName is no Group attribute: for Groups the filter is false, so the group store isn't asked.
    const before = ports.calls.lists.length;
    const byName = (await scim('POST', '/.search', { filter: 'userName eq "u1@example.com"' })).json();
    expect(byName).toMatchObject({ totalResults: 1 });
    expect(ports.calls.lists.slice(before).map((c) => c.type)).toEqual(['User']);

    expect((await scim('POST', '/.search', { cursor: '' })).statusCode).toBe(400);
  });
});
