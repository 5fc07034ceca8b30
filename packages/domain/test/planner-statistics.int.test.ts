// Planner statistics kept up with a sync's growth, against real PostgreSQL (SQLite has no such step).
import type { MikroORM } from '@mikro-orm/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeChangedTables, executeSql } from '../src/index.js';
import { ANALYZE_LOCK_KEY } from '../src/shared/planner-statistics.js';
import {
  createTestDatabase,
  createTestOrm,
  makeOrganization,
  type TestDatabase,
} from '../src/testing/index.js';

describe('analyzeChangedTables on postgresql', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let organizationId: string;

  beforeAll(async () => {
    db = await createTestDatabase('postgresql', 'planner_stats');
    orm = await createTestOrm(db);
    organizationId = (await makeOrganization(orm, { name: 'Stats' })).organization.id;
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  /** Members added as a sync adds them; the statistics reach pg_stat_user_tables at commit. */
  async function addMembers(n: number, from: number): Promise<string> {
    return orm.em.fork().transactional(async (em) => {
      const rows = await executeSql(
        em,
        `insert into member (id, organization_id, user_name, user_name_lower, external_id, status, role,
           scim_managed, document, version, created_at, updated_at)
         select gen_random_uuid(), ?, 'User' || i || '@s.test', 'user' || i || '@s.test', 'ext-' || i, 'staged',
           'user', true, '{}', 1, now(), now()
         from generate_series(?::int, ?::int) as s(i) returning id`,
        [organizationId, from, from + n - 1],
      );
      await executeSql(em, 'select pg_stat_force_next_flush()');
      return String(rows.at(-1)?.['id']);
    });
  }

  /** The cached generic plan PostgreSQL would keep for a read by id within an organization. */
  async function genericPlanOfReadById(id: string): Promise<string> {
    return orm.em.fork().transactional(async (em) => {
      await executeSql(em, 'set local plan_cache_mode = force_generic_plan');
      await executeSql(
        em,
        'prepare read_by_id(uuid, uuid) as select id from member where organization_id = $1 and id = $2',
      );
      try {
        // Both values are uuids made here, not input.
        const plan = await executeSql(em, `explain execute read_by_id('${organizationId}', '${id}')`);
        return plan.map((r) => String(r['QUERY PLAN'])).join('\n');
      } finally {
        await executeSql(em, 'deallocate read_by_id');
      }
    });
  }

  it('analyzes the tables a sync grew, once, and then plans reads by their own index', async () => {
    const last = await addMembers(5_000, 1);
    // Never analyzed: a generic plan costed as if the table were tiny walks the organization.
    expect(await genericPlanOfReadById(last)).not.toContain('member_pkey');

    // No async context either (MikroORM's transactional would enter one): the worker stays free of
    // the promise hook Node 20 runs once any AsyncLocalStorage is entered.
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    try {
      expect(await analyzeChangedTables(orm.em.fork())).toEqual(['member']);
      expect(run).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
    }
    const [stats] = await executeSql(
      orm.em.fork(),
      "select last_analyze from pg_stat_user_tables where relname = 'member'",
    );
    expect(stats?.['last_analyze']).not.toBeNull();
    expect(await genericPlanOfReadById(last)).toContain('member_pkey');

    // Nothing changed since: nothing to do.
    expect(await analyzeChangedTables(orm.em.fork())).toEqual([]);
    // A few rows more are below the threshold (200 + 20 % of the table).
    await addMembers(100, 10_001);
    expect(await analyzeChangedTables(orm.em.fork())).toEqual([]);
    await addMembers(2_000, 20_001);
    expect(await analyzeChangedTables(orm.em.fork())).toEqual(['member']);
  });

  it('skips the round while another worker holds the lock', async () => {
    await addMembers(5_000, 30_001);
    const other = orm.em.fork();
    await other.transactional(async (tx) => {
      await executeSql(tx, 'select pg_advisory_xact_lock(?)', [ANALYZE_LOCK_KEY]);
      expect(await analyzeChangedTables(orm.em.fork())).toEqual([]);
    });
    expect(await analyzeChangedTables(orm.em.fork())).toEqual(['member']);
  });
});
