// Members of a page of groups in one query (per 1,000 groups), never one query per group.
//
// Cost: SCIM requires `members` in full, so a listed group with 100k members returns 100k rows; IdPs
// avoid that with excludedAttributes=members (includeMembers false), which never touches
// group_membership. The (group_id, member_id) primary key serves the lookup and the order.
import type { GroupMemberView } from '@repo/scim-adapter';
import { fragment, runSql, type EntityManager } from '../sql/read-sql.js';
import { text } from '../sql/row-values.js';

const CHUNK = 1000;

export async function loadGroupMembers(
  em: EntityManager,
  organizationId: string,
  groupIds: readonly string[],
): Promise<Map<string, GroupMemberView[]>> {
  const members = new Map<string, GroupMemberView[]>(groupIds.map((id) => [id, []]));
  for (let i = 0; i < groupIds.length; i += CHUNK) {
    const ids = groupIds.slice(i, i + CHUNK);
    const rows = await runSql(
      em,
      fragment(
        `select gm.group_id, gm.member_id, coalesce(m.display_name, m.user_name) as display
         from group_membership gm join member m on m.id = gm.member_id
         where gm.group_id in (${ids.map(() => '?').join(', ')}) and m.organization_id = ?
         order by gm.group_id, gm.member_id`,
        [...ids, organizationId],
      ),
    );
    for (const row of rows) {
      members
        .get(text(row, 'group_id'))
        ?.push({ value: text(row, 'member_id'), display: text(row, 'display') });
    }
  }
  return members;
}
