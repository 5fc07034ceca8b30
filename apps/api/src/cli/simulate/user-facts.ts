// A SCIM user reduced to the facts the simulator compares (the IdP's view of the target object).
import type { AttrChange, SimpleAttr, UserPatch, UserTarget } from './dialects.js';
import type { ScimUser } from './responses.js';
import { ENTERPRISE_USER } from './scim-uris.js';

export interface UserFacts {
  id: string;
  userName: string;
  externalId: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  formatted: string | null;
  workEmail: string | null;
  department: string | null;
  employeeNumber: string | null;
  managerId: string | null;
  /** 'string' = returned as a bare id, which Entra can't deserialize. */
  managerShape: 'absent' | 'object' | 'string';
  active: boolean | null;
}

export function userFacts(u: ScimUser): UserFacts {
  const ext = u[ENTERPRISE_USER];
  const manager = ext?.manager;
  const work = u.emails?.find((e) => e.type?.toLowerCase() === 'work');
  return {
    id: u.id,
    userName: u.userName,
    externalId: u.externalId ?? null,
    displayName: u.displayName ?? null,
    givenName: u.name?.givenName ?? null,
    familyName: u.name?.familyName ?? null,
    formatted: u.name?.formatted ?? null,
    workEmail: work?.value ?? null,
    department: ext?.department ?? null,
    employeeNumber: ext?.employeeNumber ?? null,
    managerId: typeof manager === 'string' ? manager : (manager?.value ?? null),
    managerShape:
      manager === null || manager === undefined
        ? 'absent'
        : typeof manager === 'string'
          ? 'string'
          : 'object',
    active: u.active ?? null,
  };
}

/** The facts of a user known to equal `target` (after a create or a sync). */
export function factsFromTarget(id: string, t: UserTarget, managerId: string | null): UserFacts {
  return {
    id,
    userName: t.userName,
    externalId: t.externalId,
    displayName: t.displayName,
    givenName: t.givenName,
    familyName: t.familyName,
    formatted: t.formatted,
    workEmail: t.workEmail,
    department: t.department,
    employeeNumber: t.employeeNumber,
    managerId,
    managerShape: managerId === null ? 'absent' : 'object',
    active: t.active,
  };
}

/** The attributes each client maps; Okta has no name.formatted mapping. */
export function mappedAttrs(formatted: boolean): SimpleAttr[] {
  const all: SimpleAttr[] = [
    'userName',
    'displayName',
    'workEmail',
    'givenName',
    'familyName',
    'formatted',
    'externalId',
    'employeeNumber',
    'department',
  ];
  return formatted ? all : all.filter((a) => a !== 'formatted');
}

/**
 * What Entra sends after `GET /Users/{id}`: only what differs from the source. `managerId`
 * undefined leaves the manager alone; a cleared manager is never sent (Entra skips nulls).
 */
export function diffUser(
  current: UserFacts,
  target: UserTarget,
  managerId: string | null | undefined,
  opts: { formatted: boolean },
): UserPatch | null {
  const attrs: AttrChange[] = [];
  for (const attr of mappedAttrs(opts.formatted)) {
    const now = current[attr];
    if (now !== target[attr]) attrs.push({ attr, value: target[attr], hadValue: now !== null && now !== '' });
  }
  const patch: UserPatch = { attrs };
  if (managerId && (current.managerId !== managerId || current.managerShape === 'string')) {
    patch.manager = { id: managerId, hadValue: current.managerId !== null };
  }
  if (current.active !== target.active) patch.active = target.active;
  return attrs.length === 0 && !patch.manager && patch.active === undefined ? null : patch;
}
