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
    // One writer: a busy connection waits instead of failing with SQLITE_BUSY.
    pool: { min: 1, max: 1 },
  });
}
