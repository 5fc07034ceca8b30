// A first sync on a fresh database is planned on real statistics within seconds, not after 15:
// until `member` is analyzed, each create's uniqueness check and each read by id walk the
// organization's members (planner-statistics.ts). Real api and worker processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/pipeline-processes.js';
import { scim, userBody } from './helpers/pipeline-scim.js';
import { eventually, mapLimit } from './helpers/pipeline-util.js';

const USERS = 400;

describe("the worker keeps the planner's statistics up with a sync", () => {
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
      .execute<Array<{ analyze_count: string; n_live_tup: string }>>(
        "select analyze_count, n_live_tup from pg_stat_user_tables where relname = 'member'",
      );
    return { analyzed: Number(row?.analyze_count ?? 0), rows: Number(row?.n_live_tup ?? 0) };
  };

  it('analyzes member within a few seconds of the first creates', async () => {
    const org = await stack.organization('Statistics');
    const target = { scimUrl: org.scimUrl(), scimKey: org.scimKey };
    expect((await memberStats()).analyzed).toBe(0);

    const statuses = await mapLimit(
      Array.from({ length: USERS }, (_, i) => i),
      16,
      async (i) => (await scim(target, 'POST', '/Users', userBody(`stats${i}@example.com`))).status,
    );
    expect(statuses.every((s) => s === 201)).toBe(true);

    // The worker's check runs every second; 15 s (the old interval) would miss this bound.
    const stats = await eventually(
      'member analyzed',
      async () => {
        const s = await memberStats();
        return s.analyzed > 0 && s;
      },
      5_000,
      100,
    );
    expect(stats.rows).toBeGreaterThanOrEqual(200);
  }, 60_000);
});
