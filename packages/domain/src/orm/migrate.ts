import { MikroORM } from '@mikro-orm/core';
import { createOrmConfig, databaseKind, type DatabaseConfig } from './config.js';

/**
 * Brings the schema up to date: migrations on PostgreSQL; on the embedded SQLite database the
 * schema generator (SQLite is the try-it-out default, PostgreSQL the production database).
 */
export async function migrate(db: DatabaseConfig): Promise<{ applied: string[] }> {
  const orm = await MikroORM.init(createOrmConfig(db));
  try {
    if (databaseKind(db.url) === 'postgresql') {
      const applied = await orm.getMigrator().up();
      return { applied: applied.map((m) => m.name) };
    }
    await orm.schema.updateSchema();
    return { applied: ['sqlite-schema-sync'] };
  } finally {
    await orm.close(true);
  }
}

export async function initOrm(db: DatabaseConfig): Promise<MikroORM> {
  return MikroORM.init(createOrmConfig(db));
}
