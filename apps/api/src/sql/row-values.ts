// Typed access to raw rows: drivers return untyped values (PostgreSQL counts as strings, SQLite
// timestamps as numbers), so each read says what it expects.
import type { Row } from './read-sql.js';

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new Error(`Expected text in column ${column}, got ${typeof value}`);
  return value;
}

export function textOrNull(row: Row, column: string): string | null {
  return row[column] === null || row[column] === undefined ? null : text(row, column);
}

export function integer(row: Row, column: string): number {
  const value = row[column];
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' || typeof value === 'bigint'
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(n))
    throw new Error(`Expected an integer in column ${column}, got ${String(value)}`);
  return n;
}

/** The cursor key selected as `sort_key`. */
export function sortKey(row: Row): string | number | null {
  const value = row['sort_key'];
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new Error(`Unexpected sort key type ${typeof value}`);
}
