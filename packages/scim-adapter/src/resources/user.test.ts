import { describe, expect, it } from 'vitest';
import { scimErrorThrown, scimTypeThrown } from '../patch/test-helpers.js';
import {
  CORE,
  ENT,
  entraCreate,
  entraFullCreate,
  entraLegacyGarbage,
  postmanEnterprise,
  postmanGarbage,
} from './fixtures.test-data.js';
import { parseUser, renderUser } from './user.js';

describe('parseUser', () => {
  it('parses the documented Entra create, dropping meta, schemas and empty roles', () => {
    const write = parseUser(entraCreate);
    expect(write).toEqual({
      userName: entraCreate.userName,
      externalId: entraCreate.externalId,
      active: true,
      displayName: null,
      givenName: 'givenName',
      familyName: 'familyName',
      emails: [{ value: entraCreate.emails[0]!.value, type: 'work', primary: true }],
      managerId: null,
      document: {
        externalId: entraCreate.externalId,
        userName: entraCreate.userName,
        active: true,
        emails: entraCreate.emails,
        name: entraCreate.name,
      },
    });
  });

  it('keeps every known attribute exactly as sent, enterprise under its URN', () => {
    const { document } = parseUser(entraFullCreate);
    const { schemas: _s, meta: _m, roles: _r, ...expected } = entraFullCreate;
    expect(document).toEqual(expected);
    expect(parseUser(entraFullCreate).emails).toEqual([
      { value: 'jyoung@contoso.com', type: 'work', primary: true },
    ]);
  });

  it("treats nulls as absent and ignores unknown (typo'd) extension URNs", () => {
    expect(parseUser(entraLegacyGarbage).document).toEqual({ userName: 'legacy@contoso.com', active: true });
  });

  it('canonicalises names and coerces "True"/"False" (Postman garbage)', () => {
    const write = parseUser(postmanGarbage);
    expect(write.active).toBe(true);
    expect(write.document.emails).toEqual([{ primary: true, type: 'work', value: 'emp1@example.com' }]);
    expect(write.document.addresses).toEqual([{ type: 'work', country: 'USA', primary: false }]);
    expect(write.document.phoneNumbers).toEqual([{ primary: true, type: 'mobile', value: '123-555-0101' }]);
    expect(write.emails).toEqual([{ value: 'emp1@example.com', type: 'work', primary: true }]);
  });

  it('canonicalises PascalCase enterprise attributes and Manager.Value (Postman #8)', () => {
    const write = parseUser(postmanEnterprise);
    expect(write.document[ENT]).toEqual({ department: 'Tour Operations', manager: { value: 'OH5Bob' } });
    expect(write.managerId).toBe('OH5Bob');
  });

  it.each([
    ['a bare id', 'm1'],
    ['{value}', { value: 'm1' }],
    ['{Value}', { Value: 'm1' }],
    ['[{value,$ref}]', [{ value: 'm1', $ref: 'https://h/Users/m1' }]],
  ])('accepts manager as %s and stores {value}', (_name, manager) => {
    const write = parseUser({ userName: 'a', [ENT]: { manager } });
    expect(write.document[ENT]).toEqual({ manager: { value: 'm1' } });
    expect(write.managerId).toBe('m1');
  });

  it('defaults active to true and removes id, meta, groups, password', () => {
    const write = parseUser({
      userName: 'a',
      id: 'x',
      meta: { created: 'x' },
      groups: [{ value: 'g' }],
      password: 'secret',
      adreses: [{ country: 'Germany' }],
      'urn:ietf:params:scim:schemas:extension:Custom:2.0:User': { x: 1 },
      'urn:ietf:params:scim:schemas:extension:Custom:2.0:User:y': 2,
    });
    expect(write.active).toBe(true);
    expect(write.document).toEqual({ userName: 'a', active: true });
  });

  it('keeps active:false, accepts "False" and the string userName as sent', () => {
    expect(parseUser({ userName: ' OMalley ', active: 'False' })).toMatchObject({
      userName: ' OMalley ',
      active: false,
    });
  });

  it.each([
    ['a string body', 'x', /object/],
    ['an array body', [], /object/],
    ['a missing userName', { active: true }, /userName/],
    ['a null userName', { userName: null }, /userName/],
    ['an empty userName', { userName: '' }, /userName/],
    ['a blank userName', { userName: '  ' }, /userName/],
    ['a numeric userName', { userName: 5 }, /userName/],
    ['active: 5', { userName: 'a', active: 5 }, /'active'/],
    ['emails: "x"', { userName: 'a', emails: 'x' }, /'emails'/],
    [
      'a non-boolean emails[].primary',
      { userName: 'a', emails: [{ value: 'x', primary: 'yes' }] },
      /'emails.primary'/,
    ],
    ['name as a string', { userName: 'a', name: 'Joy' }, /'name'/],
    ['the extension as a string', { userName: 'a', [ENT]: 'x' }, new RegExp(ENT)],
    ['a numeric department', { userName: 'a', [ENT]: { department: 5 } }, /'department'/],
    ['userName twice in different case', { userName: 'a', UserName: 'b' }, /more than once/],
  ])('rejects %s with invalidValue', (_name, body, detail) => {
    const error = scimErrorThrown(() => parseUser(body));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toMatch(detail);
  });

  it('rejects prototype-polluting keys', () => {
    const body = JSON.parse('{"userName":"a","name":{"__proto__":{"polluted":true}}}') as unknown;
    expect(scimTypeThrown(() => parseUser(body))).toBe('invalidPath');
  });
});

describe('renderUser', () => {
  const times = {
    created: new Date('2024-01-02T03:04:05.000Z'),
    lastModified: new Date('2024-02-03T04:05:06.000Z'),
    version: 7,
    location: 'https://h/scim/Users/u1',
  };

  it('renders schemas, id, the document, active from the view and meta', () => {
    const { document } = parseUser(entraCreate);
    expect(renderUser({ id: 'u1', document, active: false, ...times })).toEqual({
      schemas: [CORE],
      id: 'u1',
      externalId: entraCreate.externalId,
      userName: entraCreate.userName,
      emails: entraCreate.emails,
      name: entraCreate.name,
      active: false,
      meta: {
        resourceType: 'User',
        created: '2024-01-02T03:04:05.000Z',
        lastModified: '2024-02-03T04:05:06.000Z',
        location: 'https://h/scim/Users/u1',
        version: 'W/"7"',
      },
    });
  });

  it('adds the enterprise schema when the document has the extension', () => {
    const { document } = parseUser(entraFullCreate);
    const out = renderUser({ id: 'u1', document, active: true, ...times });
    expect(out.schemas).toEqual([CORE, ENT]);
    expect(out[ENT]).toEqual({ employeeNumber: '701984', department: 'Design' });
  });

  it('never renders a stored id, meta, schemas or password', () => {
    const document = { userName: 'a', id: 'evil', meta: {}, schemas: ['x'], password: 'p' };
    const out = renderUser({ id: 'u1', document, active: true, ...times });
    expect(out.id).toBe('u1');
    expect(out).not.toHaveProperty('password');
    expect(out.schemas).toEqual([CORE]);
  });
});
