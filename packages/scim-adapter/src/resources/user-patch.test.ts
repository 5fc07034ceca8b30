// One case per documented Entra PATCH (entra-client.md §1.3–1.4) in both dialects, plus Okta and the
// reference Postman collection. Each case patches the rendered resource of a fully-mapped Entra user.
import { describe, expect, it } from 'vitest';
import { patchBody, scimTypeThrown } from '../patch/test-helpers.js';
import { ENT, entraFullCreate } from './fixtures.test-data.js';
import { applyUserPatch, parseUser, renderUser, type UserWrite } from './user.js';

const times = {
  created: new Date(0),
  lastModified: new Date(0),
  version: 1,
  location: 'https://h/scim/Users/u1',
};

function current(extra: Record<string, unknown> = {}, active = true): Record<string, unknown> {
  const { document } = parseUser({ ...entraFullCreate, ...extra });
  return renderUser({ id: 'u1', document, active, ...times });
}

interface Case {
  name: string;
  body: unknown;
  /** Checked with toMatchObject against {...write, document}. */
  expected: Partial<UserWrite> & { document?: Record<string, unknown> };
  /** Enterprise extension attributes that must be gone afterwards. */
  absentInExtension?: string[];
  start?: Record<string, unknown>;
  startActive?: boolean;
}

const ops = (...list: unknown[]) => patchBody(...list);

const legacy: Case[] = [
  {
    name: 'multi-valued sub-attribute + name.familyName',
    body: ops(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    ),
    expected: {
      familyName: 'updatedFamilyName',
      givenName: 'Joy',
      emails: [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }],
    },
  },
  {
    name: 'single-valued userName',
    body: ops({
      op: 'Replace',
      path: 'userName',
      value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
    }),
    expected: { userName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' },
  },
  {
    name: 'several attributes incl. enterprise employeeNumber',
    body: ops(
      { op: 'Replace', path: 'displayName', value: 'Pvlo' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
      { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: `${ENT}:employeeNumber`, value: 'Eqpj' },
    ),
    expected: {
      displayName: 'Pvlo',
      givenName: 'Gtfd',
      familyName: 'Pkqf',
      externalId: 'Eqpj',
      emails: [{ value: 'TestBcwqnm@test.microsoft.com', type: 'work', primary: true }],
      document: { [ENT]: { employeeNumber: 'Eqpj', department: 'Design' } },
    },
  },
  {
    name: 'department',
    body: ops({ op: 'Replace', path: `${ENT}:department`, value: 'Research' }),
    expected: { document: { [ENT]: { employeeNumber: '701984', department: 'Research' } } },
  },
  {
    name: 'Add of a previously empty attribute',
    body: ops({ op: 'Add', path: 'nickName', value: 'Babs' }),
    expected: { document: { nickName: 'Babs' } },
  },
  {
    name: 'manager Example 5 (bare path, [{$ref,value}])',
    body: ops({
      op: 'Add',
      path: 'manager',
      value: [
        {
          $ref: 'http://h/scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
          value: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
        },
      ],
    }),
    expected: { managerId: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee' },
  },
  {
    name: 'manager as a bare id on the URN path',
    body: ops({ op: 'Add', path: `${ENT}:manager`, value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' }),
    expected: {
      managerId: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2',
      document: { [ENT]: { manager: { value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' } } },
    },
  },
  {
    name: 'roles with a JSON string inside value',
    body: ops({
      op: 'Add',
      path: 'roles',
      value: [
        { value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}' },
      ],
    }),
    expected: {
      document: {
        roles: [
          { value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}' },
        ],
      },
    },
  },
  {
    name: 'disable with "False"',
    body: ops({ op: 'Replace', path: 'active', value: 'False' }),
    expected: { active: false, document: { active: false } },
  },
  {
    name: 're-enable with "True"',
    body: ops({ op: 'Replace', path: 'active', value: 'True' }),
    startActive: false,
    expected: { active: true },
  },
  {
    name: 'tutorial mix: Replace + boolean, Operations before schemas',
    body: {
      Operations: [{ op: 'Replace', path: 'active', value: false }],
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    },
    expected: { active: false },
  },
];

const flag: Case[] = [
  {
    name: 'filtered email + one path-less replace with dotted and URN keys',
    body: ops(
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
      {
        op: 'replace',
        value: {
          displayName: 'Bjfe',
          'name.givenName': 'Kkom',
          'name.familyName': 'Unua',
          [`${ENT}:employeeNumber`]: 'Aklq',
        },
      },
    ),
    expected: {
      displayName: 'Bjfe',
      givenName: 'Kkom',
      familyName: 'Unua',
      emails: [{ value: 'TestMhvaes@test.microsoft.com', type: 'work', primary: true }],
      document: {
        name: { formatted: 'Joy Young', givenName: 'Kkom', familyName: 'Unua' },
        [ENT]: { employeeNumber: 'Aklq' },
      },
    },
  },
  {
    name: 'path-less replace with a URN department key',
    body: ops({ op: 'replace', value: { [`${ENT}:department`]: 'Design 2', 'name.givenName': 'J' } }),
    expected: { givenName: 'J', document: { [ENT]: { department: 'Design 2' } } },
  },
  {
    name: 'add of a previously empty attribute',
    body: ops({ op: 'add', path: 'nickName', value: 'Babs' }),
    expected: { document: { nickName: 'Babs' } },
  },
  {
    name: 'manager as a bare id (observed production traffic)',
    body: ops({ op: 'add', path: `${ENT}:manager`, value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' }),
    expected: { managerId: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' },
  },
  {
    name: 'validator: change manager',
    start: { [ENT]: { manager: 'm1' } },
    body: ops({ op: 'replace', path: `${ENT}:manager`, value: 'm2' }),
    expected: { managerId: 'm2' },
  },
  {
    name: 'validator: clear manager with ""',
    start: { [ENT]: { department: 'D', manager: 'm1' } },
    body: ops({ op: 'replace', path: `${ENT}:manager`, value: '' }),
    expected: { managerId: null, document: { [ENT]: { department: 'D' } } },
    absentInExtension: ['manager'],
  },
  {
    name: 'manager removal by filter (scim-patch#453)',
    start: { [ENT]: { department: 'D', manager: 'manager-id' } },
    body: ops({ op: 'remove', path: 'manager[value eq "manager-id"]' }),
    expected: { managerId: null },
    absentInExtension: ['manager'],
  },
  {
    name: 'AssertiveAppRoleAssignmentsComplex roles replace',
    start: { roles: [{ value: 'Old' }] },
    body: ops({
      op: 'replace',
      path: 'roles',
      value: [
        { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' },
        { primary: 'True', type: 'WindowsAzureActiveDirectoryRole', display: 'Admin', value: 'Admin' },
      ],
    }),
    expected: {
      document: {
        roles: [
          { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' },
          { primary: true, type: 'WindowsAzureActiveDirectoryRole', display: 'Admin', value: 'Admin' },
        ],
      },
    },
  },
  {
    name: 'disable with boolean false',
    body: ops({ op: 'replace', path: 'active', value: false }),
    expected: { active: false },
  },
  {
    name: 're-enable with boolean true',
    startActive: false,
    body: ops({ op: 'replace', path: 'active', value: true }),
    expected: { active: true },
  },
];

const others: Case[] = [
  {
    name: 'Okta: path-less replace {active:false}',
    body: ops({ op: 'replace', value: { active: false } }),
    expected: { active: false },
  },
  {
    name: 'Okta: path-less replace with an echoed id and names',
    body: ops({ op: 'replace', value: { id: 'u1', name: { givenName: 'Joy2' }, active: true } }),
    expected: { givenName: 'Joy2', familyName: 'Young', active: true },
  },
  {
    name: 'Postman #56: Replace userName',
    body: ops({ op: 'Replace', path: 'userName', value: 'newusername' }),
    expected: { userName: 'newusername' },
  },
  {
    name: 'Postman #57: Replace active with a boolean',
    body: ops({ op: 'Replace', path: 'active', value: false }),
    expected: { active: false },
  },
  {
    name: 'Entra inbound collection: dot-form manager path',
    body: ops({ op: 'Replace', path: `${ENT}.manager`, value: 'm9' }),
    expected: { managerId: 'm9' },
  },
  {
    name: 'add of a work mobile phone number when none exists',
    body: ops({ op: 'Add', path: 'phoneNumbers[type eq "fax"].value', value: '+1 425 555 0102' }),
    expected: {
      document: {
        phoneNumbers: [
          { type: 'work', value: '+1 425 555 0100' },
          { type: 'mobile', value: '+1 425 555 0101' },
          { type: 'fax', value: '+1 425 555 0102' },
        ],
      },
    },
  },
];

function run(c: Case): UserWrite {
  return applyUserPatch(current(c.start, c.startActive ?? true), c.body);
}

describe.each([
  ['Entra default (legacy) dialect', legacy],
  ['Entra aadOptscim062020 dialect', flag],
  ['Okta and reference collection', others],
])('%s', (_dialect, cases) => {
  it.each(cases)('$name', (c) => {
    const write = run(c);
    expect(write).toMatchObject(c.expected);
    for (const name of c.absentInExtension ?? []) expect(write.document[ENT]).not.toHaveProperty(name);
  });
});

describe('applyUserPatch', () => {
  it('keeps untouched attributes and strips rendered id/meta/schemas from the document', () => {
    const write = applyUserPatch(current(), ops({ op: 'replace', path: 'title', value: 'Boss' }));
    const { schemas: _s, meta: _m, roles: _r, ...rest } = entraFullCreate;
    expect(write.document).toEqual({ ...rest, title: 'Boss' });
  });

  it('does not mutate the current resource', () => {
    const resource = current();
    const before = structuredClone(resource);
    applyUserPatch(resource, ops({ op: 'remove', path: 'emails[type eq "work"]' }));
    expect(resource).toEqual(before);
  });

  it.each([
    ['empty Operations', 'invalidValue', patchBody()],
    ['remove userName', 'mutability', ops({ op: 'remove', path: 'userName' })],
    ['replace userName with ""', 'invalidValue', ops({ op: 'replace', path: 'userName', value: '' })],
    ['remove groups', 'mutability', ops({ op: 'remove', path: 'groups' })],
    ['replace meta', 'mutability', ops({ op: 'replace', path: 'meta', value: {} })],
    ['unknown attribute path', 'invalidPath', ops({ op: 'Replace', path: 'adreses', value: 'x' })],
    ['active: 5', 'invalidValue', ops({ op: 'replace', path: 'active', value: 5 })],
    ['remove filter matching nothing', 'noTarget', ops({ op: 'remove', path: 'emails[type eq "home"]' })],
    ['bad op', 'invalidSyntax', ops({ op: 'Update', path: 'title', value: 'x' })],
    [
      'wrong schema',
      'invalidSyntax',
      { schemas: ['urn:x'], Operations: [{ op: 'add', path: 'title', value: 'x' }] },
    ],
  ])('%s → %s', (_name, scimType, body) => {
    expect(scimTypeThrown(() => applyUserPatch(current(), body))).toBe(scimType);
  });
});
