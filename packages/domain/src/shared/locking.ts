import { LockMode, type EntityManager } from '@mikro-orm/core';

/**
 * Row lock for read-modify-write inside a transaction. PostgreSQL takes FOR UPDATE; SQLite has a
 * single writer (the worker applies one job at a time there), so no lock is needed or supported.
 */
export function writeLock(em: EntityManager): { lockMode?: LockMode.PESSIMISTIC_WRITE } {
  return isPostgres(em) ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
}

export const isPostgres = (em: EntityManager): boolean =>
  em.getPlatform().constructor.name.startsWith('PostgreSql');
