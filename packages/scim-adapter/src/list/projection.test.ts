import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import { applyProjection, parseProjection } from './projection.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

const user = () => ({
  schemas: [CORE, ENT],
  id: 'u1',
  externalId: 'x1',
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [
    { value: 'ada@work.example', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  active: true,
  [ENT]: { department: 'R&D', manager: { value: 'm1' } },
  meta: { resourceType: 'User', version: 'W/"1"' },
});

const project = (attributes?: string[], excluded?: string[]) =>
  applyProjection(user(), parseProjection(attributes, excluded, 'User'), 'User');

describe('attribute projection', () => {
  it('returns the resource untouched without parameters', () => {
    const resource = user();
    expect(applyProjection(resource, parseProjection(undefined, undefined, 'User'), 'User')).toBe(resource);
  });

  it('keeps id, schemas and meta whatever attributes asks for', () => {
    expect(project(['userName'])).toEqual({
      schemas: [CORE],
      id: 'u1',
      userName: 'ada@example.com',
      meta: { resourceType: 'User', version: 'W/"1"' },
    });
  });

  it('selects sub-attributes of complex and multi-valued attributes, names case-insensitive', () => {
    const out = project(['NAME.givenName', 'emails.type', 'emails.value']);
    expect(out.name).toEqual({ givenName: 'Ada' });
    expect(out.emails).toEqual([
      { value: 'ada@work.example', type: 'work' },
      { value: 'ada@home.example', type: 'home' },
    ]);
  });

  it('finds extension attributes by URN-qualified and bare names; a whole extension by its URN', () => {
    expect(project([`${ENT}:manager.value`])[ENT]).toEqual({ manager: { value: 'm1' } });
    expect(project(['department'])[ENT]).toEqual({ department: 'R&D' });
    expect(project([ENT])[ENT]).toEqual({ department: 'R&D', manager: { value: 'm1' } });
    expect(project([`${CORE}:userName`]).userName).toBe('ada@example.com');
    expect(project([ENT]).schemas).toEqual([CORE, ENT]);
  });

  it('ignores unknown names and other resource types’ schemas', () => {
    const out = project(['shoeSize', 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName']);
    expect(Object.keys(out).sort()).toEqual(['id', 'meta', 'schemas']);
  });

  it('excludes attributes, sub-attributes and extensions, never always-returned ones', () => {
    const out = project(undefined, ['emails.primary', 'name', `${ENT}:department`, 'id', 'schemas']);
    expect(out).not.toHaveProperty('name');
    expect(out.emails).toEqual([
      { value: 'ada@work.example', type: 'work' },
      { value: 'ada@home.example', type: 'home' },
    ]);
    expect(out[ENT]).toEqual({ manager: { value: 'm1' } });
    expect(out.id).toBe('u1');
    expect(out.schemas).toEqual([CORE, ENT]);
  });

  it('drops the extension URN from schemas when the extension is excluded', () => {
    expect(project(undefined, [ENT]).schemas).toEqual([CORE]);
  });

  it('does not mutate the resource it was given', () => {
    const resource = user();
    applyProjection(resource, parseProjection(undefined, ['name.givenName'], 'User'), 'User');
    expect(resource.name).toEqual({ givenName: 'Ada', familyName: 'Lovelace' });
  });

  it('rejects filters in attribute lists', () => {
    expect(() => parseProjection(['emails[type eq "work"]'], undefined, 'User')).toThrow(ScimError);
    expect(() => parseProjection(undefined, ['__proto__'], 'User')).toThrow(ScimError);
  });
});
