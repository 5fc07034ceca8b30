// A sync on a fresh database is planned on real statistics within seconds, not after 15: until
// `member` is analyzed, each create's uniqueness check and each read by id walk the organization's
// members (planner-statistics.ts). And the worker keeps the activity report's hourly counts from
// start-up on (activity-rollup.service.ts). Real api and worker processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/pipeline-processes.js';
import { scim, userBody } from './helpers/pipeline-scim.js';
import { eventually, mapLimit } from './helpers/pipeline-util.js';

describe("the worker's upkeep: planner statistics through a sync, the activity counts", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 60_000);
  afterAll(async () => {
    await stack.close();
  }, 60_000);

  const memberStats = async () => {
    const [row] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ analyze_count: string; last_analyze: string | Date | null }>>(
        "select analyze_count, last_analyze from pg_stat_user_tables where relname = 'member'",
      );
    const at = row?.last_analyze;
    return { count: Number(row?.analyze_count ?? 0), at: at ? new Date(at) : null };
  };

  it('analyzes member as a sync grows it, seconds apart', async () => {
    const org = await stack.organization('Statistics');
    const target = { scimUrl: org.scimUrl(), scimKey: org.scimKey };
    expect((await memberStats()).count).toBe(0);

    // A sync in the background, as an IdP runs one: eight creators until the test is done. (A
    // burst would not do: a backend gone idle reports its row counts only after 10 s.)
    let created = 0;
    let syncing = true;
    const statuses = new Set<number>();
    const sync = mapLimit(Array.from({ length: 8 }), 8, async () => {
      while (syncing && created < 20_000) {
        const i = created++;
        statuses.add((await scim(target, 'POST', '/Users', userBody(`stats${i}@example.com`))).status);
      }
    });
    try {
      let first: Date | undefined;
      const second = await eventually(
        'member analyzed twice',
        async () => {
          const stats = await memberStats();
          if (stats.count === 1 && stats.at) first ??= stats.at;
          return stats.count >= 2 && stats.at;
        },
        15_000,
        100,
      );
      // Once at about 200 rows, again after 20 % more: a 15-second check (the old interval) could
      // not analyze twice within 10 s.
      expect(first).toBeDefined();
      expect(second.getTime() - (first?.getTime() ?? 0)).toBeLessThan(10_000);
    } finally {
      syncing = false;
      await sync;
    }
    expect([...statuses]).toEqual([201]);
  }, 60_000);

  it("keeps the activity report's hourly counts from start-up on", async () => {
    const rolledUntil = await eventually(
      'the hourly counts started',
      async () => {
        const [row] = await stack.orm.em
          .fork()
          .getConnection()
          .execute<Array<{ rolled_until: string | Date }>>(
            "select rolled_until from audit_rollup_state where name = 'activity'",
          );
        return row ? new Date(row.rolled_until) : null;
      },
      10_000,
      100,
    );
    expect(rolledUntil.getTime() % 3_600_000).toBe(0);
    expect(rolledUntil.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
