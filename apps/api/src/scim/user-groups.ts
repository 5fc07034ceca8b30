// A user's `groups`, selected with the user in the same query (a correlated subquery served by the
// membership's member_id index) rather than by a second round trip: Entra's match lookup asks for
// them on every user it provisions. Skipped entirely when the client doesn't ask for `groups`.
import type { UserGroupView } from '@repo/scim-adapter';
import type { Dialect } from '../sql/sql-dialect.js';

const MEMBERSHIPS = `from group_membership gm join member_group g on g.id = gm.group_id
  where gm.member_id = m.id and g.organization_id = m.organization_id`;

/** A select-list entry `… as groups`: a JSON array of {value, display}, ordered by displayName. */
export function userGroupsColumn(dialect: Dialect): string {
  return dialect.kind === 'postgresql'
    ? `(select coalesce(json_agg(json_build_object('value', g.id, 'display', g.display_name)
         order by g.display_name_lower), '[]') ${MEMBERSHIPS}) as groups`
    : `(select json_group_array(json_object('value', x.id, 'display', x.display_name))
         from (select g.id, g.display_name ${MEMBERSHIPS} order by g.display_name_lower) x) as groups`;
}

export function readUserGroups(value: unknown): UserGroupView[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) throw new Error('Unreadable groups column from the database');
  return parsed.map((g: { value: unknown; display: unknown }) => ({
    value: String(g.value),
    display: String(g.display),
  }));
}
