import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { createRequire } from 'node:module';
import { isPostgres } from './locking.js';

/** A parameter value as node-postgres sends it (dates, JSON, arrays, buffers), for writeAhead. */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as {
  prepareValue: (value: unknown) => string | Buffer | null;
};

type Row = Record<string, unknown>;

interface PgResult {
  rows: Row[];
  rowCount: number | null;
}
export interface PgConnection {
  query(q: {
    name?: string;
    text: string;
    values: unknown[];
    queryMode?: 'extended';
  }): Promise<PgResult | PgResult[]>;
}
export interface KnexClient {
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
  await flushDeferred(sqlEm, connection);
  // The ORM's own hooks see these statements too: onQuery may rewrite, the logger counts them.
  const sql = sqlEm.config.get('onQuery')(raw, params);
  const { text, name } = statementFor(sql);
  return logged(sqlEm, sql, params, async () => {
    await replanIfStale(connection);
    let ahead = false;
    if (pendingBegin.delete(connection)) {
      ahead = writeAhead(connection, { text: 'begin', values: [] }, name);
      if (ahead) sqlEm.config.getLogger().logQuery({ query: 'begin', params: [], took: 0 });
      else await runControl(sqlEm, connection, 'begin');
    }
    let sent: ReturnType<PgConnection['query']>;
    try {
      sent = connection.query({ ...(name ? { name } : {}), text, values: params });
    } finally {
      if (ahead) endAhead(connection);
    }
    return lastResult(await sent);
  });
}

/** Runs the connection's deferred writes now, in the order they were made. */
async function flushDeferred(sqlEm: SqlEntityManager, connection: PgConnection): Promise<void> {
  const held = deferredWrites.get(connection);
  if (held?.length) for (const w of held.splice(0)) await runOn(sqlEm, connection, w.sql, w.params);
}

/**
 * COMMIT of a plain-SQL transaction, with its deferred writes (executeDeferred): the last of them
 * goes out in the same write as the COMMIT, so a job's closing statement and its commit cost one
 * round trip. Its error, if it fails, is the commit's: PostgreSQL skips the COMMIT and the
 * transaction stays open in the aborted state, for the caller's ROLLBACK.
 */
export async function commitPlain(sqlEm: SqlEntityManager, connection: PgConnection): Promise<void> {
  const last = deferredWrites.get(connection)?.pop();
  await flushDeferred(sqlEm, connection);
  if (!last) {
    if (!pendingBegin.has(connection)) await runControl(sqlEm, connection, 'commit');
    return;
  }
  const sql = sqlEm.config.get('onQuery')(last.sql, last.params);
  const statement = statementFor(sql);
  await replanIfStale(connection);
  if (pendingBegin.has(connection) || !canWriteAhead(connection, statement.name, undefined)) {
    await runOn(sqlEm, connection, last.sql, last.params);
    await runControl(sqlEm, connection, 'commit');
    return;
  }
  // No await between the check above and the write: the connection's state is as checked.
  await logged(sqlEm, sql, last.params, async () => {
    if (!writeAhead(connection, { ...statement, values: last.params }, undefined)) {
      throw new Error('the deferred write could not be sent with the COMMIT'); // rolled back, never lost
    }
    let sent: ReturnType<PgConnection['query']>;
    try {
      sent = connection.query({ text: 'commit', values: [], queryMode: 'extended' });
    } finally {
      endAhead(connection);
    }
    return [await sent].flat()[0] as PgResult;
  });
  sqlEm.config.getLogger().logQuery({ query: 'commit', params: [], took: 0 });
}

/** BEGIN / COMMIT / ROLLBACK: unprepared, and never after a DISCARD (it would fail in an aborted transaction). */
export async function runControl(
  sqlEm: SqlEntityManager,
  connection: PgConnection,
  text: string,
): Promise<void> {
  await logged(sqlEm, text, [], async () => lastResult(await connection.query({ text, values: [] })));
}

/** With BEGIN sent ahead, the driver answers both statements' results; the statement's is the last. */
const lastResult = (replies: PgResult | PgResult[]): PgResult =>
  Array.isArray(replies) ? (replies.at(-1) as PgResult) : replies;

/** Runs a statement with the ORM's query log and the ORM's exception types (unique violation, …). */
async function logged(
  sqlEm: SqlEntityManager,
  sql: string,
  params: unknown[],
  run: () => Promise<PgResult>,
): Promise<PgResult> {
  const logger = sqlEm.config.getLogger();
  const started = Date.now();
  try {
    const result = await run();
    logger.logQuery({ query: sql, params, took: Date.now() - started, results: result.rows.length });
    return result;
  } catch (e) {
    logger.logQuery({ query: sql, params, took: Date.now() - started, level: 'error' });
    throw sqlEm
      .getPlatform()
      .getExceptionConverter()
      .convertException(e as Error);
  }
}

/** Connections whose transaction has not sent its BEGIN yet (plainTransaction). */
export const pendingBegin = new WeakSet<PgConnection>();

/** A plain-SQL transaction's writes held for its COMMIT (executeDeferred), by connection. */
export const deferredWrites = new WeakMap<PgConnection, { sql: string; params: unknown[] }[]>();

/** The parts of node-postgres's client that writing a statement ahead of another uses. */
interface PgClientInternals {
  readyForQuery: boolean;
  connection: {
    stream: { cork(): void; uncork(): void };
    parsedStatements: Record<string, string>;
    parse(query: { text: string; types: string[] }): void;
    bind(config: { statement?: string; values: unknown[] }): void;
    describe(config: { type: 'P'; name: string }): void;
    execute(config: Record<string, never>): void;
  };
}

/**
 * Whether a statement can be written ahead of the next query (writeAhead). The reply to a parse
 * sent ahead is credited to the next query's name, which must not be marked parsed before its own
 * parse succeeded: so the statement ahead must be parsed on this connection already, or the next
 * query unnamed or parsed already.
 */
function canWriteAhead(connection: PgConnection, name: string | undefined, nextName: string | undefined) {
  const client = connection as unknown as PgClientInternals;
  const parsed = client.connection.parsedStatements;
  if (!client.readyForQuery) return false;
  if (name !== undefined) return name in parsed;
  return nextName === undefined || nextName in parsed;
}

/**
 * Writes a statement (parse when unnamed, bind, describe, execute: no sync of its own) and corks the
 * socket, so that the query the caller sends next goes out in the same write and its sync ends
 * both: one round trip instead of two. PostgreSQL runs them in order and skips the second when the
 * first fails; the driver reports both results. False (nothing written) when canWriteAhead says no.
 */
function writeAhead(
  connection: PgConnection,
  statement: { text: string; name?: string; values: unknown[] },
  nextName: string | undefined,
): boolean {
  if (!canWriteAhead(connection, statement.name, nextName)) return false;
  // Mapped before anything is written: a value that cannot be sent throws with the socket clean.
  const values = statement.values.map((v) => prepareValue(v));
  const wire = (connection as unknown as PgClientInternals).connection;
  wire.stream.cork();
  if (statement.name === undefined) wire.parse({ text: statement.text, types: [] });
  wire.bind({ ...(statement.name ? { statement: statement.name } : {}), values });
  wire.describe({ type: 'P', name: '' });
  wire.execute({});
  return true;
}

const endAhead = (connection: PgConnection): void =>
  (connection as unknown as PgClientInternals).connection.stream.uncork();

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

/**
 * A write whose result the caller does not need (no rows, no count). In a plain-SQL transaction on
 * PostgreSQL it is held and sent with the next statement or the COMMIT (commitPlain), saving a
 * round trip; its error then surfaces there. Anywhere else it runs at once.
 */
export async function executeDeferred(em: EntityManager, sql: string, params: unknown[] = []): Promise<void> {
  const sqlEm = em as unknown as SqlEntityManager;
  const client = isPostgres(em) ? sqlEm.getTransactionContext<{ client: KnexClient }>()?.client : undefined;
  if (client) {
    const connection = await client.acquireConnection();
    await client.releaseConnection(connection);
    const held = deferredWrites.get(connection);
    if (held) {
      held.push({ sql, params });
      return;
    }
  }
  await executeRun(em, sql, params);
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
