// Members of one organization: filtered, keyset-paged by (created_at, id) on the
// (organization_id, created_at, id) index.
import { lower, MEMBER_STATUSES, type MemberStatus } from '@repo/domain';
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
import { MEMBER_ROLES, type MemberDto } from './dto.js';
import { keysetConnection, type Connection, type PageArgs } from './keyset.js';
import { bool, oneOf, text, textOrNull, time } from './row.js';

export const MEMBER_COLUMNS =
  'm.id, m.organization_id, m.user_name, m.email, m.display_name, m.given_name, m.family_name, m.external_id, m.status, m.role, m.scim_managed, m.created_at, m.updated_at';

export const toMember = (row: Row, dialect: Dialect): MemberDto => ({
  id: text(row, 'id'),
  organizationId: text(row, 'organization_id'),
  userName: text(row, 'user_name'),
  email: textOrNull(row, 'email'),
  displayName: textOrNull(row, 'display_name'),
  givenName: textOrNull(row, 'given_name'),
  familyName: textOrNull(row, 'family_name'),
  externalId: textOrNull(row, 'external_id'),
  status: oneOf(row, 'status', MEMBER_STATUSES),
  role: oneOf(row, 'role', MEMBER_ROLES),
  scimManaged: bool(row, 'scim_managed'),
  createdAt: time(row, 'created_at', dialect),
  updatedAt: time(row, 'updated_at', dialect),
});

export interface MemberFilter {
  status?: readonly MemberStatus[] | null | undefined;
  groupId?: string | null | undefined;
  /** Prefix of the userName or e-mail, case-insensitive. */
  search?: string | null | undefined;
  provisionedSince?: Date | null | undefined;
  scimManaged?: boolean | null | undefined;
}

const MAX_SEARCH_LENGTH = 320;

export const booleanParam = (dialect: Dialect, value: boolean): boolean | number =>
  dialect.kind === 'sqlite' ? Number(value) : value;

function memberWhere(organizationId: string, filter: MemberFilter, dialect: Dialect): SqlFragment {
  const parts: SqlFragment[] = [fragment('m.organization_id = ?', [organizationId])];
  if (filter.status) {
    if (filter.status.length === 0) parts.push(fragment('1 = 0'));
    else parts.push(fragment(`m.status in (${filter.status.map(() => '?').join(', ')})`, [...filter.status]));
  }
  if (filter.groupId != null) {
    // An unknown or malformed group id matches nobody (no uuid cast error on PostgreSQL).
    parts.push(
      isUuid(filter.groupId)
        ? fragment(
            'exists (select 1 from group_membership gm where gm.member_id = m.id and gm.group_id = ?)',
            [filter.groupId.toLowerCase()],
          )
        : fragment('1 = 0'),
    );
  }
  if (filter.search != null && filter.search !== '') {
    if (filter.search.length > MAX_SEARCH_LENGTH)
      throw badInput(`"search" is at most ${MAX_SEARCH_LENGTH} characters.`);
    const prefix = lower(filter.search);
    // Both columns are stored lower-cased, so a plain prefix LIKE is case-insensitive.
    const byName = likeSql('m.user_name_lower', 'sw', prefix);
    const byEmail = likeSql('m.email_lower', 'sw', prefix);
    parts.push(fragment(`(${byName.sql} or ${byEmail.sql})`, [...byName.params, ...byEmail.params]));
  }
  if (filter.provisionedSince != null) {
    parts.push(fragment('m.created_at >= ?', [dialect.timeParam(filter.provisionedSince)]));
  }
  if (filter.scimManaged != null) {
    parts.push(fragment('m.scim_managed = ?', [booleanParam(dialect, filter.scimManaged)]));
  }
  return joinSql(parts, ' and ');
}

export const membersConnection = (
  em: EntityManager,
  dialect: Dialect,
  organizationId: string,
  filter: MemberFilter,
  args: PageArgs,
): Promise<Connection<MemberDto>> =>
  keysetConnection(
    em,
    dialect,
    {
      tag: 'member',
      sortKind: 'time',
      idKind: 'uuid',
      select: MEMBER_COLUMNS,
      from: 'member m',
      where: memberWhere(organizationId, filter, dialect),
      sortExpr: 'm.created_at',
      idExpr: 'm.id',
      descending: false,
      map: (row) => toMember(row, dialect),
    },
    args,
  );

export async function memberById(
  em: EntityManager,
  dialect: Dialect,
  organizationId: string,
  id: string,
): Promise<MemberDto | null> {
  if (!isUuid(id)) return null;
  const [row] = await runSql(
    em,
    fragment(`select ${MEMBER_COLUMNS} from member m where m.organization_id = ? and m.id = ?`, [
      organizationId,
      id.toLowerCase(),
    ]),
  );
  return row ? toMember(row, dialect) : null;
}
