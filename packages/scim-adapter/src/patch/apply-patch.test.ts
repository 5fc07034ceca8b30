import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply-patch.js';
import { parsePatchBody } from './parse-body.js';
import { patchBody, scimTypeThrown } from './test-helpers.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const base = (): Record<string, unknown> => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u1',
  userName: 'joy@contoso.com',
  name: { givenName: 'Joy', familyName: 'Young' },
  active: true,
  emails: [
    { value: 'joy@contoso.com', type: 'work', primary: true },
    { value: 'joy@home.example', type: 'home' },
  ],
  addresses: [{ type: 'home', locality: 'Seattle' }],
  meta: { resourceType: 'User', location: 'https://h/Users/u1' },
});

const patch = (resource: Record<string, unknown>, ...ops: unknown[]) =>
  applyPatch(resource, parsePatchBody(patchBody(...ops)), 'User');

describe('applyPatch (User)', () => {
  it('never mutates its input', () => {
    const resource = base();
    const before = structuredClone(resource);
    patch(
      resource,
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@x' },
      { op: 'remove', path: 'name' },
    );
    expect(resource).toEqual(before);
  });

  it('add on a single-valued attribute replaces it', () => {
    expect(patch(base(), { op: 'add', path: 'userName', value: 'other' }).userName).toBe('other');
  });

  it('add on a multi-valued attribute appends, skipping equal values', () => {
    const out = patch(
      base(),
      {
        op: 'add',
        path: 'emails',
        value: [
          { value: 'joy@home.example', type: 'home' },
          { value: 'x@y', type: 'other' },
        ],
      },
      { op: 'add', path: 'emails', value: { value: 'x@y', type: 'other' } },
    );
    expect(out.emails).toEqual([...(base().emails as unknown[]), { value: 'x@y', type: 'other' }]);
  });

  it('a new primary value demotes the old one (RFC 7644 §3.5.2)', () => {
    const out = patch(base(), {
      op: 'add',
      path: 'emails',
      value: [{ value: 'n@x', type: 'other', primary: true }],
    });
    expect(out.emails).toEqual([
      { value: 'joy@contoso.com', type: 'work', primary: false },
      { value: 'joy@home.example', type: 'home' },
      { value: 'n@x', type: 'other', primary: true },
    ]);
  });

  it('replace on a multi-valued attribute replaces the whole list', () => {
    expect(patch(base(), { op: 'replace', path: 'emails', value: [{ value: 'only@x' }] }).emails).toEqual([
      { value: 'only@x' },
    ]);
  });

  it('a filtered path sets the sub-attribute on the matching value only', () => {
    const out = patch(base(), { op: 'replace', path: 'emails[type eq "home"].value', value: 'h@x' });
    expect(out.emails).toEqual([
      { value: 'joy@contoso.com', type: 'work', primary: true },
      { value: 'h@x', type: 'home' },
    ]);
  });

  it('a filtered path with no match creates {type, value} and keeps the others', () => {
    const out = patch(base(), {
      op: 'replace',
      path: 'phoneNumbers[type eq "mobile"].value',
      value: '+1 425 555 0101',
    });
    expect(out.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 425 555 0101' }]);
    const emails = patch(base(), { op: 'add', path: 'emails[type eq "other"].value', value: 'o@x' }).emails;
    expect(emails).toHaveLength(3);
  });

  it('several ops on addresses[type eq "work"] build one element', () => {
    const out = patch(
      base(),
      { op: 'add', path: 'addresses[type eq "work"].streetAddress', value: '1 Microsoft Way' },
      { op: 'add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
      { op: 'replace', path: 'addresses[type eq "work"].postalCode', value: '98052' },
      { op: 'replace', path: 'addresses[type eq "work"].primary', value: 'True' },
    );
    expect(out.addresses).toEqual([
      { type: 'home', locality: 'Seattle' },
      {
        type: 'work',
        streetAddress: '1 Microsoft Way',
        locality: 'Redmond',
        postalCode: '98052',
        primary: true,
      },
    ]);
  });

  it('remove with a filter removes only the matching values', () => {
    expect(patch(base(), { op: 'remove', path: 'emails[type eq "WORK"]' }).emails).toEqual([
      { value: 'joy@home.example', type: 'home' },
    ]);
  });

  it('remove of a filtered .value removes that value entirely', () => {
    expect(patch(base(), { op: 'remove', path: 'emails[type eq "home"].value' }).emails).toHaveLength(1);
  });

  it('remove with a value list removes only the listed values', () => {
    const out = patch(base(), { op: 'remove', path: 'emails', value: [{ value: 'joy@home.example' }] });
    expect(out.emails).toEqual([{ value: 'joy@contoso.com', type: 'work', primary: true }]);
  });

  it('remove without a value clears the attribute', () => {
    const out = patch(base(), { op: 'remove', path: 'emails' }, { op: 'remove', path: 'name.familyName' });
    expect(out).not.toHaveProperty('emails');
    expect(out.name).toEqual({ givenName: 'Joy' });
  });

  it('coerces "True"/"False" by schema type and rejects wrong types', () => {
    expect(patch(base(), { op: 'replace', path: 'active', value: 'False' }).active).toBe(false);
    expect(scimTypeThrown(() => patch(base(), { op: 'replace', path: 'active', value: 5 }))).toBe(
      'invalidValue',
    );
    expect(() => patch(base(), { op: 'add', path: 'emails', value: 'x' })).toThrow(/'emails'/);
  });

  describe('path-less add/replace', () => {
    it('accepts plain, nested, dotted and URN-qualified keys', () => {
      const out = patch(base(), {
        op: 'replace',
        value: {
          displayName: 'Bjfe',
          name: { middleName: 'M' },
          'name.givenName': 'Kkom',
          [`${ENT}:department`]: 'Design',
          [`${ENT}:manager`]: 'boss',
        },
      });
      expect(out).toMatchObject({
        displayName: 'Bjfe',
        name: { givenName: 'Kkom', familyName: 'Young', middleName: 'M' },
        [ENT]: { department: 'Design', manager: { value: 'boss' } },
      });
    });

    it('accepts the extension URN with an object value, merging into the extension', () => {
      const out = patch(
        { ...base(), [ENT]: { costCenter: 'C1' } },
        { op: 'add', value: { [ENT]: { Department: 'D', Manager: { Value: 'm1' } } } },
      );
      expect(out[ENT]).toEqual({ costCenter: 'C1', department: 'D', manager: { value: 'm1' } });
    });

    it('ignores an echoed schemas list and an unchanged id', () => {
      const out = patch(base(), { op: 'replace', value: { schemas: ['x'], id: 'u1', title: 'T' } });
      expect(out.title).toBe('T');
    });

    it('ignores attributes of schemas it does not serve (Entra custom extensions)', () => {
      const custom = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
      const out = patch(base(), { op: 'replace', value: { [`${custom}:costCode`]: 'x', title: 'T' } });
      expect(out).not.toHaveProperty(custom);
      expect(patch(base(), { op: 'add', path: `${custom}:costCode`, value: 'x' })).toEqual(base());
    });

    it('needs an object value, and remove needs a path', () => {
      expect(scimTypeThrown(() => patch(base(), { op: 'replace', value: 'x' }))).toBe('invalidValue');
      expect(scimTypeThrown(() => patch(base(), { op: 'remove' }))).toBe('noTarget');
    });
  });

  describe('enterprise manager', () => {
    it.each([
      ['bare id on the URN path', { op: 'add', path: `${ENT}:manager`, value: 'm1' }],
      ['{value} on the URN path', { op: 'replace', path: `${ENT}:manager`, value: { value: 'm1' } }],
      [
        'legacy [{value,$ref}] on bare "manager"',
        { op: 'Add', path: 'manager', value: [{ $ref: 'https://h/Users/m1', value: 'm1' }] },
      ],
      ['manager.value', { op: 'add', path: `${ENT}:manager.value`, value: 'm1' }],
      ['Entra inbound dot form', { op: 'replace', path: `${ENT}.manager`, value: 'm1' }],
    ])('sets it from %s', (_name, op) => {
      expect(patch(base(), op)[ENT]).toEqual({ manager: { value: 'm1' } });
    });

    const managed = () => ({ ...base(), [ENT]: { department: 'D', manager: { value: 'm1' } } });

    it.each([
      ['remove on the path', { op: 'remove', path: `${ENT}:manager` }],
      ['an empty value', { op: 'replace', path: `${ENT}:manager`, value: '' }],
      ['remove with a matching filter', { op: 'remove', path: 'manager[value eq "m1"]' }],
    ])('clears it with %s', (_name, op) => {
      expect(patch(managed(), op)[ENT]).toEqual({ department: 'D' });
    });

    it('drops the extension object when its last attribute goes', () => {
      const out = patch(
        { ...base(), [ENT]: { manager: { value: 'm1' } } },
        { op: 'remove', path: `${ENT}:manager` },
      );
      expect(out).not.toHaveProperty(ENT);
    });

    it('a manager filter that matches nothing on remove is noTarget', () => {
      expect(
        scimTypeThrown(() => patch(managed(), { op: 'remove', path: 'manager[value eq "other"]' })),
      ).toBe('noTarget');
    });
  });

  describe('errors', () => {
    it.each([
      ['remove userName', 'mutability', { op: 'remove', path: 'userName' }],
      ['replace userName with null', 'mutability', { op: 'replace', path: 'userName', value: null }],
      ['replace id', 'mutability', { op: 'replace', path: 'id', value: 'x' }],
      ['add meta', 'mutability', { op: 'add', path: 'meta.created', value: '2020-01-01T00:00:00Z' }],
      ['add groups', 'mutability', { op: 'add', path: 'groups', value: [{ value: 'g1' }] }],
      ['changed id in a value map', 'mutability', { op: 'replace', value: { id: 'other' } }],
      ['unknown attribute', 'invalidPath', { op: 'replace', path: 'adreses', value: 'x' }],
      ['unknown key in a value map', 'invalidPath', { op: 'replace', value: { adreses: 'x' } }],
      ['unknown sub-attribute', 'invalidPath', { op: 'replace', path: 'name.nick', value: 'x' }],
      ['unknown enterprise attribute', 'invalidPath', { op: 'replace', path: `${ENT}:userName`, value: 'x' }],
      [
        'filter on a simple attribute',
        'invalidPath',
        { op: 'replace', path: 'title[value eq "x"]', value: 'x' },
      ],
      ['unparsable path', 'invalidPath', { op: 'replace', path: 'emails[type eq', value: 'x' }],
      ['remove filter matching nothing', 'noTarget', { op: 'remove', path: 'emails[type eq "fax"]' }],
      [
        'remove filtered sub matching nothing',
        'noTarget',
        { op: 'remove', path: 'phoneNumbers[type eq "fax"].value' },
      ],
      [
        'replace with a non-derivable filter and no match',
        'noTarget',
        { op: 'replace', path: 'emails[value co "zzz"].type', value: 'x' },
      ],
      ['__proto__ in a path', 'invalidPath', { op: 'add', path: '__proto__.polluted', value: 'x' }],
      [
        'constructor in a filtered path',
        'invalidPath',
        { op: 'add', path: 'emails[type eq "work"].constructor', value: 'x' },
      ],
      ['prototype in a value map key', 'invalidPath', { op: 'add', value: { 'name.prototype': 'x' } }],
    ])('%s → %s', (_name, scimType, op) => {
      expect(scimTypeThrown(() => patch(base(), op))).toBe(scimType);
    });

    it('rejects __proto__ keys anywhere in a value and leaves Object.prototype alone', () => {
      const value = JSON.parse('{"name": {"__proto__": {"polluted": true}}}') as unknown;
      expect(scimTypeThrown(() => patch(base(), { op: 'add', value }))).toBe('invalidPath');
      const nested = JSON.parse('[{"value": "a@x", "__proto__": {"polluted": true}}]') as unknown;
      expect(scimTypeThrown(() => patch(base(), { op: 'add', path: 'emails', value: nested }))).toBe(
        'invalidPath',
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});

describe('applyPatch (Group)', () => {
  const group = () => ({
    id: 'g1',
    displayName: 'G',
    members: [{ value: 'a' }, { value: 'b' }, { value: 'c' }],
  });

  it('removes only listed members and by filter', () => {
    const out = applyPatch(
      group(),
      parsePatchBody(
        patchBody(
          { op: 'Remove', path: 'members', value: [{ value: 'a' }] },
          { op: 'remove', path: 'members[value eq "b"]' },
        ),
      ),
      'Group',
    );
    expect(out.members).toEqual([{ value: 'c' }]);
  });

  it('refuses to remove displayName', () => {
    expect(
      scimTypeThrown(() =>
        applyPatch(group(), parsePatchBody(patchBody({ op: 'remove', path: 'displayName' })), 'Group'),
      ),
    ).toBe('mutability');
  });
});
