import { describe, expect, it } from 'vitest';
import type { UserTarget } from './dialects.js';
import { diffUser, factsFromTarget, userFacts } from './user-facts.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const target: UserTarget = {
  externalId: 'obj-1',
  userName: 'ada@x.example.com',
  displayName: 'Ada Abe',
  givenName: 'Ada',
  familyName: 'Abe',
  formatted: 'Ada Abe',
  workEmail: 'ada@x.example.com',
  department: 'Design',
  employeeNumber: '100001',
  active: true,
};

describe('userFacts', () => {
  it('reads the work e-mail, the enterprise extension and the manager shape', () => {
    const facts = userFacts({
      id: 'u1',
      userName: 'ada@x.example.com',
      active: false,
      emails: [
        { value: 'home@x', type: 'home' },
        { value: 'w@x', type: 'Work' },
      ],
      [ENT]: { department: 'D', manager: { value: 'm1' } },
    });
    expect(facts).toMatchObject({
      workEmail: 'w@x',
      department: 'D',
      managerId: 'm1',
      managerShape: 'object',
      active: false,
      givenName: null,
    });
    expect(userFacts({ id: 'u1', userName: 'a', [ENT]: { manager: 'm1' } })).toMatchObject({
      managerId: 'm1',
      managerShape: 'string',
    });
  });
});

describe('diffUser (what Entra PATCHes after GET /Users/{id})', () => {
  it('nothing when equal', () => {
    expect(diffUser(factsFromTarget('u1', target, 'm1'), target, 'm1', { formatted: true })).toBeNull();
  });

  it('only what differs; Add for what had no value; manager and active separately', () => {
    const current = {
      ...factsFromTarget('u1', target, null),
      department: null,
      displayName: 'Old',
      active: false,
    };
    expect(diffUser(current, target, 'm1', { formatted: true })).toEqual({
      attrs: [
        { attr: 'displayName', value: 'Ada Abe', hadValue: true },
        { attr: 'department', value: 'Design', hadValue: false },
      ],
      manager: { id: 'm1', hadValue: false },
      active: true,
    });
  });

  it('leaves the manager alone when asked, and ignores name.formatted for Okta', () => {
    const current = { ...factsFromTarget('u1', target, 'm0'), formatted: null };
    expect(diffUser(current, target, undefined, { formatted: false })).toBeNull();
    expect(diffUser(current, target, 'm2', { formatted: false })).toEqual({
      attrs: [],
      manager: { id: 'm2', hadValue: true },
    });
  });
});
