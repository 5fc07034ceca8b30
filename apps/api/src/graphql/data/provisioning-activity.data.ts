// Provisioning activity over time from the audit events: one GROUP BY (bucket, action, outcome) on
// the (organization_id, created_at) index, then a dense series (empty buckets as zeros).
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

  const bucket = bucketSql('a.created_at', query.bucket, dialect);
  const where: SqlFragment[] = [
    fragment('a.organization_id = ? and a.created_at >= ? and a.created_at < ?', [
      organizationId,
      dialect.timeParam(from),
      dialect.timeParam(to),
    ]),
  ];
  if (query.actor) where.push(fragment('a.actor = ?', [query.actor]));
  const rows = await runSql(
    em,
    joinSql(
      [
        fragment(
          `select ${bucket.label('s.b')} as bucket_start, s.action, s.outcome, s.n from (
             select ${bucket.group} as b, a.action, a.outcome, count(*) as n from audit_event a where`,
        ),
        joinSql(where, ' and '),
        fragment(`group by ${bucket.group}, a.action, a.outcome) s`),
      ],
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
