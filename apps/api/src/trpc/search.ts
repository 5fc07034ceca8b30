// Prefix search on the lower-cased, indexed columns, the same on PostgreSQL and SQLite.
import type { EntityManager, EntityName } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager, QueryBuilder } from '@mikro-orm/knex';

/** `%`, `_` and `\` in a search are literal characters, not wildcards. */
const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern matching values that start with `value` (lower-case it for *_lower columns). */
export const prefixPattern = (value: string): string => `${escapeLike(value)}%`;

/** SQL for `column` starting with the bound pattern; SQLite has no default LIKE escape, so name it. */
export const likePrefixSql = (column: string): string => `${column} like ? escape '\\'`;

/** A query builder on the request's EntityManager (SQL drivers only, which is all we run on). */
export function queryBuilder<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  alias: string,
): QueryBuilder<T, string> {
  return (em as unknown as SqlEntityManager).createQueryBuilder(entity, alias);
}
