import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { isPostgres } from './locking.js';

type Row = Record<string, unknown>;

interface PgResult {
  rows: Row[];
  rowCount: number | null;
}
interface PgConnection {
  query(q: { name?: string; text: string; values: unknown[] }): Promise<PgResult>;
}
interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/**
 * Plain SQL on PostgreSQL goes straight to the driver as a parameterised, named (prepared)
 * statement on the pool's or the transaction's own connection. MikroORM would inline the values
 * and send it unprepared, so PostgreSQL parses and plans it anew every time: measured on a SCIM
 * lookup, that costs more than running it (0.8 → 0.35 ms of PostgreSQL CPU per lookup prepared),
 * and the ORM's formatting adds about 0.4 ms of CPU per statement. The first PREPARED_LIMIT
 * distinct texts of the process are prepared (each connection keeps its own); others run unnamed,
 * so what a server holds stays bounded whatever filters clients send.
 */
const PREPARED_LIMIT = 500;
/** SQL as callers write it → the text sent (numbered placeholders) and its statement name. */
const statements = new Map<string, { text: string; name: string }>();

function statementFor(sql: string): { text: string; name?: string } {
  const known = statements.get(sql);
  if (known) return known;
  const text = numberedPlaceholders(sql);
  if (statements.size >= PREPARED_LIMIT) return { text };
  const statement = { text, name: `s${statements.size + 1}` };
  statements.set(sql, statement);
  return statement;
}

/**
 * A prepared statement soon runs on a cached generic plan, made for the table as it was: one made
 * at the start of an initial sync, when `member` was nearly empty, stays a sequential scan as the
 * table grows (measured: PostgreSQL CPU per write 7 → 13 ms over a 10k-user sync). Each connection
 * drops its cached plans this often (DISCARD PLANS keeps the statements), so plans follow growth.
 */
const REPLAN_AFTER_MS = 30_000;
const plannedAt = new WeakMap<PgConnection, number>();

async function replanIfStale(connection: PgConnection): Promise<void> {
  const now = Date.now();
  const since = plannedAt.get(connection);
  if (since === undefined) {
    plannedAt.set(connection, now);
  } else if (now - since > REPLAN_AFTER_MS) {
    plannedAt.set(connection, now);
    await connection.query({ text: 'discard plans', values: [] });
  }
}

/** `?` placeholders → `$1, $2, …`, leaving quoted literals alone. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|\?/g, (m) => (m === '?' ? `$${++n}` : m));
}

async function runOnPostgres(sqlEm: SqlEntityManager, raw: string, params: unknown[]): Promise<PgResult> {
  // The ORM's own hooks see these statements too: onQuery may rewrite, the logger counts them.
  const sql = sqlEm.config.get('onQuery')(raw, params);
  const trx = sqlEm.getTransactionContext<{ client: KnexClient }>();
  const client = trx?.client ?? (sqlEm.getConnection().getKnex().client as KnexClient);
  const { text, name } = statementFor(sql);
  const logger = sqlEm.config.getLogger();
  const started = Date.now();
  const connection = await client.acquireConnection();
  try {
    await replanIfStale(connection);
    const result = await connection.query({ ...(name ? { name } : {}), text, values: params });
    logger.logQuery({ query: sql, params, took: Date.now() - started, results: result.rows.length });
    return result;
  } catch (e) {
    logger.logQuery({ query: sql, params, took: Date.now() - started, level: 'error' });
    // The same exception types as the ORM's own queries (unique violation, connection lost, …).
    throw sqlEm
      .getPlatform()
      .getExceptionConverter()
      .convertException(e as Error);
  } finally {
    await client.releaseConnection(connection);
  }
}

/** Raw SQL inside the caller's transaction (set-based writes the unit of work can't express). */
export async function execute(em: EntityManager, sql: string, params: unknown[] = []): Promise<Row[]> {
  const sqlEm = em as unknown as SqlEntityManager;
  if (isPostgres(em)) return (await runOnPostgres(sqlEm, sql, params)).rows;
  return sqlEm.getConnection().execute<Row[]>(sql, params, 'all', sqlEm.getTransactionContext());
}

/** Rows affected by an insert/update/delete. */
export async function executeRun(em: EntityManager, sql: string, params: unknown[] = []): Promise<number> {
  const sqlEm = em as unknown as SqlEntityManager;
  if (isPostgres(em)) return (await runOnPostgres(sqlEm, sql, params)).rowCount ?? 0;
  const res = await sqlEm
    .getConnection()
    .execute<{ affectedRows: number }>(sql, params, 'run', sqlEm.getTransactionContext());
  return res.affectedRows;
}

/** `?, ?, ?` for an IN list. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Items per statement: well inside both drivers' parameter limits. */
export const CHUNK_SIZE = 5000;

/** Splits a list so no statement exceeds the drivers' parameter limits. */
export function chunks<T>(items: readonly T[], size = CHUNK_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
