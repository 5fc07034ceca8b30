// Test helpers (exported as @repo/domain/testing): a fresh, migrated database per test run.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MikroORM, type EntityManager } from '@mikro-orm/core';
import { createOrmConfig, type DatabaseKind } from '../orm/config.js';
import { migrate } from '../orm/migrate.js';
import { createOrganization } from '../organization/organization.service.js';
import type { ServiceContext } from '../shared/context.js';

/** Admin connection used to create throw-away databases (trust auth on loopback). */
export const testPostgresAdminUrl = (): string =>
  // eslint-disable-next-line no-restricted-properties -- tests choose their server
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminExec(sql: string): Promise<void> {
  const orm = await MikroORM.init(createOrmConfig({ url: testPostgresAdminUrl(), pool: { min: 0, max: 1 } }));
  try {
    await orm.em.getConnection().execute(sql);
  } finally {
    await orm.close(true);
  }
}

/**
 * Calls `listener` with every statement the ORM runs (plain SQL included: it goes through the same
 * logger, whatever the debug setting) until the returned function is called.
 */
export function onQuery(orm: MikroORM, listener: (query: string, params: unknown[]) => void): () => void {
  const logger = orm.config.getLogger();
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (context) => {
    listener(context.query ?? '', context.params ?? []);
    logQuery(context);
  };
  return () => {
    logger.logQuery = logQuery;
  };
}

/** The text a statement is sent as on PostgreSQL (`?` → `$1, $2, …`), e.g. to PREPARE it. */
export { numberedPlaceholders } from '../shared/sql.js';

export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  drop(): Promise<void>;
}

/** Creates and migrates an empty database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind, label = 'test'): Promise<TestDatabase> {
  if (kind === 'postgresql') {
    const name = `${label}_${process.pid}_${randomUUID().slice(0, 8)}`.replace(/\W/g, '_').toLowerCase();
    await adminExec(`create database "${name}"`);
    const url = new URL(testPostgresAdminUrl());
    url.pathname = `/${name}`;
    await migrate({ url: url.toString() });
    return {
      kind,
      url: url.toString(),
      drop: () => adminExec(`drop database if exists "${name}" with (force)`),
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'scim-test-'));
  const file = path.join(dir, 'test.sqlite');
  await migrate({ url: file });
  return { kind, url: file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function createTestOrm(db: TestDatabase, poolMax = 10): Promise<MikroORM> {
  return MikroORM.init(createOrmConfig({ url: db.url, pool: { min: 0, max: poolMax } }));
}

/** Runs `fn` in its own transaction on a fresh fork, like a worker job does. */
export async function inTransaction<T>(orm: MikroORM, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return orm.em.fork().transactional(fn);
}

export async function makeOrganization(
  orm: MikroORM,
  input: { name?: string; seats?: number | null; provisionMode?: 'invite' | 'stage' } = {},
) {
  return inTransaction(orm, (em) => createOrganization(em, { name: input.name ?? 'Acme', ...input }));
}

export const scimContext = (em: EntityManager, organizationId: string): ServiceContext => ({
  em,
  organizationId,
  actor: 'scim',
});
