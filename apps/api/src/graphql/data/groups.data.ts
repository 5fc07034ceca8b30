// Groups of one organization (alphabetical keyset on the unique display_name_lower), and the
// groups of many members in one statement for the dataloader.
import { lower } from '@repo/domain';
import { isUuid } from '../../scim/filter-values.js';
import {
  fragment,
  joinSql,
  runSql,
  type EntityManager,
  type Row,
  type SqlFragment,
} from '../../sql/read-sql.js';
import { likeSql, type Dialect } from '../../sql/sql-dialect.js';
import { badInput } from '../errors.js';
import type { GroupDto } from './dto.js';
import { keysetConnection, type Connection, type PageArgs } from './keyset.js';
import { integer, text, textOrNull, time } from './row.js';

const COLUMNS =
  'g.id, g.organization_id, g.display_name, g.external_id, g.member_count, g.created_at, g.updated_at';

const toGroup = (row: Row, dialect: Dialect): GroupDto => ({
  id: text(row, 'id'),
  organizationId: text(row, 'organization_id'),
  displayName: text(row, 'display_name'),
  externalId: textOrNull(row, 'external_id'),
  // Maintained by the membership set operations: no count over group_membership.
  memberCount: integer(row, 'member_count'),
  createdAt: time(row, 'created_at', dialect),
  updatedAt: time(row, 'updated_at', dialect),
});

export interface GroupFilter {
  /** Prefix of the display name, case-insensitive. */
  search?: string | null | undefined;
}

function groupWhere(organizationId: string, filter: GroupFilter): SqlFragment {
  const parts = [fragment('g.organization_id = ?', [organizationId])];
  if (filter.search != null && filter.search !== '') {
    if (filter.search.length > 300) throw badInput('"search" is at most 300 characters.');
    parts.push(likeSql('g.display_name_lower', 'sw', lower(filter.search)));
  }
  return joinSql(parts, ' and ');
}

export const groupsConnection = (
  em: EntityManager,
  dialect: Dialect,
  organizationId: string,
  filter: GroupFilter,
  args: PageArgs,
): Promise<Connection<GroupDto>> =>
  keysetConnection(
    em,
    dialect,
    {
      tag: 'group',
      sortKind: 'text',
      idKind: 'uuid',
      select: COLUMNS,
      from: 'member_group g',
      where: groupWhere(organizationId, filter),
      sortExpr: 'g.display_name_lower',
      idExpr: 'g.id',
      descending: false,
      map: (row) => toGroup(row, dialect),
    },
    args,
  );

export async function groupById(
  em: EntityManager,
  dialect: Dialect,
  organizationId: string,
  id: string,
): Promise<GroupDto | null> {
  if (!isUuid(id)) return null;
  const [row] = await runSql(
    em,
    fragment(`select ${COLUMNS} from member_group g where g.organization_id = ? and g.id = ?`, [
      organizationId,
      id.toLowerCase(),
    ]),
  );
  return row ? toGroup(row, dialect) : null;
}

/**
 * The groups of many members in ONE statement (group_membership_member_index), for the
 * dataloader: a page of 100 members costs one query for all their groups, not 100.
 */
export async function groupsOfMembers(
  em: EntityManager,
  dialect: Dialect,
  memberIds: readonly string[],
): Promise<Map<string, GroupDto[]>> {
  const byMember = new Map<string, GroupDto[]>(memberIds.map((id) => [id, []]));
  if (memberIds.length === 0) return byMember;
  const rows = await runSql(
    em,
    fragment(
      `select gm.member_id, ${COLUMNS} from group_membership gm join member_group g on g.id = gm.group_id
       where gm.member_id in (${memberIds.map(() => '?').join(', ')})
       order by g.display_name_lower, g.id`,
      [...memberIds],
    ),
  );
  for (const row of rows) byMember.get(text(row, 'member_id'))?.push(toGroup(row, dialect));
  return byMember;
}
