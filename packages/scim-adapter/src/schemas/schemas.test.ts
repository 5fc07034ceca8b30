import { describe, expect, it } from 'vitest';
import { scimTypeThrown } from '../patch/test-helpers.js';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  USER_SCHEMA,
  managerAttribute,
  normalizeAttribute,
  resolveAttribute,
  resourceTypes,
  schemaDocument,
  schemaDocuments,
  serviceProviderConfig,
  coreUserSchema,
  findAttribute,
} from './index.js';

const BASE = 'https://scim.example.test/scim/v2/';

function hasNullish(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.some(hasNullish);
  if (typeof value === 'object') return Object.values(value).some(hasNullish);
  return false;
}

describe('schemaDocuments', () => {
  const docs = schemaDocuments(BASE);

  it('serves User, EnterpriseUser and Group with meta built from the base URL', () => {
    expect(docs.map((d) => d.id)).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA]);
    expect(docs[0]!.meta).toEqual({
      resourceType: 'Schema',
      location: `https://scim.example.test/scim/v2/Schemas/${USER_SCHEMA}`,
    });
    expect(docs[0]!.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
  });

  it('contains no null values (Entra rejects them) and says "User Account"', () => {
    expect(hasNullish(docs)).toBe(false);
    expect(JSON.stringify(docs)).toContain('User Account');
  });

  it('describes characteristics per RFC 7643', () => {
    const attrs = docs[0]!.attributes as Record<string, unknown>[];
    const byName = (n: string) => attrs.find((a) => a.name === n)!;
    expect(byName('userName')).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
    expect(byName('password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(byName('groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
    expect(byName('emails').subAttributes).toContainEqual(
      expect.objectContaining({ name: 'type', canonicalValues: ['work', 'home', 'other'] }),
    );
    expect(byName('x509Certificates').subAttributes).toContainEqual(
      expect.objectContaining({ name: 'value', type: 'binary' }),
    );
    const core = new Set(attrs.map((a) => a.name));
    for (const name of [
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
    ]) {
      expect(core.has(name)).toBe(true);
    }
    for (const name of [
      'locale',
      'timezone',
      'active',
      'phoneNumbers',
      'ims',
      'photos',
      'addresses',
      'entitlements',
      'roles',
    ]) {
      expect(core.has(name)).toBe(true);
    }
    const manager = (docs[1]!.attributes as Record<string, unknown>[]).find((a) => a.name === 'manager');
    expect(manager?.subAttributes).toContainEqual(
      expect.objectContaining({ name: '$ref', referenceTypes: ['User'] }),
    );
    const members = (docs[2]!.attributes as Record<string, unknown>[]).find((a) => a.name === 'members');
    expect((members?.subAttributes as { name: string }[]).map((s) => s.name)).toEqual([
      'value',
      '$ref',
      'display',
      'type',
    ]);
  });

  it('finds one schema by id, case-insensitively', () => {
    expect(schemaDocument(BASE, ENTERPRISE_USER_SCHEMA.toUpperCase())?.id).toBe(ENTERPRISE_USER_SCHEMA);
    expect(schemaDocument(BASE, 'urn:nope')).toBeUndefined();
  });
});

describe('resourceTypes', () => {
  it('lists User (with the enterprise extension) first, then Group', () => {
    const [user, group] = resourceTypes('https://h/scim');
    expect(user).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: 'https://h/scim/ResourceTypes/User' },
    });
    expect(group).toMatchObject({ id: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA });
    expect(group).not.toHaveProperty('schemaExtensions');
  });
});

describe('serviceProviderConfig', () => {
  const opts = {
    baseUrl: 'https://h/scim/',
    maxOperations: 0,
    maxPayloadSize: 1_048_576,
    maxResults: 200,
    etag: true,
    sort: false,
    bulk: false,
    changePassword: false,
    filter: true,
  } as const;

  it('reports exactly the given capabilities', () => {
    expect(serviceProviderConfig(opts)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 1_048_576 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
      meta: { resourceType: 'ServiceProviderConfig', location: 'https://h/scim/ServiceProviderConfig' },
    });
  });

  it('includes documentationUri only when given', () => {
    expect(serviceProviderConfig({ ...opts, documentationUri: 'https://docs' }).documentationUri).toBe(
      'https://docs',
    );
  });
});

describe('resolveAttribute', () => {
  const cases: [
    string,
    'User' | 'Group',
    { uri?: string; attr: string; sub?: string },
    string | undefined,
  ][] = [
    ['plain', 'User', { attr: 'userName' }, `${USER_SCHEMA}:userName`],
    ['any case', 'User', { attr: 'USERNAME' }, `${USER_SCHEMA}:userName`],
    ['sub-attribute', 'User', { attr: 'Name', sub: 'GivenName' }, `${USER_SCHEMA}:name.givenName`],
    ['multi-valued sub', 'User', { attr: 'emails', sub: 'Primary' }, `${USER_SCHEMA}:emails.primary`],
    ['core-qualified', 'User', { uri: USER_SCHEMA, attr: 'displayName' }, `${USER_SCHEMA}:displayName`],
    ['core URI any case', 'User', { uri: USER_SCHEMA.toLowerCase(), attr: 'title' }, `${USER_SCHEMA}:title`],
    ['common externalId', 'User', { attr: 'externalId' }, `${USER_SCHEMA}:externalId`],
    ['common meta sub', 'User', { attr: 'meta', sub: 'created' }, `${USER_SCHEMA}:meta.created`],
    [
      'enterprise',
      'User',
      { uri: ENTERPRISE_USER_SCHEMA, attr: 'Department' },
      `${ENTERPRISE_USER_SCHEMA}:department`,
    ],
    ['bare enterprise name', 'User', { attr: 'manager' }, `${ENTERPRISE_USER_SCHEMA}:manager`],
    [
      'manager.value',
      'User',
      { uri: ENTERPRISE_USER_SCHEMA, attr: 'Manager', sub: 'Value' },
      `${ENTERPRISE_USER_SCHEMA}:manager.value`,
    ],
    ['group members.value', 'Group', { attr: 'members', sub: 'value' }, `${GROUP_SCHEMA}:members.value`],
    ['unknown', 'User', { attr: 'adreses' }, undefined],
    ['unknown sub', 'User', { attr: 'name', sub: 'nickName' }, undefined],
    ['sub of a simple attribute', 'User', { attr: 'userName', sub: 'x' }, undefined],
    [
      'core attribute under the extension URI',
      'User',
      { uri: ENTERPRISE_USER_SCHEMA, attr: 'userName' },
      undefined,
    ],
    ['unknown URI', 'User', { uri: 'urn:custom:2.0:User', attr: 'department' }, undefined],
    ['user attribute on a group', 'Group', { attr: 'userName' }, undefined],
  ];

  it.each(cases)('%s', (_name, type, path, expected) => {
    const r = resolveAttribute(type, path);
    const got = r && `${r.schemaUri}:${r.def.name}${r.subDef ? `.${r.subDef.name}` : ''}`;
    expect(got).toBe(expected);
  });
});

describe('normalizeAttribute', () => {
  const active = findAttribute(coreUserSchema.attributes, 'active')!;
  const emails = findAttribute(coreUserSchema.attributes, 'emails')!;

  it('coerces "True"/"False" by schema type, also inside sub-attributes', () => {
    expect(normalizeAttribute(active, 'True')).toBe(true);
    expect(normalizeAttribute(active, 'false')).toBe(false);
    expect(normalizeAttribute(emails, [{ Value: 'a@x', Primary: 'True' }])).toEqual([
      { value: 'a@x', primary: true },
    ]);
  });

  it('rejects wrong types naming the attribute', () => {
    expect(scimTypeThrown(() => normalizeAttribute(active, 5))).toBe('invalidValue');
    expect(() => normalizeAttribute(emails, 'x')).toThrow(/'emails'/);
    expect(() => normalizeAttribute(emails, [{ value: 'a', primary: 'yes' }])).toThrow(/'emails.primary'/);
  });

  it.each([
    ['bare id', 'm1', { value: 'm1' }],
    ['{value}', { value: 'm1' }, { value: 'm1' }],
    ['{Value}', { Value: 'm1' }, { value: 'm1' }],
    ['[{value,$ref}]', [{ $ref: 'https://h/Users/m1', value: 'm1' }], { value: 'm1' }],
    ['empty string clears', '', undefined],
    ['{value: ""} clears', { value: '' }, undefined],
  ])('manager as %s', (_name, input, expected) => {
    expect(normalizeAttribute(managerAttribute, input)).toEqual(expected);
  });

  it('rejects a non-string manager id', () => {
    expect(scimTypeThrown(() => normalizeAttribute(managerAttribute, { value: 7 }))).toBe('invalidValue');
  });
});
