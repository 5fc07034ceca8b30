// Raw, parameterised SQL for the read stores (SCIM, GraphQL), run through the domain's helper (which joins the
// caller's transaction). Plain SQL with `?` placeholders runs unchanged on PostgreSQL and SQLite.
import type { EntityManager } from '@mikro-orm/core';
import { executeSql } from '@repo/domain';
import type { ScimRequestContext } from '@repo/scim-adapter';

export type { EntityManager };

export interface ReaderOptions {
  /** The EntityManager a request reads with: the shared `orm.em` for SCIM (plain SQL only). */
  em: (ctx: ScimRequestContext) => EntityManager;
}

/** A piece of SQL with `?` placeholders and their values, in order. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export const fragment = (sql: string, params: unknown[] = []): SqlFragment => ({ sql, params });

export const TRUE_SQL: SqlFragment = fragment('1 = 1');
export const FALSE_SQL: SqlFragment = fragment('1 = 0');

/** Joins fragments with a separator, keeping their parameters in placeholder order. */
export function joinSql(parts: readonly SqlFragment[], separator: string): SqlFragment {
  return { sql: parts.map((p) => p.sql).join(separator), params: parts.flatMap((p) => p.params) };
}

export type Row = Record<string, unknown>;

export const runSql = (em: EntityManager, query: SqlFragment): Promise<Row[]> =>
  executeSql(em, query.sql, query.params);
