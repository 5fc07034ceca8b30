import { describe, expect, it } from 'vitest';
import { createDirectory } from './directory.js';
import { createRng } from './prng.js';
import { userTarget } from './target.js';
import { factsFromTarget } from './user-facts.js';
import { diffStates, expectedState, type ActualState, type ExpectedState } from './verify-diff.js';

/** A small directory, fully "provisioned": ids u0…, g0…; and the actual state that matches it. */
function fixture(dialect: 'legacy' | 'okta' = 'legacy') {
  const dir = createDirectory('v', { users: 6, groups: 2, membersPerGroup: 3 }, createRng('v'));
  const userIds = new Map(dir.users.map((u, i) => [u.key, `u${i}`]));
  const groupIds = new Map(dir.groups.map((g, i) => [g.key, `g${i}`]));
  const expected: ExpectedState = expectedState(dir, userIds, groupIds, dialect);
  const actual: ActualState = {
    users: dir.users.map((u, i) =>
      factsFromTarget(`u${i}`, userTarget(u), u.managerKey ? (userIds.get(u.managerKey) ?? null) : null),
    ),
    groups: dir.groups.map((g, i) => ({
      id: `g${i}`,
      displayName: g.displayName,
      externalId: g.key,
      memberIds: [...g.members].map((k) => userIds.get(k) ?? ''),
    })),
  };
  return { dir, expected, actual };
}

describe('diffStates', () => {
  it('finds nothing when the service holds the directory (members in any order)', () => {
    const { expected, actual } = fixture();
    actual.groups[0]!.memberIds.reverse();
    expect(diffStates(expected, actual)).toEqual([]);
  });

  it('names changed attributes, active flags and managers', () => {
    const { expected, actual, dir } = fixture();
    const u = actual.users[3]!;
    u.department = 'Nowhere';
    u.active = false;
    u.givenName = null;
    u.managerId = 'u5';
    const name = dir.users[3]!.userPrincipalName;
    const issues = diffStates(expected, actual).map((d) => `${d.resource} ${d.name}: ${d.issue}`);
    expect(issues).toEqual([
      `User ${name}: name.givenName is absent, expected ${JSON.stringify(dir.users[3]!.givenName)}`,
      `User ${name}: enterprise department is "Nowhere", expected ${JSON.stringify(dir.users[3]!.department)}`,
      `User ${name}: active is false, expected true`,
      expect.stringMatching(
        new RegExp(
          `^User ${name.replace(/\./g, '\\.')}: enterprise manager\\.value is ${dir.users[5]!.userPrincipalName.replace(/\./g, '\\.')}, expected `,
        ),
      ),
    ]);
  });

  it('flags a manager returned as a bare string', () => {
    const { expected, actual } = fixture();
    const withManager = actual.users.find((u) => u.managerId)!;
    withManager.managerShape = 'string';
    expect(diffStates(expected, actual).map((d) => d.issue)).toEqual([
      'enterprise manager is a bare string; Entra reads only {"value": id}',
    ]);
  });

  it('reports missing users, leftovers in its namespace, and ignores strangers', () => {
    const { expected, actual, dir } = fixture();
    actual.users.splice(1, 1);
    actual.users.push({ ...actual.users[0]!, id: 'zombie', userName: `gone@${dir.domain}` });
    actual.users.push({ ...actual.users[0]!, id: 'owner', userName: 'owner@elsewhere.com' });
    const diffs = diffStates(expected, actual);
    expect(diffs.map((d) => [d.id, d.issue])).toEqual([
      ['u1', 'missing'],
      ['zombie', 'exists but should not (deleted or never created)'],
    ]);
  });

  it('reports group renames, externalIds and member differences by userName', () => {
    const { expected, actual, dir } = fixture();
    const g = actual.groups[1]!;
    g.displayName = 'renamed';
    g.externalId = null;
    const dropped = g.memberIds.shift()!;
    g.memberIds.push('u-extra');
    const droppedName = actual.users.find((u) => u.id === dropped)!.userName;
    expect(diffStates(expected, actual).map((d) => d.issue)).toEqual([
      `displayName is "renamed", expected ${JSON.stringify(dir.groups[1]!.displayName)}`,
      `externalId is absent, expected ${JSON.stringify(dir.groups[1]!.key)}`,
      `members missing: ${droppedName}`,
      'unexpected members: u-extra',
    ]);
  });

  it('Okta: no name.formatted and no group externalId to compare', () => {
    const { expected, actual } = fixture('okta');
    for (const u of actual.users) u.formatted = null;
    for (const g of actual.groups) g.externalId = null;
    expect(diffStates(expected, actual)).toEqual([]);
  });

  it('a deleted user must be gone, and is not expected in groups', () => {
    const { expected, actual, dir } = fixture();
    const victim = dir.users[4]!;
    victim.state = 'deleted';
    for (const g of dir.groups) g.members.delete(victim.key);
    const again = expectedState(
      dir,
      new Map(dir.users.map((u, i) => [u.key, `u${i}`])),
      new Map(dir.groups.map((g, i) => [g.key, `g${i}`])),
      'legacy',
    );
    const diffs = diffStates(again, actual);
    expect(diffs.some((d) => d.id === 'u4' && d.issue.startsWith('exists but should not'))).toBe(true);
    expect(
      diffs.filter((d) => d.resource === 'Group').every((d) => d.issue.startsWith('unexpected members')),
    ).toBe(true);
    expect(expected.users).toHaveLength(6);
  });
});
