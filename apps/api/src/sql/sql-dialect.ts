// The few places where PostgreSQL and SQLite differ for the read stores: how timestamps are stored
// and bound, how JSON comes back, and case-sensitive pattern matching.
import { isPostgres } from '@repo/domain';
import { fragment, type EntityManager, type SqlFragment } from './read-sql.js';

export type DialectKind = 'postgresql' | 'sqlite';

export interface Dialect {
  kind: DialectKind;
  /** A timestamp as a bound parameter (timestamptz on PostgreSQL, epoch milliseconds on SQLite). */
  timeParam(date: Date): string | number;
  /** A stored timestamp as returned by the driver. */
  readTime(value: unknown): Date;
  /** A stored JSON document as returned by the driver. */
  readJson(value: unknown): Record<string, unknown>;
  /**
   * An exact timestamp key for cursors: JS Dates keep milliseconds, PostgreSQL keeps microseconds,
   * so PostgreSQL renders the column as ISO text with microseconds.
   */
  timeKeySql(column: string): string;
  /** `column` contains / starts with / ends with `value`, case-sensitively. */
  matchExact(column: string, op: 'co' | 'sw' | 'ew', value: string): SqlFragment;
}

/** LIKE pattern pieces are escaped with a backslash (`escape '\'` in the SQL). */
export const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const escapeGlob = (value: string): string => value.replace(/[*?[]/g, (c) => `[${c}]`);

function wrap(op: 'co' | 'sw' | 'ew', escaped: string, any: string): string {
  if (op === 'sw') return `${escaped}${any}`;
  if (op === 'ew') return `${any}${escaped}`;
  return `${any}${escaped}${any}`;
}

/** `expr like <pattern>`; `placeholder` may wrap the parameter, e.g. `lower(cast(? as text))`. */
export const likeSql = (
  expr: string,
  op: 'co' | 'sw' | 'ew',
  value: string,
  placeholder = '?',
): SqlFragment => fragment(`${expr} like ${placeholder} escape '\\'`, [wrap(op, escapeLike(value), '%')]);

function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
  if (Number.isNaN(date.getTime()))
    throw new Error(`Unreadable timestamp from the database: ${String(value)}`);
  return date;
}

function toJson(value: unknown): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('Stored SCIM document is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export const POSTGRES: Dialect = {
  kind: 'postgresql',
  timeParam: (date) => date.toISOString(),
  readTime: toDate,
  readJson: toJson,
  timeKeySql: (column) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  // PostgreSQL's LIKE is case-sensitive.
  matchExact: (column, op, value) => likeSql(column, op, value),
};

export const SQLITE: Dialect = {
  kind: 'sqlite',
  // MikroORM stores SQLite datetimes as epoch milliseconds.
  timeParam: (date) => date.getTime(),
  readTime: toDate,
  readJson: toJson,
  timeKeySql: (column) => column,
  // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive.
  matchExact: (column, op, value) => fragment(`${column} glob ?`, [wrap(op, escapeGlob(value), '*')]),
};

export const dialectOf = (em: EntityManager): Dialect => (isPostgres(em) ? POSTGRES : SQLITE);
