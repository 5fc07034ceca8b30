// Group PATCH is planned, not applied: a group may have 100k members, so the database applies these
// steps as set operations instead of rewriting a members array.
import { invalidPath, invalidValue, mutability, noTarget } from '../errors.js';
import type { Filter } from '../filter/index.js';
import { parsePatchBody } from '../patch/parse-body.js';
import { resolveTarget, type Target } from '../patch/target.js';
import type { PatchOpName, PatchOperation } from '../patch/types.js';
import { assertSafeKeys, isPlainObject } from '../schemas/json.js';
import { displayNameOf, externalIdOf } from './group.js';
import { memberIds, memberIdsFromFilter } from './members.js';

export type GroupPatchStep =
  | { kind: 'set'; displayName?: string; externalId?: string | null }
  | { kind: 'addMembers'; ids: string[] }
  | { kind: 'removeMembers'; ids: string[] }
  | { kind: 'replaceMembers'; ids: string[] }
  | { kind: 'removeAllMembers' };

type SetStep = Extract<GroupPatchStep, { kind: 'set' }>;

/** Steps in request order. Member ids are not checked for existence here. */
export function planGroupPatch(body: unknown): GroupPatchStep[] {
  const steps: GroupPatchStep[] = [];
  for (const operation of parsePatchBody(body)) {
    assertSafeKeys(operation.value);
    steps.push(
      ...(operation.path === undefined ? planValueMap(operation) : planPath(operation, operation.path)),
    );
  }
  return steps;
}

/** Path-less add/replace: `{displayName, externalId, members}` in any combination. */
function planValueMap({ op, value }: PatchOperation): GroupPatchStep[] {
  if (op === 'remove') throw noTarget("'remove' needs a path (RFC 7644 §3.5.2.2)");
  if (!isPlainObject(value)) throw invalidValue(`'${op}' without a path needs an object value`);
  const set: SetStep = { kind: 'set' };
  const memberSteps: GroupPatchStep[] = [];
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    // Okta renames with {"op":"replace","value":{"id":"<group id>","displayName":"..."}}; the id
    // is the one in the URL, so it is skipped rather than rejected.
    if (lower === 'schemas' || lower === 'id') continue;
    const steps = planTarget(op, resolveTarget('Group', key), item, key, set);
    memberSteps.push(...steps);
  }
  // Unlike Bitwarden, displayName and externalId in one value map both apply.
  return hasChanges(set) ? [set, ...memberSteps] : memberSteps;
}

function planPath(operation: PatchOperation, path: string): GroupPatchStep[] {
  const set: SetStep = { kind: 'set' };
  const steps = planTarget(operation.op, resolveTarget('Group', path), operation.value, path, set);
  return hasChanges(set) ? [set, ...steps] : steps;
}

/** Records displayName/externalId changes in `set`; returns member steps. */
function planTarget(
  op: PatchOpName,
  target: Target,
  value: unknown,
  label: string,
  set: SetStep,
): GroupPatchStep[] {
  if (target.kind === 'foreign') return []; // schemas we don't serve are ignored, as for users
  if (target.kind === 'extension') throw invalidPath(`Groups have no extension '${target.schemaUri}'`);
  const { def, subDef, filter } = target;
  if (def.mutability === 'readOnly') throw mutability(`'${label}' is read-only`);
  const unassign = op === 'remove' || value === null;

  switch (def.name) {
    case 'displayName':
      if (unassign) throw mutability(`'${label}' is required and cannot be removed`);
      set.displayName = displayNameOf(value);
      return [];
    case 'externalId':
      set.externalId = unassign ? null : externalIdOf(value);
      return [];
    case 'members':
      if (subDef) throw mutability(`'${label}': member sub-attributes cannot be modified`);
      return filter ? planMemberFilter(op, filter, label) : planMembers(op, value);
    default:
      throw invalidPath(`'${label}' cannot be patched on a Group`);
  }
}

function planMembers(op: PatchOpName, value: unknown): GroupPatchStep[] {
  const absent = value === undefined || value === null;
  switch (op) {
    case 'add': {
      const ids = absent ? [] : memberIds(value);
      return ids.length > 0 ? [{ kind: 'addMembers', ids }] : [];
    }
    case 'replace':
      // Okta empties a group with {"op":"replace","path":"members","value":[]}.
      return [{ kind: 'replaceMembers', ids: absent ? [] : memberIds(value) }];
    case 'remove': {
      // No value: RFC 7644 §3.5.2.2 "remove all". With a value list (Entra's legacy dialect): only those.
      if (absent) return [{ kind: 'removeAllMembers' }];
      const ids = memberIds(value);
      return ids.length > 0 ? [{ kind: 'removeMembers', ids }] : [];
    }
  }
}

/** `members[value eq "id"]` (Entra aadOptscim062020 removal; Bitwarden also accepts it for add). */
function planMemberFilter(op: PatchOpName, filter: Filter, label: string): GroupPatchStep[] {
  const ids = memberIdsFromFilter(filter);
  if (!ids) throw invalidPath(`'${label}': only members[value eq "<id>"] filters are supported`);
  if (op === 'remove') return [{ kind: 'removeMembers', ids }];
  if (op === 'add') return [{ kind: 'addMembers', ids }];
  throw invalidPath(`'${label}': replace a member by removing and adding it`);
}

const hasChanges = (set: SetStep): boolean => set.displayName !== undefined || set.externalId !== undefined;
