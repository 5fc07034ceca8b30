// Time ranges as SQL: half-open [from, to), bound through the dialect (timestamptz or epoch ms).
import { fragment, type SqlFragment } from '../../sql/read-sql.js';
import type { Dialect } from '../../sql/sql-dialect.js';
import { badInput } from '../errors.js';
import type { TimeRange } from './dto.js';

export function checkRange(range: TimeRange | null | undefined): void {
  if (range?.from && range.to && range.from.getTime() > range.to.getTime()) {
    throw badInput('"range.from" must not be after "range.to".');
  }
}

/** `column` within the range; an open end is no condition. */
export function withinSql(
  column: string,
  range: TimeRange | null | undefined,
  dialect: Dialect,
): SqlFragment[] {
  checkRange(range);
  const parts: SqlFragment[] = [];
  if (range?.from) parts.push(fragment(`${column} >= ?`, [dialect.timeParam(range.from)]));
  if (range?.to) parts.push(fragment(`${column} < ?`, [dialect.timeParam(range.to)]));
  return parts;
}

/** Something seen from `firstColumn` to `lastColumn` overlaps the range. */
export function overlapsSql(
  firstColumn: string,
  lastColumn: string,
  range: TimeRange | null | undefined,
  dialect: Dialect,
): SqlFragment[] {
  checkRange(range);
  const parts: SqlFragment[] = [];
  if (range?.from) parts.push(fragment(`${lastColumn} >= ?`, [dialect.timeParam(range.from)]));
  if (range?.to) parts.push(fragment(`${firstColumn} < ?`, [dialect.timeParam(range.to)]));
  return parts;
}
