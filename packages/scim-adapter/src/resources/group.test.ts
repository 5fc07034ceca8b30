import { describe, expect, it } from 'vitest';
import { patchBody, scimErrorThrown, scimTypeThrown } from '../patch/test-helpers.js';
import { parseGroup, renderGroup } from './group.js';
import { planGroupPatch, type GroupPatchStep } from './group-patch.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describe('parseGroup', () => {
  it('parses the documented Entra create (extra ADSCIM schema, meta, no members)', () => {
    const write = parseGroup({
      schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    expect(write).toEqual({
      displayName: 'displayName',
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      memberIds: undefined,
      document: { externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName' },
    });
  });

  it('reads members as ids (deduplicated), keeps them out of the document, and [] as "no members"', () => {
    const write = parseGroup({
      DisplayName: 'G',
      members: [{ value: 'a', display: 'A' }, { Value: 'b' }, { value: 'a' }],
    });
    expect(write.memberIds).toEqual(['a', 'b']);
    expect(write.document).toEqual({ displayName: 'G' });
    expect(parseGroup({ displayName: 'G', members: [] }).memberIds).toEqual([]);
    expect(parseGroup({ displayName: 'G', members: null }).memberIds).toBeUndefined();
  });

  it.each([
    ['a non-object', 'x'],
    ['no displayName', { externalId: 'e' }],
    ['a blank displayName', { displayName: ' ' }],
    ['a numeric displayName', { displayName: 4 }],
    ['a numeric externalId', { displayName: 'G', externalId: 4 }],
    ['a numeric member id', { displayName: 'G', members: [{ value: 5 }] }],
    ['a member without value', { displayName: 'G', members: [{ display: 'x' }] }],
  ])('rejects %s with invalidValue', (_name, body) => {
    expect(scimTypeThrown(() => parseGroup(body))).toBe('invalidValue');
  });
});

describe('renderGroup', () => {
  const view = {
    id: 'g1',
    displayName: 'Sales',
    externalId: 'ext',
    document: { displayName: 'old', externalId: 'old' },
    created: new Date('2024-01-01T00:00:00Z'),
    lastModified: new Date('2024-01-02T00:00:00Z'),
    version: 3,
    location: 'https://h/scim/Groups/g1',
  };

  it('renders members only when loaded', () => {
    expect(renderGroup({ ...view, members: [{ value: 'u1', display: 'U' }, { value: 'u2' }] })).toEqual({
      schemas: [GROUP],
      id: 'g1',
      externalId: 'ext',
      displayName: 'Sales',
      members: [{ value: 'u1', display: 'U' }, { value: 'u2' }],
      meta: {
        resourceType: 'Group',
        created: '2024-01-01T00:00:00.000Z',
        lastModified: '2024-01-02T00:00:00.000Z',
        location: 'https://h/scim/Groups/g1',
        version: 'W/"3"',
      },
    });
    const excluded = renderGroup({ ...view, externalId: null });
    expect(excluded).not.toHaveProperty('members');
    expect(excluded).not.toHaveProperty('externalId');
    expect(renderGroup({ ...view, members: [] }).members).toEqual([]);
  });
});

describe('planGroupPatch', () => {
  const cases: [string, unknown[], GroupPatchStep[]][] = [
    // entra-client.md §1.6
    [
      'Entra rename (legacy Replace)',
      [{ op: 'Replace', path: 'displayName', value: '1879db59updatedDisplayName' }],
      [{ kind: 'set', displayName: '1879db59updatedDisplayName' }],
    ],
    [
      'Entra rename (flag, lower-case)',
      [{ op: 'replace', path: 'displayName', value: 'New' }],
      [{ kind: 'set', displayName: 'New' }],
    ],
    [
      'Entra add members (legacy, $ref null)',
      [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }],
      [{ kind: 'addMembers', ids: ['f648f8d5ea4e4cd38e9c'] }],
    ],
    [
      'Entra add several members (flag)',
      [{ op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'b' }, { value: 'a' }] }],
      [{ kind: 'addMembers', ids: ['a', 'b'] }],
    ],
    [
      'Entra legacy removal: value list with $ref null removes only those',
      [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }],
      [{ kind: 'removeMembers', ids: ['f648f8d5ea4e4cd38e9c'] }],
    ],
    [
      'Entra legacy removal: plain value list',
      [{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }] }],
      [{ kind: 'removeMembers', ids: ['u1091'] }],
    ],
    [
      'lower-case remove with a value list (directory-scimple#447)',
      [{ op: 'remove', path: 'members', value: [{ value: 'aaebb169-b91d-481c-9957-097faeaf649a' }] }],
      [{ kind: 'removeMembers', ids: ['aaebb169-b91d-481c-9957-097faeaf649a'] }],
    ],
    [
      'Entra aadOptscim062020 removal by filter',
      [{ op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' }],
      [{ kind: 'removeMembers', ids: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'] }],
    ],
    // RFC / Okta / others
    [
      'remove members without value → all',
      [{ op: 'remove', path: 'members' }],
      [{ kind: 'removeAllMembers' }],
    ],
    [
      'Okta empties a group with replace []',
      [{ op: 'replace', path: 'members', value: [] }],
      [{ kind: 'replaceMembers', ids: [] }],
    ],
    [
      'replace members with a list',
      [{ op: 'replace', path: 'members', value: [{ value: 'x' }, { value: 'y' }] }],
      [{ kind: 'replaceMembers', ids: ['x', 'y'] }],
    ],
    [
      'Okta rename: path-less replace with the id echoed',
      [{ op: 'replace', value: { id: 'g1', displayName: 'Test SCIMv2' } }],
      [{ kind: 'set', displayName: 'Test SCIMv2' }],
    ],
    [
      'path-less displayName and externalId both apply (Bitwarden applied only the name)',
      [{ op: 'replace', value: { displayName: 'N', externalId: 'E' } }],
      [{ kind: 'set', displayName: 'N', externalId: 'E' }],
    ],
    [
      'path-less replace containing members',
      [{ op: 'replace', value: { displayName: 'N', members: [{ value: 'm' }] } }],
      [
        { kind: 'set', displayName: 'N' },
        { kind: 'replaceMembers', ids: ['m'] },
      ],
    ],
    [
      'path-less add of members',
      [{ op: 'add', value: { members: [{ value: 'm' }] } }],
      [{ kind: 'addMembers', ids: ['m'] }],
    ],
    [
      'a single {value} object',
      [{ op: 'add', path: 'members', value: { value: 'solo' } }],
      [{ kind: 'addMembers', ids: ['solo'] }],
    ],
    [
      'Postman garbage: bare string member id',
      [{ op: 'add', path: 'members', value: 'string id 1' }],
      [{ kind: 'addMembers', ids: ['string id 1'] }],
    ],
    [
      'Bitwarden: add by filter',
      [{ op: 'add', path: 'members[value eq "g"]', value: [{ value: 'g' }] }],
      [{ kind: 'addMembers', ids: ['g'] }],
    ],
    [
      'externalId replace',
      [{ op: 'replace', path: 'externalId', value: 'E2' }],
      [{ kind: 'set', externalId: 'E2' }],
    ],
    ['externalId remove', [{ op: 'remove', path: 'externalId' }], [{ kind: 'set', externalId: null }]],
    [
      'several ops keep their order',
      [
        { op: 'Add', path: 'members', value: [{ value: 'a' }] },
        { op: 'Replace', path: 'displayName', value: 'R' },
        { op: 'Remove', path: 'members', value: [{ value: 'b' }] },
      ],
      [
        { kind: 'addMembers', ids: ['a'] },
        { kind: 'set', displayName: 'R' },
        { kind: 'removeMembers', ids: ['b'] },
      ],
    ],
    ['add of an empty list is a no-op', [{ op: 'add', path: 'members', value: [] }], []],
  ];

  it.each(cases)('%s', (_name, operations, expected) => {
    expect(planGroupPatch(patchBody(...operations))).toEqual(expected);
  });

  it.each([
    ['empty Operations', 'invalidValue', []],
    ['a numeric member id', 'invalidValue', [{ op: 'add', path: 'members', value: [{ value: 1 }] }]],
    ['a member without value', 'invalidValue', [{ op: 'add', path: 'members', value: [{ display: 'x' }] }]],
    ['a non-string displayName', 'invalidValue', [{ op: 'replace', path: 'displayName', value: 5 }]],
    ['remove displayName', 'mutability', [{ op: 'remove', path: 'displayName' }]],
    ['replace id', 'mutability', [{ op: 'replace', path: 'id', value: 'x' }]],
    [
      'a member sub-attribute',
      'mutability',
      [{ op: 'replace', path: 'members[value eq "a"].display', value: 'x' }],
    ],
    ['an unknown attribute', 'invalidPath', [{ op: 'replace', path: 'description', value: 'x' }]],
    ['an unknown key in a value map', 'invalidPath', [{ op: 'replace', value: { description: 'x' } }]],
    ['an unsupported member filter', 'invalidPath', [{ op: 'remove', path: 'members[display co "x"]' }]],
    [
      'replace by member filter',
      'invalidPath',
      [{ op: 'replace', path: 'members[value eq "a"]', value: { value: 'b' } }],
    ],
    ['a path-less remove', 'noTarget', [{ op: 'remove', value: { members: [] } }]],
    ['an unknown op', 'invalidSyntax', [{ op: 'merge', path: 'members', value: [] }]],
    [
      '__proto__ in a value',
      'invalidPath',
      [{ op: 'add', path: 'members', value: JSON.parse('[{"value":"a","__proto__":{}}]') as unknown }],
    ],
  ])('rejects %s → %s', (_name, scimType, operations) => {
    expect(scimTypeThrown(() => planGroupPatch(patchBody(...operations)))).toBe(scimType);
  });

  it('names the offending member in the error', () => {
    expect(
      scimErrorThrown(() =>
        planGroupPatch(patchBody({ op: 'add', path: 'members', value: [{ value: 'a' }, { value: 2 }] })),
      ).detail,
    ).toMatch(/members\[1\]/);
  });
});
