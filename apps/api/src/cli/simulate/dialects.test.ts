// Bodies compared with the documented requests in entra-client.md §1.2–1.6 and §2.2.
import { describe, expect, it } from 'vitest';
import {
  entraUserCreate,
  entraUserPatch,
  groupAddMembers,
  groupCreate,
  groupRemoveMembers,
  groupRename,
  oktaActivePatch,
  oktaUser,
  type UserTarget,
} from './dialects.js';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const docUser: UserTarget = {
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  displayName: 'givenName familyName',
  givenName: 'givenName',
  familyName: 'familyName',
  formatted: 'givenName familyName',
  workEmail: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
  department: 'Design',
  employeeNumber: '701984',
  active: true,
};

describe('user create (§1.2 step 2)', () => {
  it('is the documented POST plus displayName and the enterprise extension, without a manager', () => {
    expect(entraUserCreate(docUser)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      displayName: 'givenName familyName',
      emails: [
        { primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' },
      ],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      [ENT]: { employeeNumber: '701984', department: 'Design' },
    });
  });
});

describe('user PATCH, default (legacy) dialect (§1.3)', () => {
  it('multi-valued + sub-attribute: one capitalised Replace per attribute', () => {
    const body = entraUserPatch('legacy', {
      attrs: [
        { attr: 'familyName', value: 'updatedFamilyName', hadValue: true },
        { attr: 'workEmail', value: 'updatedEmail@microsoft.com', hadValue: true },
      ],
    });
    expect(body).toEqual({
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
  });

  it('single-valued userName', () => {
    expect(
      entraUserPatch('legacy', {
        attrs: [
          { attr: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com', hadValue: true },
        ],
      }),
    ).toEqual({
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' },
      ],
    });
  });

  it('several attributes incl. the enterprise extension, in the documented order', () => {
    const body = entraUserPatch('legacy', {
      attrs: [
        { attr: 'employeeNumber', value: 'Eqpj', hadValue: true },
        { attr: 'externalId', value: 'Eqpj', hadValue: true },
        { attr: 'familyName', value: 'Pkqf', hadValue: true },
        { attr: 'givenName', value: 'Gtfd', hadValue: true },
        { attr: 'workEmail', value: 'TestBcwqnm@test.microsoft.com', hadValue: true },
        { attr: 'displayName', value: 'Pvlo', hadValue: true },
      ],
    });
    expect(body).toEqual({
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Pvlo' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
        { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: `${ENT}:employeeNumber`, value: 'Eqpj' },
      ],
    });
  });

  it('an attribute that had no value is an Add; department uses the URN path', () => {
    expect(
      entraUserPatch('legacy', { attrs: [{ attr: 'department', value: 'Design', hadValue: false }] })
        .Operations,
    ).toEqual([{ op: 'Add', path: `${ENT}:department`, value: 'Design' }]);
  });

  it('manager: Add with a bare id, then Replace', () => {
    expect(
      entraUserPatch('legacy', { attrs: [], manager: { id: 'm-1', hadValue: false } }).Operations,
    ).toEqual([{ op: 'Add', path: `${ENT}:manager`, value: 'm-1' }]);
    expect(
      entraUserPatch('legacy', { attrs: [], manager: { id: 'm-2', hadValue: true } }).Operations,
    ).toEqual([{ op: 'Replace', path: `${ENT}:manager`, value: 'm-2' }]);
  });

  it('disable / re-enable send active as the strings "False" / "True" (§1.4)', () => {
    expect(entraUserPatch('legacy', { attrs: [], active: false })).toEqual({
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(entraUserPatch('legacy', { attrs: [], active: true }).Operations).toEqual([
      { op: 'Replace', path: 'active', value: 'True' },
    ]);
  });
});

describe('user PATCH, aadOptscim062020 (§1.3, §2.2)', () => {
  it('the e-mail keeps its path; the rest is ONE path-less replace with dotted and URN keys', () => {
    const body = entraUserPatch('aadOptscim062020', {
      attrs: [
        { attr: 'givenName', value: 'Kkom', hadValue: true },
        { attr: 'employeeNumber', value: 'Aklq', hadValue: true },
        { attr: 'displayName', value: 'Bjfe', hadValue: true },
        { attr: 'workEmail', value: 'TestMhvaes@test.microsoft.com', hadValue: true },
        { attr: 'familyName', value: 'Unua', hadValue: true },
      ],
    });
    expect(body).toEqual({
      schemas: [PATCH],
      Operations: [
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
      ],
    });
    // Key order as documented, too.
    expect(Object.keys(body.Operations[1]?.['value'] as object)).toEqual([
      'displayName',
      'name.givenName',
      'name.familyName',
      `${ENT}:employeeNumber`,
    ]);
  });

  it('a previously empty attribute is a pathed lower-case add', () => {
    expect(
      entraUserPatch('aadOptscim062020', {
        attrs: [{ attr: 'department', value: 'Design', hadValue: false }],
      }).Operations,
    ).toEqual([{ op: 'add', path: `${ENT}:department`, value: 'Design' }]);
  });

  it('manager: lower-case add with a bare string id (observed traffic)', () => {
    expect(
      entraUserPatch('aadOptscim062020', {
        attrs: [],
        manager: { id: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2', hadValue: false },
      }),
    ).toEqual({
      schemas: [PATCH],
      Operations: [{ op: 'add', path: `${ENT}:manager`, value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' }],
    });
  });

  it('disable / re-enable send booleans', () => {
    expect(entraUserPatch('aadOptscim062020', { attrs: [], active: false })).toEqual({
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(entraUserPatch('aadOptscim062020', { attrs: [], active: true }).Operations).toEqual([
      { op: 'replace', path: 'active', value: true },
    ]);
  });
});

describe('groups (§1.6)', () => {
  it('create: the ADSCIM schema URN, externalId, meta, no members', () => {
    const g = { externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName' };
    const entra = {
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:Group',
        'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
      ],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    };
    expect(groupCreate('legacy', g)).toEqual(entra);
    expect(groupCreate('aadOptscim062020', g)).toEqual(entra);
  });

  it('add members: several values in one op; legacy capitalised, the flag lower-case', () => {
    const members = [
      { id: 'f648f8d5ea4e4cd38e9c', display: 'A' },
      { id: 'u2', display: 'B' },
    ];
    expect(groupAddMembers('legacy', members)).toEqual({
      schemas: [PATCH],
      Operations: [
        {
          op: 'Add',
          path: 'members',
          value: [
            { $ref: null, value: 'f648f8d5ea4e4cd38e9c' },
            { $ref: null, value: 'u2' },
          ],
        },
      ],
    });
    expect(groupAddMembers('aadOptscim062020', members).Operations).toEqual([
      {
        op: 'add',
        path: 'members',
        value: [
          { $ref: null, value: 'f648f8d5ea4e4cd38e9c' },
          { $ref: null, value: 'u2' },
        ],
      },
    ]);
  });

  it('remove members: legacy by value list, the flag by a members[value eq "…"] path per member', () => {
    expect(groupRemoveMembers('legacy', ['u1091'])).toEqual({
      schemas: [PATCH],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }] }],
    });
    expect(groupRemoveMembers('aadOptscim062020', ['7f4bc1a3-285e-48ae-8202-5accb43efb0e', 'u2'])).toEqual({
      schemas: [PATCH],
      Operations: [
        { op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' },
        { op: 'remove', path: 'members[value eq "u2"]' },
      ],
    });
  });

  it('rename: Replace displayName (legacy), replace (flag)', () => {
    const name = '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName';
    expect(groupRename('legacy', { id: 'g', displayName: name })).toEqual({
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'displayName', value: name }],
    });
    expect(groupRename('aadOptscim062020', { id: 'g', displayName: name }).Operations).toEqual([
      { op: 'replace', path: 'displayName', value: name },
    ]);
  });
});

describe('Okta', () => {
  it('deactivates with a path-less replace', () => {
    expect(oktaActivePatch(false)).toEqual({
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
  });

  it('PUTs the whole user, with id and the manager as {value}', () => {
    const body = oktaUser(docUser, { id: 'abc', managerId: 'm-1' });
    expect(body).toMatchObject({
      id: 'abc',
      userName: docUser.userName,
      active: true,
      groups: [],
      [ENT]: { manager: { value: 'm-1' } },
    });
    expect(body).not.toHaveProperty('meta');
    expect(body['name']).toEqual({ givenName: 'givenName', familyName: 'familyName' });
  });

  it('groups: created with an empty member list, members with display, renamed path-less', () => {
    expect(groupCreate('okta', { externalId: 'x', displayName: 'G' })).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'G',
      members: [],
    });
    expect(groupAddMembers('okta', [{ id: 'u1', display: 'Ada' }]).Operations).toEqual([
      { op: 'add', path: 'members', value: [{ value: 'u1', display: 'Ada' }] },
    ]);
    expect(groupRemoveMembers('okta', ['u1']).Operations).toEqual([
      { op: 'remove', path: 'members[value eq "u1"]' },
    ]);
    expect(groupRename('okta', { id: 'g1', displayName: 'New' }).Operations).toEqual([
      { op: 'replace', value: { id: 'g1', displayName: 'New' } },
    ]);
  });
});
