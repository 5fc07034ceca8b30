// sortBy / sortOrder → ORDER BY through the allow-list, and the keyset condition that continues a
// cursor. `id` always breaks ties, so the order is total and pages never overlap or skip.
import { invalidValue, type AttrPath } from '@repo/scim-adapter';
import { attributeKey, printPath, type ResourceAttributes, type SortColumn } from './attribute-map.js';
import { fragment, type SqlFragment } from '../sql/read-sql.js';
import type { Dialect } from '../sql/sql-dialect.js';

export interface SortSpec {
  column: SortColumn;
  descending: boolean;
  idColumn: string;
}

export interface CursorPosition {
  /** The sort column's value on the last row (a timestamp key as `Dialect.timeKeySql` renders it). */
  key: string | number | null;
  id: string;
}

export function resolveSort(
  attributes: ResourceAttributes,
  sortBy: AttrPath | undefined,
  sortOrder: 'ascending' | 'descending',
): SortSpec {
  const descending = sortOrder === 'descending';
  if (!sortBy) return { column: attributes.defaultSort, descending, idColumn: attributes.idColumn };
  const key = attributeKey(attributes, sortBy);
  const column = key === undefined ? undefined : attributes.sort.get(key);
  if (!column) {
    const names = [...new Set([...attributes.sort.values()].map((c) => c.name))].join(', ');
    throw invalidValue(
      `Sorting ${attributes.resource}s by '${printPath(sortBy)}' is not supported; use one of ${names}`,
    );
  }
  return { column, descending, idColumn: attributes.idColumn };
}

const isIdSort = (spec: SortSpec): boolean => spec.column.expr === spec.idColumn;

/** Null values sort last ascending and first descending, the same on PostgreSQL and SQLite. */
export function orderBySql(spec: SortSpec): string {
  const dir = spec.descending ? 'desc' : 'asc';
  const { expr, nullable } = spec.column;
  const parts: string[] = [];
  if (nullable) parts.push(`case when ${expr} is null then 1 else 0 end ${dir}`);
  if (!isIdSort(spec)) parts.push(`${expr} ${dir}`);
  parts.push(`${spec.idColumn} ${dir}`);
  return parts.join(', ');
}

/** The select expression whose value a cursor carries. */
export const sortKeySql = (spec: SortSpec, dialect: Dialect): string =>
  spec.column.time ? dialect.timeKeySql(spec.column.expr) : spec.column.expr;

/**
 * Rows after `after` in the sort order. A row-value comparison on (sort column, id) lets PostgreSQL
 * seek in the (organization_id, created_at, id) index, so a deep page costs what the first one does.
 */
export function afterSql(spec: SortSpec, after: CursorPosition): SqlFragment {
  const cmp = spec.descending ? '<' : '>';
  const { expr, nullable } = spec.column;
  const id = spec.idColumn;
  if (isIdSort(spec)) return fragment(`${id} ${cmp} ?`, [after.id]);
  const rowAfter = fragment(`(${expr}, ${id}) ${cmp} (?, ?)`, [after.key, after.id]);
  if (!nullable) return rowAfter;
  // Nulls form the last block ascending, the first block descending.
  if (after.key === null) {
    return spec.descending
      ? fragment(`((${expr} is null and ${id} < ?) or ${expr} is not null)`, [after.id])
      : fragment(`(${expr} is null and ${id} > ?)`, [after.id]);
  }
  return spec.descending
    ? fragment(`(${expr} is not null and ${rowAfter.sql})`, rowAfter.params)
    : fragment(`((${expr} is not null and ${rowAfter.sql}) or ${expr} is null)`, rowAfter.params);
}
