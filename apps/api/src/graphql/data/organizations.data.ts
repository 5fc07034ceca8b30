// Organizations: one by id, or all of them as a connection (all-organization tokens only).
import { isUuid } from '../../scim/filter-values.js';
import { fragment, runSql, type EntityManager, type Row } from '../../sql/read-sql.js';
import type { Dialect } from '../../sql/sql-dialect.js';
import type { OrganizationDto } from './dto.js';
import { PROVISION_MODES } from './dto.js';
import { keysetConnection, type Connection, type PageArgs } from './keyset.js';
import { bool, integer, oneOf, text, textOrNull, time, timeOrNull } from './row.js';

const COLUMNS =
  'o.id, o.name, o.seats, o.scim_enabled, o.provision_mode, o.created_at, o.last_scim_request_at, o.last_scim_client';

const toOrganization = (row: Row, dialect: Dialect): OrganizationDto => ({
  id: text(row, 'id'),
  name: text(row, 'name'),
  seats: row['seats'] === null ? null : integer(row, 'seats'),
  scimEnabled: bool(row, 'scim_enabled'),
  provisionMode: oneOf(row, 'provision_mode', PROVISION_MODES),
  createdAt: time(row, 'created_at', dialect),
  lastScimRequestAt: timeOrNull(row, 'last_scim_request_at', dialect),
  lastScimClient: textOrNull(row, 'last_scim_client'),
});

export async function organizationById(
  em: EntityManager,
  dialect: Dialect,
  id: string,
): Promise<OrganizationDto | null> {
  // A malformed id can't exist: no query, and no uuid cast error on PostgreSQL.
  if (!isUuid(id)) return null;
  const [row] = await runSql(
    em,
    fragment(`select ${COLUMNS} from organization o where o.id = ?`, [id.toLowerCase()]),
  );
  return row ? toOrganization(row, dialect) : null;
}

export const organizationsConnection = (
  em: EntityManager,
  dialect: Dialect,
  args: PageArgs,
): Promise<Connection<OrganizationDto>> =>
  keysetConnection(
    em,
    dialect,
    {
      tag: 'org',
      sortKind: 'time',
      idKind: 'uuid',
      select: COLUMNS,
      from: 'organization o',
      where: fragment('1 = 1'),
      sortExpr: 'o.created_at',
      idExpr: 'o.id',
      descending: false,
      map: (row) => toOrganization(row, dialect),
    },
    args,
  );
