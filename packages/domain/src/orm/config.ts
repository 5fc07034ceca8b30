import path from 'node:path';
import { DataloaderType, type Options } from '@mikro-orm/core';
import { defineConfig as defineLibSqlConfig } from '@mikro-orm/libsql';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig as definePostgresConfig } from '@mikro-orm/postgresql';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

export interface DatabaseConfig {
  /** postgres://… for PostgreSQL, or a file path for the embedded SQLite database. */
  url: string;
  pool?: { min?: number; max?: number };
  debug?: boolean;
}

export type DatabaseKind = 'postgresql' | 'sqlite';

export const databaseKind = (url: string): DatabaseKind =>
  /^postgres(ql)?:\/\//.test(url) ? 'postgresql' : 'sqlite';

/** How long a SQLite connection waits for the other process's write lock. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Knex's pool hook for each new SQLite connection (libsql's Database, better-sqlite3's API). */
function useWalAndWait(
  connection: { exec(sql: string): unknown },
  done: (error: Error | null, connection: unknown) => void,
): void {
  try {
    connection.exec(`pragma journal_mode = wal; pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    done(null, connection);
  } catch (error) {
    done(error as Error, connection);
  }
}

export function createOrmConfig(db: DatabaseConfig): Options {
  const common = {
    entities,
    dataloader: DataloaderType.ALL,
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: db.debug ?? false,
    // Entities carry their own types; no reflection needed.
    discovery: { warnWhenNoEntities: true },
  } satisfies Options;

  if (databaseKind(db.url) === 'postgresql') {
    return definePostgresConfig({
      ...common,
      clientUrl: db.url,
      pool: { min: db.pool?.min ?? 0, max: db.pool?.max ?? 10 },
      extensions: [Migrator],
      migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    });
  }
  return defineLibSqlConfig({
    ...common,
    dbName: path.resolve(db.url),
    // One connection per process. The api and the worker are two processes on one file, and
    // libsql opens it with a rollback journal and no busy wait: a read during the other process's
    // commit failed at once with SQLITE_BUSY (a 503 to the IdP). WAL lets reads run beside the
    // write, and a writer that finds the file locked waits instead of failing.
    pool: { min: 1, max: 1, afterCreate: useWalAndWait },
  });
}
