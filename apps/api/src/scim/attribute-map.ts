// The shape of a resource's attribute allow-list: which SCIM paths can be filtered and sorted on,
// and the SQL behind each. Anything not listed is rejected, never evaluated in memory.
import type { AttrPath } from '@repo/scim-adapter';

/**
 * How a string column is compared:
 * - `exact`: case-sensitive (caseExact attributes such as externalId);
 * - `lowered`: the column holds a lower-cased copy (indexed), values are lower-cased in JS the same way;
 * - `lower`: lower() on both sides at query time (not indexed, fine for rarely filtered attributes).
 */
export type CaseRule = 'exact' | 'lowered' | 'lower';

export type FilterAttribute =
  | { kind: 'string'; column: string; nullable: boolean; caseRule: CaseRule }
  | { kind: 'uuid'; column: string; nullable: boolean }
  | { kind: 'dateTime'; column: string }
  /** SCIM `active`, derived from the member status (`revoked` ⇒ false). */
  | { kind: 'active'; column: string }
  /** Group `members`: membership test through group_membership for the group id column. */
  | { kind: 'membership'; groupIdColumn: string }
  /**
   * Accepted only as an `and` condition inside a value path next to a checked condition, and not
   * evaluated: e.g. `type` in `emails[type eq "work"].value eq "x"` (see user-attributes.ts).
   */
  | { kind: 'qualifier' };

export interface SortColumn {
  /** Canonical name, also written into cursors. */
  name: string;
  expr: string;
  nullable: boolean;
  time: boolean;
}

export interface ResourceAttributes {
  resource: 'User' | 'Group';
  /** Schema URIs (lower-case) that may prefix attribute names, mapped to a key prefix ('' for core). */
  schemaPrefixes: ReadonlyMap<string, string>;
  /** Lower-case path ("name.givenname", "enterprise:manager.value") → SQL. */
  filter: ReadonlyMap<string, FilterAttribute>;
  sort: ReadonlyMap<string, SortColumn>;
  defaultSort: SortColumn;
  idColumn: string;
}

/** The allow-list key of a path, or undefined for an unknown schema URI. */
export function attributeKey(attributes: ResourceAttributes, path: AttrPath): string | undefined {
  const prefix = path.uri === undefined ? '' : attributes.schemaPrefixes.get(path.uri.toLowerCase());
  if (prefix === undefined) return undefined;
  const name = path.sub === undefined ? path.attr : `${path.attr}.${path.sub}`;
  return `${prefix}${name.toLowerCase()}`;
}

export const printPath = (path: AttrPath): string =>
  `${path.uri === undefined ? '' : `${path.uri}:`}${path.attr}${path.sub === undefined ? '' : `.${path.sub}`}`;
