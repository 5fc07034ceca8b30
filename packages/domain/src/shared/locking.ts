import type { EntityManager } from '@mikro-orm/core';

/**
 * Row lock for a read-modify-write inside a transaction, as the end of a plain-SQL select:
 * PostgreSQL takes FOR UPDATE; SQLite has a single writer (the worker applies one job at a time
 * there), so no lock is needed or supported.
 */
export const forUpdate = (em: EntityManager, ofAlias?: string): string =>
  isPostgres(em) ? ` for update${ofAlias ? ` of ${ofAlias}` : ''}` : '';

export const isPostgres = (em: EntityManager): boolean =>
  em.getPlatform().constructor.name.startsWith('PostgreSql');
