// Sync failures of one organization, most recently seen first. The same filter drives the list and
// syncFailureStats, so a stat row and the list filtered by its key always agree.
import { fragment, joinSql, type EntityManager, type Row, type SqlFragment } from '../../sql/read-sql.js';
import type { Dialect } from '../../sql/sql-dialect.js';
import { badInput } from '../errors.js';
import {
  SYNC_FAILURE_STATUSES,
  type SyncFailureDto,
  type SyncFailureStatusValue,
  type TimeRange,
} from './dto.js';
import { keysetConnection, type Connection, type PageArgs } from './keyset.js';
import { integer, oneOf, text, time, timeOrNull } from './row.js';
import { overlapsSql } from './time-range.js';

const COLUMNS =
  'f.id, f.organization_id, f.resource_type, f.operation, f.target, f.code, f.message, f.attempts, f.occurrences, f.status, f.first_seen_at, f.last_seen_at, f.resolved_at, f.notified_at';

const toSyncFailure = (row: Row, dialect: Dialect): SyncFailureDto => ({
  id: text(row, 'id'),
  organizationId: text(row, 'organization_id'),
  resourceType: text(row, 'resource_type'),
  operation: text(row, 'operation'),
  target: text(row, 'target'),
  code: text(row, 'code'),
  message: text(row, 'message'),
  attempts: integer(row, 'attempts'),
  occurrences: integer(row, 'occurrences'),
  status: oneOf(row, 'status', SYNC_FAILURE_STATUSES),
  firstSeenAt: time(row, 'first_seen_at', dialect),
  lastSeenAt: time(row, 'last_seen_at', dialect),
  resolvedAt: timeOrNull(row, 'resolved_at', dialect),
  notifiedAt: timeOrNull(row, 'notified_at', dialect),
});

export interface SyncFailureFilter {
  status?: readonly SyncFailureStatusValue[] | null | undefined;
  code?: string | null | undefined;
  resourceType?: string | null | undefined;
  /** Failures seen at any time within the range (first seen before its end, last seen after its start). */
  range?: TimeRange | null | undefined;
}

export function syncFailureWhere(
  organizationId: string,
  filter: SyncFailureFilter,
  dialect: Dialect,
): SqlFragment {
  const parts: SqlFragment[] = [fragment('f.organization_id = ?', [organizationId])];
  if (filter.status) {
    if (filter.status.length === 0) parts.push(fragment('1 = 0'));
    else parts.push(fragment(`f.status in (${filter.status.map(() => '?').join(', ')})`, [...filter.status]));
  }
  for (const [name, column, max] of [
    ['code', 'f.code', 40],
    ['resourceType', 'f.resource_type', 20],
  ] as const) {
    const value = filter[name];
    if (value == null) continue;
    if (value.length > max) throw badInput(`"${name}" is at most ${max} characters.`);
    parts.push(fragment(`${column} = ?`, [value]));
  }
  parts.push(...overlapsSql('f.first_seen_at', 'f.last_seen_at', filter.range, dialect));
  return joinSql(parts, ' and ');
}

export const syncFailuresConnection = (
  em: EntityManager,
  dialect: Dialect,
  organizationId: string,
  filter: SyncFailureFilter,
  args: PageArgs,
): Promise<Connection<SyncFailureDto>> =>
  keysetConnection(
    em,
    dialect,
    {
      tag: 'syncfail',
      sortKind: 'time',
      idKind: 'uuid',
      select: COLUMNS,
      from: 'sync_failure f',
      where: syncFailureWhere(organizationId, filter, dialect),
      sortExpr: 'f.last_seen_at',
      idExpr: 'f.id',
      descending: true,
      map: (row) => toSyncFailure(row, dialect),
    },
    args,
  );
