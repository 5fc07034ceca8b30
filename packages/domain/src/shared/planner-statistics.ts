import type { EntityManager } from '@mikro-orm/core';
import { isPostgres } from './locking.js';
import { plainTransaction } from './plain-transaction.js';
import { execute, placeholders } from './sql.js';

/**
 * PostgreSQL picks plans from its table statistics. An initial sync takes `member` from empty to
 * thousands of rows within a minute: faster than autovacuum re-analyzes (a minute's nap, then 10 %
 * of the table), and never where autovacuum is off. Plans costed on the empty table then stay:
 * a create's uniqueness check scanned the organization's every member, and a read by id walked
 * the organization's index instead of the primary key (measured over a 10k-user sync: 3.4 ms per
 * create check; PostgreSQL CPU per write 4.6 → 2.5 ms once these tables were analyzed as they
 * grew). ANALYZE also invalidates the cached plans that read the table.
 */
const TABLES = ['member', 'member_group', 'group_membership'] as const;
/** Re-analyze once this many rows plus this share of the table changed since the last ANALYZE. */
const MIN_CHANGED_ROWS = 200;
const CHANGED_SHARE = 0.2;
/**
 * How often a worker checks. Until a table's first ANALYZE its reads are planned as if it were
 * empty, and each one walks the organization's members, so that check must come within a second
 * of a sync's start: with a 15-s check the first 6,000 creates of a sync each read up to 3,800
 * buffers for their uniqueness check (8 once analyzed), and 15 s of creates cost PostgreSQL
 * 1.7–1.9 ms of CPU each against 1.2 with a 1-s check. A check with nothing due is one catalog
 * read outside any transaction.
 */
export const ANALYZE_CHECK_INTERVAL_MS = 1_000;
/** One worker analyzes at a time; the others skip that round. */
export const ANALYZE_LOCK_KEY = 0x5c1a_0001;

/** The sync's tables changed enough since their last ANALYZE, in TABLES order. */
async function dueTables(em: EntityManager): Promise<(typeof TABLES)[number][]> {
  const rows = await execute(
    em,
    `select relname from pg_stat_user_tables
      where schemaname = current_schema() and relname in (${placeholders(TABLES.length)})
        and n_mod_since_analyze >= ${MIN_CHANGED_ROWS} + ${CHANGED_SHARE} * n_live_tup`,
    [...TABLES],
  );
  const due = new Set(rows.map((r) => r['relname']));
  // The names analyzed are the list's own constants, never text read back.
  return TABLES.filter((t) => due.has(t));
}

/**
 * ANALYZEs the sync's tables that grew or changed since their last ANALYZE; returns their names.
 * Nothing due (most rounds) is one read; otherwise a plain-SQL transaction under the lock, which
 * reads again (another worker may have just analyzed). Plain SQL: MikroORM's `transactional` keeps
 * its context in an AsyncLocalStorage, and on Node 20 the first one turns on a promise hook for
 * the rest of the process — in the worker, whose SCIM writes never use one, this task was the only
 * thing turning it on (7.8 % of the worker's allocations during an initial sync).
 */
export async function analyzeChangedTables(em: EntityManager): Promise<string[]> {
  if (!isPostgres(em) || (await dueTables(em)).length === 0) return [];
  return plainTransaction(em, async (tx) => {
    const [lock] = await execute(tx, 'select pg_try_advisory_xact_lock(?) as locked', [ANALYZE_LOCK_KEY]);
    if (lock?.['locked'] !== true) return [];
    const changed = await dueTables(tx);
    for (const table of changed) await execute(tx, `analyze ${table}`);
    return changed;
  });
}
