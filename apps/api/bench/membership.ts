// Item 3: membership changes on a group of 100k members, as Entra sends them (legacy PATCH dialect),
// through the queue. One member removed then added back, alternately (the group stays at ~100k):
// p99 < 20 ms each. Then 1,000 members removed and added back in one PATCH each: the add < 500 ms.
import { groupAddMembers, groupRemoveMembers } from '../src/cli/simulate/dialects.js';
import type { BenchDb } from './db.js';
import { expectStatus, HttpClient } from './http.js';
import { summarize, timedLoop } from './latency.js';
import { queueTimings } from './queue-timings.js';
import { below, info, type ItemResult } from './report.js';

export interface MembershipOptions {
  baseUrl: string;
  redis: { url: string; prefix: string };
  organizationId: string;
  scimApiKey: string;
  groupId: string;
  singleOps: number;
  bulkSize: number;
  bulkRepeats: number;
}

export async function measureMembership(
  db: BenchDb,
  o: MembershipOptions,
  seconds: () => number,
): Promise<ItemResult> {
  const rows = await db.query<{ member_id: string }>(
    'select member_id from group_membership where group_id = ?::uuid order by random() limit ?',
    [o.groupId, o.singleOps + o.bulkSize],
  );
  const ids = rows.map((r) => r.member_id);
  const single = ids.slice(0, o.singleOps);
  const bulk = ids.slice(o.singleOps);
  const client = new HttpClient(o.baseUrl, o.scimApiKey);
  const path = `/scim/v2/${o.organizationId}/Groups/${o.groupId}`;
  const patch = async (body: unknown) => expectStatus(await client.send('PATCH', path, body), 204);
  try {
    // Warm the path (JIT, connections) with a few ops that aren't counted.
    for (const id of single.slice(0, 5)) {
      await patch(groupRemoveMembers('legacy', [id]));
      await patch(groupAddMembers('legacy', [{ id, display: '' }]));
    }
    const singleStartedAt = Date.now();
    const removeLatencies: number[] = [];
    const addLatencies: number[] = [];
    const failures: string[] = [];
    const loop = await timedLoop(single.length * 2, 90_000, async (i) => {
      const id = single[Math.floor(i / 2)] ?? '';
      const started = performance.now();
      const failure =
        i % 2 === 0
          ? await patch(groupRemoveMembers('legacy', [id]))
          : await patch(groupAddMembers('legacy', [{ id, display: '' }]));
      if (failure === null) (i % 2 === 0 ? removeLatencies : addLatencies).push(performance.now() - started);
      return failure;
    });
    failures.push(...loop.failures);
    const jobs = await queueTimings(o.redis.url, o.redis.prefix, o.organizationId, singleStartedAt);

    const bulkAdd: number[] = [];
    const bulkRemove: number[] = [];
    const bulkLoop = await timedLoop(o.bulkRepeats * 2, 90_000, async (i) => {
      const started = performance.now();
      const failure =
        i % 2 === 0
          ? await patch(groupRemoveMembers('legacy', bulk))
          : await patch(
              groupAddMembers(
                'legacy',
                bulk.map((id) => ({ id, display: '' })),
              ),
            );
      if (failure === null) (i % 2 === 0 ? bulkRemove : bulkAdd).push(performance.now() - started);
      return failure;
    });
    failures.push(...bulkLoop.failures);

    const [count] = await db.query<{ member_count: number; actual: string }>(
      'select g.member_count, (select count(*) from group_membership m where m.group_id = g.id) as actual from member_group g where g.id = ?::uuid',
      [o.groupId],
    );
    const add1 = summarize(addLatencies);
    const remove1 = summarize(removeLatencies);
    const addN = summarize(bulkAdd);
    const removeN = summarize(bulkRemove);
    const note = (s: ReturnType<typeof summarize>) => `n=${s.count} p50 ${s.p50} p95 ${s.p95} max ${s.max}`;
    return {
      item: 3,
      title: `Membership on a group of ${Number(count?.actual ?? 0).toLocaleString('en')} members (PATCH through the queue)`,
      figures: [
        below('add one member p99', add1.p99, 20, 'ms', note(add1)),
        below('remove one member p99', remove1.p99, 20, 'ms', note(remove1)),
        below(
          `one PATCH adding ${bulk.length} members (median of ${addN.count})`,
          addN.p50,
          500,
          'ms',
          `max ${addN.max}`,
        ),
        info(`one PATCH removing ${bulk.length} members (median)`, removeN.p50, 'ms', `max ${removeN.max}`),
        info(
          'single ops: running in the worker p50',
          jobs.runMs.p50,
          'ms',
          `BullMQ timestamps, ${jobs.jobs} jobs; p99 ${jobs.runMs.p99}`,
        ),
        info('single ops: waiting in the queue p50', jobs.waitMs.p50, 'ms', `p99 ${jobs.waitMs.p99}`),
        ...(failures.length ? [info('failed PATCHes', failures.length, '', failures[0]?.slice(0, 120))] : []),
      ],
      details: {
        addOne: add1,
        removeOne: remove1,
        addBulk: addN,
        removeBulk: removeN,
        singleOpJobs: jobs,
        failures,
        memberCountAfter: count?.member_count,
        membershipsAfter: Number(count?.actual ?? 0),
      },
      seconds: seconds(),
    };
  } finally {
    await client.close();
  }
}
