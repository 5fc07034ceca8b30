// Typed reads of raw rows beyond scim/row-values: booleans (SQLite says 0/1) and timestamps
// (PostgreSQL gives Date, SQLite epoch ms), through the request's dialect.
import type { Row } from '../../sql/read-sql.js';
import type { Dialect } from '../../sql/sql-dialect.js';

export { integer, text, textOrNull } from '../../sql/row-values.js';

export function bool(row: Row, column: string): boolean {
  const value = row[column];
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1 || value === 0n || value === 1n) return Number(value) === 1;
  throw new Error(`Expected a boolean in column ${column}, got ${String(value)}`);
}

export const time = (row: Row, column: string, dialect: Dialect): Date => dialect.readTime(row[column]);

export function timeOrNull(row: Row, column: string, dialect: Dialect): Date | null {
  const value = row[column];
  return value === null || value === undefined ? null : dialect.readTime(value);
}

/** One of a closed set of stored values (enum columns). */
export function oneOf<const T extends string>(row: Row, column: string, values: readonly T[]): T {
  const value = row[column];
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  throw new Error(`Unexpected value in column ${column}: ${String(value)}`);
}
