// Incremental-cycle planning (pure): X changes drawn from the seed, applied to the directory as they
// are drawn. Like an Entra delta, an object changes at most once per cycle, so the cycle's result
// doesn't depend on how its requests interleave.
import { DEPARTMENTS, FAMILY_NAMES, GIVEN_NAMES, GROUP_NOUNS } from './names.js';
import type { Dialect } from './dialects.js';
import type { Directory, SimGroup, SimUser } from './directory.js';
import type { Rng } from './prng.js';

export type UpdatedAttr = 'name' | 'workEmail' | 'userName' | 'department' | 'employeeNumber' | 'manager';

export type Change =
  | { kind: 'updateUser'; user: string; attrs: UpdatedAttr[] }
  | { kind: 'disableUser'; user: string }
  | { kind: 'enableUser'; user: string }
  | { kind: 'softDeleteUser'; user: string }
  /** `softFirst`: the disable PATCH precedes the DELETE in this same cycle. */
  | { kind: 'hardDeleteUser'; user: string; softFirst: boolean }
  | { kind: 'renameGroup'; group: string; displayName: string }
  | { kind: 'addMembers'; group: string; users: string[] }
  | { kind: 'removeMembers'; group: string; users: string[] };

export type ChangeKind = Change['kind'];

const ENTRA_WEIGHTS: Record<ChangeKind, number> = {
  updateUser: 30,
  disableUser: 10,
  enableUser: 8,
  softDeleteUser: 6,
  hardDeleteUser: 8,
  renameGroup: 10,
  addMembers: 16,
  removeMembers: 12,
};

/** Okta deprovisions by deactivation only; it never sends DELETE /Users. */
export function changeWeights(dialect: Dialect): Record<ChangeKind, number> {
  return dialect === 'okta' ? { ...ENTRA_WEIGHTS, hardDeleteUser: 0 } : ENTRA_WEIGHTS;
}

/** The keys a change touches (for ordering requests on the same object). */
export function changeKeys(c: Change): string[] {
  if ('user' in c) return [`u:${c.user}`];
  return [`g:${c.group}`, ...('users' in c ? c.users.map((u) => `u:${u}`) : [])];
}

const TRIES = 24;

class Planner {
  private readonly lockedUsers = new Set<string>();
  private readonly lockedGroups = new Set<string>();
  /** Users added to / removed from a group this cycle: not deleted in the same cycle. */
  private readonly memberTouched = new Set<string>();
  private readonly reports = new Map<string, number>();
  private readonly position = new Map<string, number>();

  constructor(
    private readonly dir: Directory,
    private readonly rng: Rng,
  ) {
    dir.users.forEach((u, i) => {
      this.position.set(u.key, i);
      if (u.state !== 'deleted' && u.managerKey)
        this.reports.set(u.managerKey, (this.reports.get(u.managerKey) ?? 0) + 1);
    });
  }

  plan(kind: ChangeKind): Change | null {
    switch (kind) {
      case 'updateUser':
        return this.updateUser();
      case 'disableUser':
        return this.userChange(
          kind,
          (u) => u.state === 'present' && u.active,
          (u) => void (u.active = false),
        );
      case 'enableUser':
        return this.userChange(
          kind,
          (u) => u.state === 'present' && !u.active,
          (u) => void (u.active = true),
        );
      case 'softDeleteUser':
        return this.userChange(
          kind,
          (u) => u.state === 'present',
          (u) => {
            u.active = false;
            u.state = 'softDeleted';
          },
        );
      case 'hardDeleteUser':
        return this.hardDelete();
      case 'renameGroup':
        return this.rename();
      case 'addMembers':
        return this.members('add');
      case 'removeMembers':
        return this.members('remove');
    }
  }

  private pickUser(ok: (u: SimUser) => boolean): SimUser | null {
    const users = this.dir.users;
    for (let i = 0; i < TRIES && users.length > 0; i++) {
      const u = this.rng.pick(users);
      if (!this.lockedUsers.has(u.key) && ok(u)) return u;
    }
    return null;
  }

  private pickGroup(ok: (g: SimGroup) => boolean): SimGroup | null {
    const groups = this.dir.groups;
    for (let i = 0; i < TRIES && groups.length > 0; i++) {
      const g = this.rng.pick(groups);
      if (!this.lockedGroups.has(g.key) && ok(g)) return g;
    }
    return null;
  }

  private userChange(
    kind: 'disableUser' | 'enableUser' | 'softDeleteUser',
    ok: (u: SimUser) => boolean,
    apply: (u: SimUser) => void,
  ): Change | null {
    const u = this.pickUser(ok);
    if (!u) return null;
    this.lockedUsers.add(u.key);
    apply(u);
    return { kind, user: u.key };
  }

  private updateUser(): Change | null {
    const u = this.pickUser((x) => x.state === 'present');
    if (!u) return null;
    const all: UpdatedAttr[] = ['name', 'workEmail', 'department', 'employeeNumber', 'manager', 'userName'];
    const wanted = 1 + this.rng.int(3);
    const attrs: UpdatedAttr[] = [];
    for (let i = 0; i < TRIES && attrs.length < wanted; i++) {
      const attr = this.rng.pick(all);
      if (!attrs.includes(attr) && this.applyAttr(u, attr)) attrs.push(attr);
    }
    if (attrs.length === 0) return null;
    this.lockedUsers.add(u.key);
    return { kind: 'updateUser', user: u.key, attrs };
  }

  private applyAttr(u: SimUser, attr: UpdatedAttr): boolean {
    const dir = this.dir;
    switch (attr) {
      case 'name': {
        u.givenName = this.rng.pick(GIVEN_NAMES.filter((n) => n !== u.givenName));
        u.surname = this.rng.pick(FAMILY_NAMES.filter((n) => n !== u.surname));
        u.displayName = `${u.givenName} ${u.surname}`;
        return true;
      }
      case 'workEmail':
        u.mail = `${u.mailNickname}.m${++dir.serial}@${dir.domain}`;
        return true;
      case 'userName':
        u.userPrincipalName = `${u.mailNickname}.u${++dir.serial}@${dir.domain}`;
        return true;
      case 'department':
        u.department = this.rng.pick(DEPARTMENTS.filter((d) => d !== u.department));
        return true;
      case 'employeeNumber':
        u.employeeNumber = String(900000 + ++dir.serial);
        return true;
      case 'manager':
        return this.changeManager(u);
    }
  }

  /** A new manager from earlier in the directory (no cycles), present, not the current one. */
  private changeManager(u: SimUser): boolean {
    const at = this.position.get(u.key) ?? 0;
    if (at === 0) return false;
    for (let i = 0; i < TRIES; i++) {
      const m = this.dir.users[this.rng.int(at)];
      if (!m || m.state !== 'present' || m.key === u.managerKey) continue;
      if (u.managerKey) this.reports.set(u.managerKey, (this.reports.get(u.managerKey) ?? 1) - 1);
      this.reports.set(m.key, (this.reports.get(m.key) ?? 0) + 1);
      u.managerKey = m.key;
      return true;
    }
    return false;
  }

  private hardDelete(): Change | null {
    const deletable = (u: SimUser): boolean =>
      (this.reports.get(u.key) ?? 0) === 0 && !this.memberTouched.has(u.key);
    // Prefer users already in the recycle bin (soft-deleted in an earlier cycle).
    const u =
      this.pickUser((x) => x.state === 'softDeleted' && deletable(x)) ??
      this.pickUser((x) => x.state === 'present' && deletable(x));
    if (!u) return null;
    const softFirst = u.state === 'present' && u.active;
    this.lockedUsers.add(u.key);
    u.active = false;
    u.state = 'deleted';
    if (u.managerKey) this.reports.set(u.managerKey, (this.reports.get(u.managerKey) ?? 1) - 1);
    // The service removes a deleted member from its groups; so does the directory.
    for (const g of this.dir.groups) g.members.delete(u.key);
    return { kind: 'hardDeleteUser', user: u.key, softFirst };
  }

  private rename(): Change | null {
    const g = this.pickGroup(() => true);
    if (!g) return null;
    this.lockedGroups.add(g.key);
    g.displayName = `${this.dir.tag} ${this.rng.pick(DEPARTMENTS)} ${this.rng.pick(GROUP_NOUNS)} r${++this.dir.serial}`;
    return { kind: 'renameGroup', group: g.key, displayName: g.displayName };
  }

  private members(mode: 'add' | 'remove'): Change | null {
    const g = this.pickGroup((x) => (mode === 'add' ? true : x.members.size > 0));
    if (!g) return null;
    const wanted = 1 + this.rng.int(mode === 'add' ? 3 : 2);
    const picked: string[] = [];
    const current = [...g.members];
    for (let i = 0; i < TRIES && picked.length < wanted; i++) {
      const u =
        mode === 'add'
          ? this.rng.pick(this.dir.users)
          : this.dir.index.get(current[this.rng.int(current.length)] ?? '');
      if (!u || picked.includes(u.key)) continue;
      if (mode === 'add' ? u.state !== 'present' || g.members.has(u.key) : !g.members.has(u.key)) continue;
      picked.push(u.key);
    }
    if (picked.length === 0) return null;
    this.lockedGroups.add(g.key);
    for (const key of picked) {
      this.memberTouched.add(key);
      if (mode === 'add') g.members.add(key);
      else g.members.delete(key);
    }
    return mode === 'add'
      ? { kind: 'addMembers', group: g.key, users: picked }
      : { kind: 'removeMembers', group: g.key, users: picked };
  }
}

/** Up to `count` changes (fewer only when nothing is left to change); mutates the directory. */
export function planCycle(dir: Directory, rng: Rng, count: number, dialect: Dialect): Change[] {
  const planner = new Planner(dir, rng);
  const weights = Object.entries(changeWeights(dialect)).filter(([, w]) => w > 0) as [ChangeKind, number][];
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const changes: Change[] = [];
  for (let i = 0; i < count; i++) {
    let change: Change | null = null;
    for (let t = 0; t < TRIES && !change; t++) {
      let r = rng.next() * total;
      const kind = weights.find(([, w]) => (r -= w) < 0)?.[0] ?? 'updateUser';
      change = planner.plan(kind);
    }
    if (!change) break;
    changes.push(change);
  }
  return changes;
}
