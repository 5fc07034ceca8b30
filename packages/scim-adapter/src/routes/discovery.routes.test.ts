import { describe, expect, it } from 'vitest';
import { buildTestApp } from './test-app.js';
import { ORG_ID } from './test-ports.js';

const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('discovery', () => {
  it('GET /ServiceProviderConfig tells the truth, with the bulk limits of the ports', async () => {
    const { scim, ports } = await buildTestApp();
    const res = await scim('GET', '/ServiceProviderConfig');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: {
        supported: true,
        maxOperations: ports.limits.maxBulkOperations,
        maxPayloadSize: ports.limits.maxPayloadBytes,
      },
      filter: { supported: true, maxResults: ports.limits.maxResults },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      meta: { location: `http://localhost:80/scim/v2/${ORG_ID}/ServiceProviderConfig` },
    });
  });

  it('GET /ResourceTypes is a ListResponse with User first', async () => {
    const { scim } = await buildTestApp();
    const res = (await scim('GET', '/ResourceTypes')).json();
    expect(res).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 2, itemsPerPage: 2, startIndex: 1 });
    expect(res.Resources[0]).toMatchObject({ endpoint: '/Users', schema: CORE_USER }); // Postman #4
    expect((await scim('GET', '/resourcetypes/group')).json()).toMatchObject({
      id: 'Group',
      endpoint: '/Groups',
    });
    expect((await scim('GET', '/ResourceTypes/Device')).statusCode).toBe(404);
  });

  it('GET /Schemas lists the core User, enterprise User and Group schemas', async () => {
    const { scim } = await buildTestApp();
    const res = await scim('GET', '/Schemas');
    expect(res.json()).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 3 });
    expect(res.body).toContain('User Account'); // Postman #6
    const user = await scim('GET', `/Schemas/${CORE_USER}`);
    expect(user.json()).toMatchObject({ id: CORE_USER, name: 'User' });
    expect((await scim('GET', '/Schemas/urn:example:nothing')).statusCode).toBe(404);
  });
});
