// A member's groups as one select-list entry (a correlated subquery on the membership's member_id
// index) rather than a round trip of their own: the SCIM User reader selects it with the user, and
// a SCIM write's row lock selects it with the row, so the write can answer without a read back.
export interface MemberGroup {
  value: string;
  display: string;
}

const MEMBERSHIPS = `from group_membership gm join member_group g on g.id = gm.group_id
  where gm.member_id = m.id and g.organization_id = m.organization_id`;

/** `… as groups` for a query on `member m`: a JSON array of {value, display} by displayName. */
export function memberGroupsColumn(postgres: boolean): string {
  return postgres
    ? `(select coalesce(json_agg(json_build_object('value', g.id, 'display', g.display_name)
         order by g.display_name_lower), '[]') ${MEMBERSHIPS}) as groups`
    : `(select json_group_array(json_object('value', x.id, 'display', x.display_name))
         from (select g.id, g.display_name ${MEMBERSHIPS} order by g.display_name_lower) x) as groups`;
}

/** The column's value as either driver returns it (parsed JSON on PostgreSQL, text on SQLite). */
export function readMemberGroups(value: unknown): MemberGroup[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) throw new Error('Unreadable groups column from the database');
  return parsed.map((g: { value: unknown; display: unknown }) => ({
    value: String(g.value),
    display: String(g.display),
  }));
}
