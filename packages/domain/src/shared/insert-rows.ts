import type { EntityManager } from '@mikro-orm/core';
import { isPostgres } from './locking.js';
import { executeRun, placeholders } from './sql.js';

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
 * Inserts rows into several tables inside the caller's transaction, in the order given (parents
 * before children). On PostgreSQL it is one prepared statement, every insert but the last a
 * data-modifying CTE: a create's member, audit events, invitation and e-mail cost one round trip
 * instead of one each (foreign keys between them hold: PostgreSQL checks them at the statement's
 * end). SQLite has no data-modifying CTEs and runs one insert per table.
 */
export async function insertRows(em: EntityManager, inserts: readonly TableRows[]): Promise<void> {
  const parts = inserts.filter((t) => t.rows.length > 0);
  const last = parts.at(-1);
  if (!last) return;
  if (!isPostgres(em)) {
    for (const t of parts) await executeRun(em, insertSql(t), t.rows.flat());
    return;
  }
  const ctes = parts.slice(0, -1).map((t, i) => `w${i} as (${insertSql(t)})`);
  const sql = `${ctes.length ? `with ${ctes.join(', ')} ` : ''}${insertSql(last)}`;
  await executeRun(
    em,
    sql,
    parts.flatMap((t) => t.rows.flat()),
  );
}
