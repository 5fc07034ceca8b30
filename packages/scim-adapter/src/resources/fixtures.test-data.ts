// Request bodies copied from entra-client.md §1.2 and the reference Postman collection, for the tests.
export const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** entra-client.md §1.2 step 2: the documented create (note read-only meta and empty roles). */
export const entraCreate = {
  schemas: [CORE, ENT],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  active: true,
  emails: [
    { primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' },
  ],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
};

/** entra-client.md §1.2: default non-gallery mapping, fully populated. */
export const entraFullCreate = {
  schemas: [CORE, ENT],
  externalId: 'jyoung',
  userName: 'jyoung@contoso.com',
  active: true,
  displayName: 'Joy Young',
  title: 'Architect',
  preferredLanguage: 'en-US',
  emails: [{ primary: true, type: 'work', value: 'jyoung@contoso.com' }],
  phoneNumbers: [
    { type: 'work', value: '+1 425 555 0100' },
    { type: 'mobile', value: '+1 425 555 0101' },
  ],
  addresses: [
    {
      type: 'work',
      formatted: 'Building 1',
      streetAddress: '1 Microsoft Way',
      locality: 'Redmond',
      region: 'WA',
      postalCode: '98052',
      country: 'US',
      primary: true,
    },
  ],
  meta: { resourceType: 'User' },
  name: { formatted: 'Joy Young', familyName: 'Young', givenName: 'Joy' },
  roles: [],
  [ENT]: { employeeNumber: '701984', department: 'Design' },
};

/** Legacy Example 2 garbage: nulls and a typo'd extension URN. */
export const entraLegacyGarbage = {
  schemas: [CORE, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
  userName: 'legacy@contoso.com',
  active: true,
  addresses: null,
  phoneNumbers: null,
  manager: null,
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0User': { department: 'X' },
};

/** Postman "User tests with garbage": capital-P Primary, "active":"True". */
export const postmanGarbage = {
  userName: 'emp1',
  active: 'True',
  addresses: [{ type: 'work', country: 'USA', Primary: 'False' }],
  displayName: 'Employee One',
  emails: [{ Primary: 'True', type: 'work', value: 'emp1@example.com' }],
  meta: { resourceType: 'User' },
  name: { familyName: 'Employee', givenName: 'One' },
  phoneNumbers: [{ Primary: true, type: 'mobile', value: '123-555-0101' }],
  preferredLanguage: 'en-US',
  roles: [],
  title: 'Worker',
  externalId: '22fbc523-6032-4c5f-939d-5d4850cf3e52',
};

/** Postman #8: PascalCase inside the enterprise extension. */
export const postmanEnterprise = {
  userName: 'UserName222',
  active: true,
  displayName: 'BobIsAmazing',
  externalId: '${__Guid}',
  name: { formatted: 'Ryan Leenay', familyName: 'Leenay', givenName: 'Ryan' },
  emails: [{ Primary: true, type: 'work', value: 'testing@bob2.com' }],
  [ENT]: { Department: 'Tour Operations', Manager: { Value: 'OH5Bob' } },
};
