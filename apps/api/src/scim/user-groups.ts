// Groups of a page of users in one query (per 1,000 users), served by the membership's member_id
// index; skipped entirely when the client doesn't ask for `groups`.
import type { UserGroupView } from '@repo/scim-adapter';
import { fragment, runSql, type EntityManager } from '../sql/read-sql.js';
import { text } from '../sql/row-values.js';

const CHUNK = 1000;

export async function loadUserGroups(
  em: EntityManager,
  organizationId: string,
  memberIds: readonly string[],
): Promise<Map<string, UserGroupView[]>> {
  const groups = new Map<string, UserGroupView[]>(memberIds.map((id) => [id, []]));
  for (let i = 0; i < memberIds.length; i += CHUNK) {
    const ids = memberIds.slice(i, i + CHUNK);
    const rows = await runSql(
      em,
      fragment(
        `select gm.member_id, g.id as group_id, g.display_name
         from group_membership gm join member_group g on g.id = gm.group_id
         where gm.member_id in (${ids.map(() => '?').join(', ')}) and g.organization_id = ?
         order by gm.member_id, g.display_name_lower`,
        [...ids, organizationId],
      ),
    );
    for (const row of rows) {
      groups
        .get(text(row, 'member_id'))
        ?.push({ value: text(row, 'group_id'), display: text(row, 'display_name') });
    }
  }
  return groups;
}
