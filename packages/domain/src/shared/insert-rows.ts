import type { EntityManager } from '@mikro-orm/core';
import { isPostgres } from './locking.js';
import { execute, executeRun, placeholders } from './sql.js';

/** Rows for one table: the columns, then each row's values in column order. */
export interface TableRows {
  table: string;
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
}

export const insertSql = ({ table, columns, rows }: TableRows): string =>
  `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values ${rows
    .map((r) => `(${placeholders(r.length)})`)
    .join(', ')}`;

/**
 * Inserts rows into several tables, in the order given (parents before children), then runs `sql`
 * and returns its rows; inside the caller's transaction. On PostgreSQL it is one prepared statement,
 * the inserts as data-modifying CTEs before `sql`: a create's member, audit events, invitation and
 * e-mail, or an update and its audit events, cost one round trip instead of one each (foreign keys
 * between them hold: PostgreSQL checks them at the statement's end). SQLite has no data-modifying
 * CTEs and runs one statement each.
 */
export async function withInserts(
  em: EntityManager,
  inserts: readonly TableRows[],
  sql: string,
  params: unknown[],
): Promise<Record<string, unknown>[]> {
  const parts = inserts.filter((t) => t.rows.length > 0);
  if (!isPostgres(em) || !parts.length) {
    for (const t of parts) await executeRun(em, insertSql(t), t.rows.flat());
    return execute(em, sql, params);
  }
  const ctes = parts.map((t, i) => `w${i} as (${insertSql(t)})`).join(', ');
  return execute(em, `with ${ctes} ${sql}`, [...parts.flatMap((t) => t.rows.flat()), ...params]);
}

/** The inserts alone (withInserts with the last of them as its statement). */
export async function insertRows(em: EntityManager, inserts: readonly TableRows[]): Promise<void> {
  const parts = inserts.filter((t) => t.rows.length > 0);
  const last = parts.at(-1);
  if (last) await withInserts(em, parts.slice(0, -1), insertSql(last), last.rows.flat());
}
