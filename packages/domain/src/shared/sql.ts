import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';

type Row = Record<string, unknown>;

/** Raw SQL inside the caller's transaction (set-based writes the unit of work can't express). */
export async function execute(em: EntityManager, sql: string, params: unknown[] = []): Promise<Row[]> {
  const sqlEm = em as unknown as SqlEntityManager;
  return sqlEm.getConnection().execute<Row[]>(sql, params, 'all', sqlEm.getTransactionContext());
}

/** Rows affected by an insert/update/delete. */
export async function executeRun(em: EntityManager, sql: string, params: unknown[] = []): Promise<number> {
  const sqlEm = em as unknown as SqlEntityManager;
  const res = await sqlEm
    .getConnection()
    .execute<{ affectedRows: number }>(sql, params, 'run', sqlEm.getTransactionContext());
  return res.affectedRows;
}

/** `?, ?, ?` for an IN list. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Splits a list so no statement exceeds the drivers' parameter limits. */
export function chunks<T>(items: readonly T[], size = 5000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
