// Sync failures grouped by code, resource type or the day they were last seen: one GROUP BY over
// the organization's failures (the sync_failure_org_status_seen index), filtered like the list.
import { fragment, joinSql, runSql, type EntityManager } from '../../sql/read-sql.js';
import type { Dialect } from '../../sql/sql-dialect.js';
import { syncFailureWhere, type SyncFailureFilter } from './sync-failures.data.js';
import { integer, text } from './row.js';

export type SyncFailureGroupBy = 'code' | 'day' | 'resourceType';

export interface SyncFailureStatDto {
  /** The code, the resource type, or the day as YYYY-MM-DD (UTC). */
  key: string;
  /** Distinct failures (one per fingerprint). */
  failures: number;
  /** How often they happened, in total. */
  occurrences: number;
  open: number;
}

function keySql(groupBy: SyncFailureGroupBy, dialect: Dialect): string {
  switch (groupBy) {
    case 'code':
      return 'f.code';
    case 'resourceType':
      return 'f.resource_type';
    case 'day':
      return dialect.kind === 'sqlite'
        ? "strftime('%Y-%m-%d', f.last_seen_at / 1000, 'unixepoch')"
        : `to_char(f.last_seen_at at time zone 'UTC', 'YYYY-MM-DD')`;
  }
}

export async function syncFailureStats(
  em: EntityManager,
  dialect: Dialect,
  organizationId: string,
  groupBy: SyncFailureGroupBy,
  filter: SyncFailureFilter,
): Promise<SyncFailureStatDto[]> {
  const key = keySql(groupBy, dialect);
  const order = groupBy === 'day' ? 'stat_key' : 'failures desc, stat_key';
  const rows = await runSql(
    em,
    joinSql(
      [
        fragment(
          `select ${key} as stat_key, count(*) as failures, sum(f.occurrences) as occurrences,
                  sum(case when f.status = 'open' then 1 else 0 end) as open_count
           from sync_failure f where`,
        ),
        syncFailureWhere(organizationId, filter, dialect),
        fragment(`group by ${key} order by ${order}`),
      ],
      ' ',
    ),
  );
  return rows.map((row) => ({
    key: text(row, 'stat_key'),
    failures: integer(row, 'failures'),
    occurrences: integer(row, 'occurrences'),
    open: integer(row, 'open_count'),
  }));
}
