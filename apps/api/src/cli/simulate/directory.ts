// The simulated Entra directory: users (UPN, mailNickname, objectId, names, work e-mail,
// department, employeeNumber, manager) and groups with members. Generated from --seed alone.
import { DEPARTMENTS, FAMILY_NAMES, GIVEN_NAMES, GROUP_NOUNS } from './names.js';
import type { Rng } from './prng.js';

export type UserState = 'present' | 'softDeleted' | 'deleted';

export interface SimUser {
  /** Entra objectId; provisioned as externalId. */
  key: string;
  mailNickname: string;
  userPrincipalName: string;
  givenName: string;
  surname: string;
  displayName: string;
  mail: string;
  department: string;
  employeeNumber: string;
  /** key of the manager (always a user created earlier, so manager links never form a cycle). */
  managerKey: string | null;
  /** accountEnabled, and false while soft-deleted: Entra provisions `active` from both. */
  active: boolean;
  state: UserState;
}

export interface SimGroup {
  /** Entra objectId; provisioned as externalId. */
  key: string;
  displayName: string;
  /** user keys, in insertion order (deterministic). */
  members: Set<string>;
}

export interface Directory {
  /** Tag derived from the seed; namespaces UPNs and group names so runs with other seeds don't collide. */
  tag: string;
  domain: string;
  users: SimUser[];
  groups: SimGroup[];
  /** users by key (same objects as `users`). */
  index: Map<string, SimUser>;
  /** Monotonic counter for fresh unique values (renames, new numbers). */
  serial: number;
}

export interface DirectorySize {
  users: number;
  groups: number;
  membersPerGroup: number;
}

export function directoryTag(seed: string): string {
  const safe = seed
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 12);
  return `s${safe || '0'}`;
}

export function createDirectory(seed: string, size: DirectorySize, rng: Rng): Directory {
  const tag = directoryTag(seed);
  const domain = `${tag}.sim.example.com`;
  const users: SimUser[] = [];
  for (let i = 0; i < size.users; i++) {
    const givenName = rng.pick(GIVEN_NAMES);
    const surname = rng.pick(FAMILY_NAMES);
    // The index keeps nicknames unique; managers are drawn from the first eighth so a hierarchy forms.
    const mailNickname = `${givenName}.${surname}${i + 1}`.toLowerCase();
    const manager = i === 0 || rng.chance(0.1) ? undefined : users[rng.int(Math.max(1, Math.ceil(i / 8)))];
    users.push({
      key: rng.guid(),
      mailNickname,
      userPrincipalName: `${mailNickname}@${domain}`,
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      mail: `${mailNickname}@${domain}`,
      department: rng.pick(DEPARTMENTS),
      employeeNumber: String(100000 + i * 7 + rng.int(7)),
      managerKey: manager?.key ?? null,
      active: true,
      state: 'present',
    });
  }
  const groups: SimGroup[] = [];
  for (let g = 0; g < size.groups; g++) {
    const members = new Set(
      sampleIndexes(users.length, size.membersPerGroup, rng).map((i) => users[i]?.key ?? ''),
    );
    members.delete('');
    groups.push({
      key: rng.guid(),
      displayName: `${tag} ${rng.pick(DEPARTMENTS)} ${rng.pick(GROUP_NOUNS)} ${g + 1}`,
      members,
    });
  }
  return { tag, domain, users, groups, index: new Map(users.map((u) => [u.key, u])), serial: 0 };
}

/** `wanted` distinct indexes below n, in pick order; bounded work either way. */
export function sampleIndexes(n: number, wanted: number, rng: Rng): number[] {
  const count = Math.min(wanted, n);
  if (count * 2 <= n) {
    // Sparse: rejection sampling; each draw succeeds with probability >= 1/2.
    const picked = new Set<number>();
    for (let tries = 0; picked.size < count && tries < count * 64; tries++) picked.add(rng.int(n));
    for (let i = 0; picked.size < count; i++) picked.add(i);
    return [...picked];
  }
  // Dense: a partial Fisher-Yates shuffle.
  const indexes = Array.from({ length: n }, (_, i) => i);
  for (let m = 0; m < count; m++) {
    const j = m + rng.int(n - m);
    const a = indexes[m] ?? 0;
    indexes[m] = indexes[j] ?? 0;
    indexes[j] = a;
  }
  return indexes.slice(0, count);
}

export const liveUsers = (dir: Directory): SimUser[] => dir.users.filter((u) => u.state !== 'deleted');

export const userByKey = (dir: Directory, key: string): SimUser | undefined => dir.index.get(key);

/** A JSON-friendly copy (sets as arrays, no index) for determinism tests and debugging. */
export function snapshotDirectory(dir: Directory): unknown {
  return {
    tag: dir.tag,
    domain: dir.domain,
    serial: dir.serial,
    users: dir.users.map((u) => ({ ...u })),
    groups: dir.groups.map((g) => ({ ...g, members: [...g.members] })),
  };
}
