// Provisioning activity over time: one GROUP BY (bucket, action, outcome) over the worker's hourly
// counts and the events of the hours not counted yet, then a dense series (empty buckets as zeros).
import { activityCountedUntil } from '@repo/domain';
import { fragment, joinSql, runSql, type EntityManager, type SqlFragment } from '../../sql/read-sql.js';
import type { Dialect } from '../../sql/sql-dialect.js';
import { badInput } from '../errors.js';
import type { ACTORS } from './dto.js';
import { integer, oneOf, text } from './row.js';
import { BUCKET_MS, bucketSql, floorToBucket, type BucketSize } from './time-bucket.js';

/** Long enough for a month by the hour or a year by the day, short enough to stay one cheap query. */
export const MAX_BUCKETS: Record<BucketSize, number> = { hour: 24 * 31, day: 366 };

export interface OperationCount {
  action: string;
  succeeded: number;
  failed: number;
  total: number;
}

export interface ActivityPointDto {
  start: Date;
  end: Date;
  succeeded: number;
  failed: number;
  total: number;
  operations: OperationCount[];
}

export interface ProvisioningActivityDto {
  bucket: BucketSize;
  from: Date;
  to: Date;
  points: ActivityPointDto[];
}

export interface ActivityQuery {
  from: Date;
  to: Date;
  bucket: BucketSize;
  actor?: (typeof ACTORS)[number] | null | undefined;
}

export async function provisioningActivity(
  em: EntityManager,
  dialect: Dialect,
  organizationId: string,
  query: ActivityQuery,
): Promise<ProvisioningActivityDto> {
  const size = BUCKET_MS[query.bucket];
  const from = floorToBucket(query.from, query.bucket);
  const { to } = query;
  if (to.getTime() <= from.getTime()) throw badInput('"range.to" must be after "range.from".');
  const buckets = Math.ceil((to.getTime() - from.getTime()) / size);
  if (buckets > MAX_BUCKETS[query.bucket]) {
    throw badInput(
      `The range spans ${buckets} ${query.bucket} buckets; at most ${MAX_BUCKETS[query.bucket]} are allowed. Use a shorter range or bucket: DAY.`,
    );
  }

  // Hours the worker has counted (audit_activity_hour) are read from there; the rest of the range,
  // at most the hour or so before now, from the events themselves.
  const counted = await activityCountedUntil(em);
  const split = new Date(
    Math.max(from.getTime(), Math.min(counted?.getTime() ?? 0, floorToBucket(to, 'hour').getTime())),
  );
  const byHour = bucketSql('h.hour', query.bucket, dialect);
  const byEvent = bucketSql('a.created_at', query.bucket, dialect);
  const actor = (alias: string) => (query.actor ? fragment(` and ${alias}.actor = ?`, [query.actor]) : null);
  const rows = await runSql(
    em,
    joinSql(
      [
        fragment(
          `select ${byEvent.label('s.b')} as bucket_start, s.action, s.outcome, sum(s.n) as n from (
             select ${byHour.group} as b, h.action, h.outcome, sum(h.events) as n from audit_activity_hour h
             where h.organization_id = ? and h.hour >= ? and h.hour < ?`,
          [organizationId, dialect.timeParam(from), dialect.timeParam(split)],
        ),
        actor('h'),
        fragment(
          `group by ${byHour.group}, h.action, h.outcome
           union all
           select ${byEvent.group} as b, a.action, a.outcome, count(*) as n from audit_event a
           where a.organization_id = ? and a.created_at >= ? and a.created_at < ?`,
          [organizationId, dialect.timeParam(split), dialect.timeParam(to)],
        ),
        actor('a'),
        fragment(`group by ${byEvent.group}, a.action, a.outcome) s group by s.b, s.action, s.outcome`),
      ].filter((f): f is SqlFragment => f !== null),
      ' ',
    ),
  );

  const points: ActivityPointDto[] = Array.from({ length: buckets }, (_, i) => {
    const start = new Date(from.getTime() + i * size);
    return {
      start,
      end: new Date(start.getTime() + size),
      succeeded: 0,
      failed: 0,
      total: 0,
      operations: [],
    };
  });
  const operations = new Map<string, OperationCount>();
  for (const row of rows) {
    const index = Math.floor((Date.parse(text(row, 'bucket_start')) - from.getTime()) / size);
    const point = points[index];
    if (!point) continue;
    const n = integer(row, 'n');
    const failed = oneOf(row, 'outcome', ['success', 'failure'] as const) === 'failure';
    const action = text(row, 'action');
    const opKey = `${index}\u0000${action}`;
    let op = operations.get(opKey);
    if (!op) {
      op = { action, succeeded: 0, failed: 0, total: 0 };
      operations.set(opKey, op);
      point.operations.push(op);
    }
    for (const target of [point, op]) {
      target.total += n;
      if (failed) target.failed += n;
      else target.succeeded += n;
    }
  }
  for (const point of points)
    point.operations.sort((a, b) => b.total - a.total || a.action.localeCompare(b.action));
  return { bucket: query.bucket, from, to, points };
}
