// Request bodies exactly as each client sends them: Entra's default ("legacy") PATCH dialect and the
// `?aadOptscim062020` one (entra-client.md §1.2–1.6, §2.2), and Okta's (PUT users, PATCH groups).
import { ADSCIM_GROUP, CORE_GROUP, CORE_USER, ENTERPRISE_USER, PATCH_OP } from './scim-uris.js';

export const DIALECTS = ['legacy', 'aadOptscim062020', 'okta'] as const;
export type Dialect = (typeof DIALECTS)[number];
export type EntraDialect = Exclude<Dialect, 'okta'>;

/** What the simulated IdP knows about a user: its source attributes mapped to SCIM. */
export interface UserTarget {
  externalId: string;
  userName: string;
  displayName: string;
  givenName: string;
  familyName: string;
  /** Entra maps name.formatted ← Join(" ", givenName, surname); Okta doesn't send it. */
  formatted: string;
  workEmail: string;
  department: string;
  employeeNumber: string;
  active: boolean;
}

export type SimpleAttr =
  | 'userName'
  | 'displayName'
  | 'workEmail'
  | 'givenName'
  | 'familyName'
  | 'formatted'
  | 'externalId'
  | 'employeeNumber'
  | 'department';

/** A changed single-valued attribute; `hadValue` false ⇒ Entra sends `Add` instead of `Replace`. */
export interface AttrChange {
  attr: SimpleAttr;
  value: string;
  hadValue: boolean;
}

/** Everything one Entra user PATCH carries. */
export interface UserPatch {
  attrs: AttrChange[];
  manager?: { id: string; hadValue: boolean };
  active?: boolean;
}

export interface MemberRef {
  id: string;
  /** Okta sends the member's display name; Entra doesn't. */
  display: string;
}

export type Json = Record<string, unknown>;
export interface PatchBody {
  schemas: [typeof PATCH_OP];
  Operations: Json[];
}

const MANAGER_PATH = `${ENTERPRISE_USER}:manager`;

/** SCIM paths, in the order Entra lists the operations (the doc's "several attributes" example). */
export const ATTR_PATHS: Record<SimpleAttr, string> = {
  userName: 'userName',
  displayName: 'displayName',
  workEmail: 'emails[type eq "work"].value',
  givenName: 'name.givenName',
  familyName: 'name.familyName',
  formatted: 'name.formatted',
  externalId: 'externalId',
  employeeNumber: `${ENTERPRISE_USER}:employeeNumber`,
  department: `${ENTERPRISE_USER}:department`,
};
const ATTR_ORDER = Object.keys(ATTR_PATHS) as SimpleAttr[];
const CAPITALISED = { add: 'Add', replace: 'Replace' } as const;

const patchOp = (Operations: Json[]): PatchBody => ({ schemas: [PATCH_OP], Operations });
const ordered = (attrs: AttrChange[]): AttrChange[] =>
  [...attrs].sort((a, b) => ATTR_ORDER.indexOf(a.attr) - ATTR_ORDER.indexOf(b.attr));

// ---- users ---------------------------------------------------------------------------------------

/** POST /Users as Entra sends it: read-only `meta`, empty `roles`, no manager (linked afterwards). */
export function entraUserCreate(t: UserTarget): Json {
  return {
    schemas: [CORE_USER, ENTERPRISE_USER],
    externalId: t.externalId,
    userName: t.userName,
    active: t.active,
    displayName: t.displayName,
    emails: [{ primary: true, type: 'work', value: t.workEmail }],
    meta: { resourceType: 'User' },
    name: { formatted: t.formatted, familyName: t.familyName, givenName: t.givenName },
    roles: [],
    [ENTERPRISE_USER]: { employeeNumber: t.employeeNumber, department: t.department },
  };
}

/** Okta's user (POST, and PUT with `id`): the whole resource every time. */
export function oktaUser(t: UserTarget, opts: { id?: string; managerId?: string | null } = {}): Json {
  const extension: Json = { employeeNumber: t.employeeNumber, department: t.department };
  if (opts.managerId) extension['manager'] = { value: opts.managerId };
  return {
    schemas: [CORE_USER, ENTERPRISE_USER],
    ...(opts.id === undefined ? {} : { id: opts.id }),
    userName: t.userName,
    name: { givenName: t.givenName, familyName: t.familyName },
    emails: [{ primary: true, value: t.workEmail, type: 'work' }],
    displayName: t.displayName,
    externalId: t.externalId,
    active: t.active,
    groups: [],
    [ENTERPRISE_USER]: extension,
  };
}

/**
 * Entra's user PATCH. Legacy: one capitalised op per attribute, `active` as "True"/"False".
 * aadOptscim062020: the filtered e-mail path stays its own op, every other replaced attribute goes
 * into ONE path-less `replace` keyed by dotted / URN paths, previously empty ones are pathed `add`s,
 * `active` is a boolean. The manager is a pathed op with a bare id in both.
 */
export function entraUserPatch(dialect: EntraDialect, patch: UserPatch): PatchBody {
  const legacy = dialect === 'legacy';
  const op = (name: 'add' | 'replace'): string => (legacy ? CAPITALISED[name] : name);
  const pathed = (name: 'add' | 'replace', path: string, value: unknown): Json => ({
    op: op(name),
    path,
    value,
  });
  const ops: Json[] = [];
  if (legacy) {
    for (const c of ordered(patch.attrs))
      ops.push(pathed(c.hadValue ? 'replace' : 'add', ATTR_PATHS[c.attr], c.value));
  } else {
    const changes = ordered(patch.attrs);
    const email = changes.find((c) => c.attr === 'workEmail');
    const others = changes.filter((c) => c.attr !== 'workEmail');
    const replaced = others.filter((c) => c.hadValue);
    // Doc order: the e-mail op, then the path-less map, then adds of previously empty attributes.
    if (email) ops.push(pathed(email.hadValue ? 'replace' : 'add', ATTR_PATHS.workEmail, email.value));
    if (replaced.length > 0) {
      ops.push({
        op: 'replace',
        value: Object.fromEntries(replaced.map((c) => [ATTR_PATHS[c.attr], c.value])),
      });
    }
    for (const c of others.filter((o) => !o.hadValue)) ops.push(pathed('add', ATTR_PATHS[c.attr], c.value));
  }
  if (patch.manager)
    ops.push(pathed(patch.manager.hadValue ? 'replace' : 'add', MANAGER_PATH, patch.manager.id));
  if (patch.active !== undefined) {
    ops.push(pathed('replace', 'active', legacy ? (patch.active ? 'True' : 'False') : patch.active));
  }
  return patchOp(ops);
}

/** Okta (de)activation: a path-less replace. */
export const oktaActivePatch = (active: boolean): PatchBody =>
  patchOp([{ op: 'replace', value: { active } }]);

// ---- groups --------------------------------------------------------------------------------------

export function groupCreate(dialect: Dialect, g: { externalId: string; displayName: string }): Json {
  if (dialect === 'okta') return { schemas: [CORE_GROUP], displayName: g.displayName, members: [] };
  return {
    schemas: [CORE_GROUP, ADSCIM_GROUP],
    externalId: g.externalId,
    displayName: g.displayName,
    meta: { resourceType: 'Group' },
  };
}

export function groupAddMembers(dialect: Dialect, members: MemberRef[]): PatchBody {
  switch (dialect) {
    case 'legacy':
      return patchOp([
        { op: 'Add', path: 'members', value: members.map((m) => ({ $ref: null, value: m.id })) },
      ]);
    case 'aadOptscim062020':
      return patchOp([
        { op: 'add', path: 'members', value: members.map((m) => ({ $ref: null, value: m.id })) },
      ]);
    case 'okta':
      return patchOp([
        { op: 'add', path: 'members', value: members.map((m) => ({ value: m.id, display: m.display })) },
      ]);
  }
}

/** Legacy removes by value list (never "all members"); the flag and Okta use a filter path per member. */
export function groupRemoveMembers(dialect: Dialect, memberIds: string[]): PatchBody {
  if (dialect === 'legacy') {
    return patchOp([{ op: 'Remove', path: 'members', value: memberIds.map((id) => ({ value: id })) }]);
  }
  return patchOp(memberIds.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })));
}

export function groupRename(dialect: Dialect, g: { id: string; displayName: string }): PatchBody {
  switch (dialect) {
    case 'legacy':
      return patchOp([{ op: 'Replace', path: 'displayName', value: g.displayName }]);
    case 'aadOptscim062020':
      return patchOp([{ op: 'replace', path: 'displayName', value: g.displayName }]);
    case 'okta':
      return patchOp([{ op: 'replace', value: { id: g.id, displayName: g.displayName } }]);
  }
}
