// A transaction without the unit of work, for services that are plain SQL throughout.
import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { isPostgres } from './locking.js';
import {
  commitPlain,
  deferredWrites,
  pendingBegin,
  runControl,
  type KnexClient,
  type PgConnection,
} from './sql.js';

/**
 * A transaction for work that is plain SQL throughout (execute, executeRun, executeDeferred): one
 * pooled connection, which `fn`'s EntityManager runs its statements on; BEGIN goes out in the same
 * write as the first statement, COMMIT in the same write as the last deferred one (sql.ts).
 * MikroORM's `transactional` costs 0.47–0.59 ms of CPU per transaction on this project's machines
 * against 0.15–0.22 ms for a BEGIN and COMMIT of their own (it builds a knex transaction object
 * per call, and its garbage with it), and every SCIM write job pays it. The unit of work has no
 * transaction here: an ORM query on `fn`'s EntityManager throws. SQLite (one writer, no network):
 * the ORM's transaction.
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
  // BEGIN goes out with the first statement (runOn); a transaction that ran none has nothing to end.
  pendingBegin.add(connection);
  deferredWrites.set(connection, []);
  try {
    const result = await fn(tx);
    await commitPlain(sqlEm, connection);
    return result;
  } catch (e) {
    if (!pendingBegin.has(connection)) {
      await runControl(sqlEm, connection, 'rollback').catch((err: unknown) => {
        // The connection is broken or stuck in the transaction: the pool must not hand it out again.
        (connection as { __knex__disposed?: unknown }).__knex__disposed = err;
      });
    }
    throw e;
  } finally {
    pendingBegin.delete(connection);
    deferredWrites.delete(connection);
    tx.resetTransactionContext();
    await pool.releaseConnection(connection);
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
