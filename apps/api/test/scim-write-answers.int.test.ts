// A SCIM write's answer is the resource as committed. For a User the worker returns it with the
// job's outcome (one a POST created, or one a PATCH or PUT changed, groups included) and the api
// renders it without reading the row back; these tests hold that answer to what a read afterwards
// returns, and keep the read back where the worker can't know all (a member the POST linked).
import { createGroup, plainTransaction, provisionMember, type ServiceContext } from '@repo/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scimClient } from './helpers/scim-client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

// Both databases: the row lock's groups column has a PostgreSQL and a SQLite form (`pnpm start`).
describe.each(['postgresql', 'sqlite'] as const)('the answer to a SCIM write on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ kind });
  });
  afterAll(async () => {
    await t.close();
  });

  it('POST /Users answers with exactly what GET returns afterwards (attributes, meta, groups, ETag)', async () => {
    const org = await t.organization('Answers');
    const scim = scimClient(org.scimUrl, org.scimKey);
    const created = await scim.post('/Users', {
      schemas: [CORE, ENTERPRISE],
      userName: 'ANSWER@contoso.com',
      externalId: 'ext-answer',
      active: false,
      name: { givenName: 'An', familyName: 'Swer' },
      emails: [{ primary: true, type: 'work', value: 'answer@contoso.com' }],
      [ENTERPRISE]: { department: 'Design', employeeNumber: '42' },
    });
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;

    const read = await scim.get(`/Users/${id}`);
    expect(read.status).toBe(200);
    expect(created.body).toEqual(read.body);
    expect(created.body).toMatchObject({ active: false, groups: [], meta: { version: 'W/"1"' } });
    expect(created.headers.get('etag')).toBe(read.headers.get('etag'));

    // Projection applies to the committed answer as it does to a read.
    const projected = await scim.post('/Users?attributes=userName', {
      schemas: [CORE],
      userName: 'projected@contoso.com',
    });
    expect(projected.status).toBe(201);
    expect(projected.body).not.toHaveProperty('groups');
    const projectedId = projected.body!['id'] as string;
    expect(projected.body).toEqual((await scim.get(`/Users/${projectedId}?attributes=userName`)).body);
  });

  it('a POST that links a member invited by hand answers with the groups it already had', async () => {
    const org = await t.organization('Linked answers');
    const admin = (em: ServiceContext['em']): ServiceContext => ({
      em,
      organizationId: org.id,
      actor: 'admin',
    });
    const manual = await plainTransaction(t.orm.em, (em) =>
      provisionMember(
        admin(em),
        {
          userName: 'carol@contoso.com',
          externalId: null,
          active: true,
          displayName: 'Carol',
          givenName: null,
          familyName: null,
          emails: [{ value: 'carol@contoso.com', primary: true }],
          managerId: null,
          document: { userName: 'carol@contoso.com' },
        },
        { invitations: { publicUrl: 'http://localhost:3000' } },
      ),
    );
    const group = await plainTransaction(t.orm.em, (em) =>
      createGroup(admin(em), { displayName: 'Finance', externalId: null, document: {} }, [manual.id]),
    );

    const scim = scimClient(org.scimUrl, org.scimKey);
    const linked = await scim.post('/Users', {
      schemas: [CORE],
      userName: 'carol@contoso.com',
      externalId: 'ext-carol',
      emails: [{ primary: true, value: 'carol@contoso.com' }],
    });
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({
      id: manual.id,
      externalId: 'ext-carol',
      groups: [{ value: group.id, display: 'Finance', type: 'direct' }],
    });
    expect(linked.body).toEqual((await scim.get(`/Users/${manual.id}`)).body);

    // PATCH and PUT answer with the committed User, groups included, as a read returns it.
    const patched = await scim.patch(`/Users/${manual.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Carol C.' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      displayName: 'Carol C.',
      groups: [{ value: group.id, display: 'Finance' }],
      meta: { version: 'W/"3"' },
    });
    expect(patched.body).toEqual((await scim.get(`/Users/${manual.id}`)).body);

    const replaced = await scim.put(`/Users/${manual.id}`, {
      schemas: [CORE],
      userName: 'carol@contoso.com',
      externalId: 'ext-carol',
      active: false,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ active: false, groups: [{ value: group.id }] });
    expect(replaced.body).not.toHaveProperty('displayName');
    expect(replaced.body).toEqual((await scim.get(`/Users/${manual.id}`)).body);
  });
});
