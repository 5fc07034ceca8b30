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
  const trx = sqlEm.getTransactionContext<{ client: KnexClient }>();
  const client = trx?.client ?? (sqlEm.getConnection().getKnex().client as KnexClient);
  const connection = await client.acquireConnection();
  try {
    return await runOn(sqlEm, connection, raw, params);
  } finally {
    await client.releaseConnection(connection);
  }
}

/** One statement on `connection`, prepared when its text is among the first PREPARED_LIMIT. */
async function runOn(
  sqlEm: SqlEntityManager,
  connection: PgConnection,
  raw: string,
  params: unknown[],
): Promise<PgResult> {
  // The ORM's own hooks see these statements too: onQuery may rewrite, the logger counts them.
  const sql = sqlEm.config.get('onQuery')(raw, params);
  const { text, name } = statementFor(sql);
  const logger = sqlEm.config.getLogger();
  const started = Date.now();
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
  }
}

/**
 * A transaction for work that is plain SQL throughout (execute, executeRun): BEGIN and COMMIT on
 * one pooled connection, which `fn`'s EntityManager runs its statements on. MikroORM's
 * `transactional` costs 0.47–0.59 ms of CPU per transaction on this project's machines against
 * 0.15–0.22 ms for the BEGIN and COMMIT themselves (a knex transaction object is built per call,
 * and its garbage with it); every SCIM user write pays it. The unit of work has no transaction
 * here: an ORM query on `fn`'s EntityManager throws. SQLite (one writer, no network): the ORM's.
 */
export async function plainTransaction<T>(
  em: EntityManager,
  fn: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  if (!isPostgres(em)) return em.fork().transactional(fn);
  const sqlEm = em as unknown as SqlEntityManager;
  const pool = sqlEm.getConnection().getKnex().client as KnexClient;
  const connection = await pool.acquireConnection();
  const tx = em.fork();
  tx.setTransactionContext(plainSqlContext(connection));
  const control = (text: 'begin' | 'commit' | 'rollback') => runControl(sqlEm, connection, text);
  try {
    await control('begin');
    const result = await fn(tx);
    await control('commit');
    return result;
  } catch (e) {
    await control('rollback').catch((err: unknown) => {
      // The connection is broken or stuck in the transaction: the pool must not hand it out again.
      (connection as { __knex__disposed?: unknown }).__knex__disposed = err;
    });
    throw e;
  } finally {
    tx.resetTransactionContext();
    await pool.releaseConnection(connection);
  }
}

/** BEGIN / COMMIT / ROLLBACK: unprepared, and never after a DISCARD (it would fail in an aborted transaction). */
async function runControl(sqlEm: SqlEntityManager, connection: PgConnection, text: string): Promise<void> {
  const logger = sqlEm.config.getLogger();
  const started = Date.now();
  try {
    await connection.query({ text, values: [] });
    logger.logQuery({ query: text, params: [], took: Date.now() - started });
  } catch (e) {
    logger.logQuery({ query: text, params: [], took: Date.now() - started, level: 'error' });
    throw sqlEm
      .getPlatform()
      .getExceptionConverter()
      .convertException(e as Error);
  }
}

/** What runOnPostgres needs of a transaction context; anything else (an ORM query) throws. */
function plainSqlContext(connection: PgConnection): { client: KnexClient } {
  const client = onlyThese<KnexClient>({
    acquireConnection: () => Promise.resolve(connection),
    releaseConnection: () => Promise.resolve(),
  });
  return onlyThese({ client });
}

function onlyThese<T extends object>(target: T): T {
  return new Proxy(target, {
    get(t, prop) {
      if (prop in t) return t[prop as keyof T];
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      throw new Error(`ORM query inside a plain-SQL transaction (it reads ${prop}); use execute()`);
    },
  });
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
