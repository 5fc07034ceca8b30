// The verifier's pure half: what the service should hold (from the directory and the ids the IdP
// recorded) and how that differs from what it does hold.
import type { Dialect } from './dialects.js';
import type { Directory } from './directory.js';
import { userTarget } from './target.js';
import type { UserFacts } from './user-facts.js';

export interface ExpectedUser extends Omit<UserFacts, 'id' | 'managerShape' | 'formatted'> {
  id: string | null;
  /** undefined = the client doesn't map it (Okta): not compared. */
  formatted: string | undefined;
}

export interface GroupFacts {
  id: string;
  displayName: string;
  externalId: string | null;
  memberIds: string[];
}

export interface ExpectedGroup extends Omit<GroupFacts, 'id' | 'externalId'> {
  id: string | null;
  /** undefined = the client doesn't send it (Okta): not compared. */
  externalId: string | undefined;
}

export interface ExpectedState {
  users: ExpectedUser[];
  groups: ExpectedGroup[];
  /** The directory's namespace: resources outside it belong to somebody else and are ignored. */
  ownsUser: (userName: string) => boolean;
  ownsGroup: (displayName: string) => boolean;
}

export interface ActualState {
  users: UserFacts[];
  groups: GroupFacts[];
}

export interface Difference {
  resource: 'User' | 'Group';
  /** userName / displayName as the directory knows it. */
  name: string;
  id: string | null;
  issue: string;
}

const NOT_PROVISIONED = '(never provisioned)';

export function expectedState(
  dir: Directory,
  userIds: ReadonlyMap<string, string>,
  groupIds: ReadonlyMap<string, string>,
  dialect: Dialect,
): ExpectedState {
  const users = dir.users
    .filter((u) => u.state !== 'deleted')
    .map((u): ExpectedUser => {
      const t = userTarget(u);
      return {
        ...t,
        id: userIds.get(u.key) ?? null,
        formatted: dialect === 'okta' ? undefined : t.formatted,
        managerId: u.managerKey ? (userIds.get(u.managerKey) ?? NOT_PROVISIONED) : null,
      };
    });
  const groups = dir.groups.map((g): ExpectedGroup => ({
    id: groupIds.get(g.key) ?? null,
    displayName: g.displayName,
    externalId: dialect === 'okta' ? undefined : g.key,
    memberIds: [...g.members].flatMap((k) => {
      const id = userIds.get(k);
      return id ? [id] : [];
    }),
  }));
  const domain = `@${dir.domain}`.toLowerCase();
  return {
    users,
    groups,
    ownsUser: (userName) => userName.toLowerCase().endsWith(domain),
    ownsGroup: (displayName) => displayName.startsWith(`${dir.tag} `),
  };
}

const show = (v: unknown): string => (v === null || v === undefined ? 'absent' : JSON.stringify(v));

const USER_FIELDS = [
  'userName',
  'externalId',
  'displayName',
  'givenName',
  'familyName',
  'formatted',
  'workEmail',
  'department',
  'employeeNumber',
  'active',
  'managerId',
] as const;

const FIELD_LABEL: Record<(typeof USER_FIELDS)[number], string> = {
  userName: 'userName',
  externalId: 'externalId',
  displayName: 'displayName',
  givenName: 'name.givenName',
  familyName: 'name.familyName',
  formatted: 'name.formatted',
  workEmail: 'emails[type eq "work"].value',
  department: 'enterprise department',
  employeeNumber: 'enterprise employeeNumber',
  active: 'active',
  managerId: 'enterprise manager.value',
};

export function diffStates(expected: ExpectedState, actual: ActualState): Difference[] {
  const out: Difference[] = [];
  const userById = new Map(actual.users.map((u) => [u.id, u]));
  const userByName = new Map(actual.users.map((u) => [u.userName.toLowerCase(), u]));
  const nameOfId = new Map(actual.users.map((u) => [u.id, u.userName]));
  const seenUsers = new Set<string>();

  for (const want of expected.users) {
    const got = want.id ? userById.get(want.id) : userByName.get(want.userName.toLowerCase());
    const base = { resource: 'User' as const, name: want.userName, id: want.id };
    if (!got) {
      out.push({ ...base, issue: want.id ? 'missing' : 'missing (never provisioned)' });
      continue;
    }
    seenUsers.add(got.id);
    for (const field of USER_FIELDS) {
      const w = want[field];
      if (w === undefined) continue;
      if (got[field] !== w) {
        const shown =
          field === 'managerId'
            ? (v: unknown) => (typeof v === 'string' ? (nameOfId.get(v) ?? v) : show(v))
            : show;
        out.push({ ...base, issue: `${FIELD_LABEL[field]} is ${shown(got[field])}, expected ${shown(w)}` });
      }
    }
    if (got.managerShape === 'string')
      out.push({ ...base, issue: 'enterprise manager is a bare string; Entra reads only {"value": id}' });
  }
  for (const u of actual.users) {
    if (!seenUsers.has(u.id) && expected.ownsUser(u.userName)) {
      out.push({
        resource: 'User',
        name: u.userName,
        id: u.id,
        issue: 'exists but should not (deleted or never created)',
      });
    }
  }

  const groupById = new Map(actual.groups.map((g) => [g.id, g]));
  const groupByName = new Map(actual.groups.map((g) => [g.displayName, g]));
  const seenGroups = new Set<string>();
  const memberName = (id: string): string => nameOfId.get(id) ?? id;
  for (const want of expected.groups) {
    const got = want.id ? groupById.get(want.id) : groupByName.get(want.displayName);
    const base = { resource: 'Group' as const, name: want.displayName, id: want.id };
    if (!got) {
      out.push({ ...base, issue: want.id ? 'missing' : 'missing (never provisioned)' });
      continue;
    }
    seenGroups.add(got.id);
    if (got.displayName !== want.displayName)
      out.push({
        ...base,
        issue: `displayName is ${show(got.displayName)}, expected ${show(want.displayName)}`,
      });
    if (want.externalId !== undefined && got.externalId !== want.externalId) {
      out.push({
        ...base,
        issue: `externalId is ${show(got.externalId)}, expected ${show(want.externalId)}`,
      });
    }
    const have = new Set(got.memberIds);
    const should = new Set(want.memberIds);
    const missing = want.memberIds.filter((id) => !have.has(id));
    const extra = got.memberIds.filter((id) => !should.has(id));
    if (missing.length > 0)
      out.push({ ...base, issue: `members missing: ${missing.map(memberName).join(', ')}` });
    if (extra.length > 0)
      out.push({ ...base, issue: `unexpected members: ${extra.map(memberName).join(', ')}` });
  }
  for (const g of actual.groups) {
    if (!seenGroups.has(g.id) && expected.ownsGroup(g.displayName)) {
      out.push({ resource: 'Group', name: g.displayName, id: g.id, issue: 'exists but should not' });
    }
  }
  return out;
}
