import { describe, expect, it } from 'vitest';
import { changeKeys, planCycle } from './changes.js';
import { createDirectory, sampleIndexes, snapshotDirectory, type Directory } from './directory.js';
import { createRng } from './prng.js';

const size = { users: 200, groups: 12, membersPerGroup: 25 };
const make = (seed: string): Directory => createDirectory(seed, size, createRng(seed).fork('directory'));

describe('the simulated directory', () => {
  it('is identical for the same seed and differs for another', () => {
    expect(snapshotDirectory(make('42'))).toEqual(snapshotDirectory(make('42')));
    expect(snapshotDirectory(make('42'))).not.toEqual(snapshotDirectory(make('43')));
  });

  it('has the requested size, unique UPNs / objectIds / employee numbers, and work e-mails in its domain', () => {
    const dir = make('7');
    expect(dir.users).toHaveLength(200);
    expect(dir.groups).toHaveLength(12);
    for (const g of dir.groups) expect(g.members.size).toBe(25);
    expect(new Set(dir.users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(200);
    expect(new Set(dir.users.map((u) => u.key)).size).toBe(200);
    expect(new Set(dir.users.map((u) => u.employeeNumber)).size).toBe(200);
    expect(new Set(dir.groups.map((g) => g.displayName)).size).toBe(12);
    for (const u of dir.users) {
      expect(u.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(u.mail.endsWith(`@${dir.domain}`)).toBe(true);
      expect(u.userPrincipalName).toBe(`${u.mailNickname}@${dir.domain}`);
    }
  });

  it('links managers only to earlier users (no cycles), most users having one', () => {
    const dir = make('7');
    const position = new Map(dir.users.map((u, i) => [u.key, i]));
    dir.users.forEach((u, i) => {
      if (u.managerKey) expect(position.get(u.managerKey)).toBeLessThan(i);
    });
    expect(dir.users.filter((u) => u.managerKey).length).toBeGreaterThan(150);
  });

  it('samples distinct indexes, sparse or dense', () => {
    const rng = createRng('s');
    for (const [n, k] of [
      [1000, 10],
      [10, 9],
      [5, 5],
      [5, 0],
    ] as const) {
      const picked = sampleIndexes(n, k, rng);
      expect(new Set(picked).size).toBe(k);
      expect(picked.every((i) => i >= 0 && i < n)).toBe(true);
    }
  });
});

describe('incremental planning', () => {
  const plan = (seed: string, dialect: 'legacy' | 'okta' = 'legacy') => {
    const dir = make(seed);
    const rng = createRng(seed);
    const cycles = [1, 2, 3].map((k) => planCycle(dir, rng.fork(`cycle-${k}`), 60, dialect));
    return { dir, cycles };
  };

  it('is deterministic for a seed', () => {
    const a = plan('9');
    const b = plan('9');
    expect(a.cycles).toEqual(b.cycles);
    expect(snapshotDirectory(a.dir)).toEqual(snapshotDirectory(b.dir));
  });

  it('touches each user and group at most once per cycle and covers every kind', () => {
    const { cycles } = plan('9');
    for (const changes of cycles) {
      expect(changes).toHaveLength(60);
      const owners = changes.map((c) => changeKeys(c)[0]);
      expect(new Set(owners).size).toBe(owners.length);
    }
    const kinds = new Set(cycles.flat().map((c) => c.kind));
    expect([...kinds].sort()).toEqual([
      'addMembers',
      'disableUser',
      'enableUser',
      'hardDeleteUser',
      'removeMembers',
      'renameGroup',
      'softDeleteUser',
      'updateUser',
    ]);
  });

  it('keeps the directory consistent: deleted users are in no group and manage nobody', () => {
    const { dir } = plan('11');
    const deleted = new Set(dir.users.filter((u) => u.state === 'deleted').map((u) => u.key));
    expect(deleted.size).toBeGreaterThan(0);
    for (const g of dir.groups) for (const m of g.members) expect(deleted.has(m)).toBe(false);
    for (const u of dir.users)
      if (u.state !== 'deleted' && u.managerKey) expect(deleted.has(u.managerKey)).toBe(false);
    for (const u of dir.users) if (u.state !== 'present') expect(u.active).toBe(false);
  });

  it('Okta never hard-deletes', () => {
    const { cycles } = plan('9', 'okta');
    expect(cycles.flat().some((c) => c.kind === 'hardDeleteUser')).toBe(false);
  });
});
