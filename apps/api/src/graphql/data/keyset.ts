// Relay connections over raw SQL with keyset pagination: `(sort key, id) > cursor` seeks in an
// index, so page 1,000 costs what page 1 does. Page-size rules live here, in one place.
import { parseCursorConnectionArgs } from '@pothos/core';
import {
  fragment,
  joinSql,
  runSql,
  type EntityManager,
  type Row,
  type SqlFragment,
} from '../../sql/read-sql.js';
import { integer } from '../../sql/row-values.js';
import type { Dialect } from '../../sql/sql-dialect.js';
import { badInput } from '../errors.js';
import { decodeCursor, encodeCursor, type CursorPosition, type CursorShape } from './cursor.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageArgs {
  first?: number | null | undefined;
  last?: number | null | undefined;
  after?: string | null | undefined;
  before?: string | null | undefined;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted only when the field is selected (a count over a big organization isn't free). */
  totalCount: () => Promise<number>;
}

export interface KeysetSource<T> extends CursorShape {
  /** Select list (without the cursor columns). */
  select: string;
  /** e.g. `member m` */
  from: string;
  where: SqlFragment;
  sortExpr: string;
  idExpr: string;
  descending: boolean;
  map: (row: Row) => T;
}

/** Rejects page sizes outside 0..MAX_PAGE_SIZE with a clear error instead of silently clamping. */
export function checkPageArgs(args: PageArgs): void {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badInput(`"${name}" must be between 0 and ${MAX_PAGE_SIZE}.`, {
        argument: name,
        max: MAX_PAGE_SIZE,
      });
    }
  }
}

const sortKeySelect = <T>(source: KeysetSource<T>, dialect: Dialect): string =>
  source.sortKind === 'time' ? dialect.timeKeySql(source.sortExpr) : source.sortExpr;

function readPosition(row: Row): CursorPosition {
  const key = row['cursor_key'];
  const id = row['cursor_id'];
  if (
    (typeof key !== 'string' && typeof key !== 'number') ||
    (typeof id !== 'string' && typeof id !== 'number' && typeof id !== 'bigint')
  ) {
    throw new Error('Keyset row without cursor columns');
  }
  return { key, id: String(id) };
}

function seek<T>(source: KeysetSource<T>, position: CursorPosition, later: boolean): SqlFragment {
  // "later" in the connection's order: `>` ascending, `<` descending.
  const cmp = later !== source.descending ? '>' : '<';
  const id = source.idKind === 'bigint' ? Number(position.id) : position.id;
  return fragment(`(${source.sortExpr}, ${source.idExpr}) ${cmp} (?, ?)`, [position.key, id]);
}

export async function keysetConnection<T>(
  em: EntityManager,
  dialect: Dialect,
  source: KeysetSource<T>,
  args: PageArgs,
): Promise<Connection<T>> {
  checkPageArgs(args);
  const parsed = parseCursorConnectionArgs({ args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE });
  const after = parsed.after === undefined ? undefined : decodeCursor(parsed.after, source, dialect);
  const before = parsed.before === undefined ? undefined : decodeCursor(parsed.before, source, dialect);

  const conditions = [source.where];
  if (after) conditions.push(seek(source, after, true));
  if (before) conditions.push(seek(source, before, false));
  // Backward pages (`last`) read the index in reverse, then flip the rows back into order.
  const descending = parsed.inverted !== source.descending;
  const dir = descending ? 'desc' : 'asc';

  let totalCount: Promise<number> | undefined;
  const count = () =>
    (totalCount ??= runSql(
      em,
      joinSql([fragment(`select count(*) as n from ${source.from} where`), source.where], ' '),
    ).then((rows) => (rows[0] ? integer(rows[0], 'n') : 0)));

  const rows =
    parsed.expectedSize === 0
      ? []
      : await runSql(
          em,
          joinSql(
            [
              fragment(
                `select ${source.select}, ${sortKeySelect(source, dialect)} as cursor_key, ${source.idExpr} as cursor_id from ${source.from} where`,
              ),
              joinSql(conditions, ' and '),
              fragment(`order by ${source.sortExpr} ${dir}, ${source.idExpr} ${dir} limit ?`, [parsed.limit]),
            ],
            ' ',
          ),
        );

  const page = rows.slice(0, parsed.expectedSize);
  if (parsed.inverted) page.reverse();
  const edges = page.map((row) => ({
    cursor: encodeCursor(source.tag, readPosition(row)),
    node: source.map(row),
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: parsed.hasNextPage(rows.length),
      hasPreviousPage: parsed.hasPreviousPage(rows.length),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: count,
  };
}
