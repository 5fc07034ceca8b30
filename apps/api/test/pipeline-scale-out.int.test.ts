// Issue 4 §3/§6: two api and two worker processes on one Redis and one PostgreSQL, given a workload
// split across both apis, reach the same end state as one api and one worker given the same one.
import { afterAll, describe, expect, it } from 'vitest';
import { startStack, type Api, type Stack } from './helpers/pipeline-processes.js';
import {
  PATCH_OP,
  addMembersBody,
  scim,
  untilSettled,
  userBody,
  type ScimTarget,
} from './helpers/pipeline-scim.js';
import { mapLimit } from './helpers/pipeline-util.js';

const USERS = 40;
const GROUPS = 3;

const stacks: Stack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
}, 60_000);

interface Snapshot {
  users: Array<{ userName: string; title: string | null; active: boolean }>;
  groups: Array<{ displayName: string; members: string[] }>;
}

/**
 * The same workload whatever the topology; request i goes to api i % apis.length. Phases depend on
 * ids from the previous one; within a phase everything is concurrent.
 */
async function runWorkload(stack: Stack, name: string): Promise<Snapshot> {
  const org = await stack.organization(name);
  const apis = [...stack.apis];
  const target = (i: number): ScimTarget => {
    const api: Api = apis[i % apis.length]!;
    return { scimUrl: org.scimUrl(api), scimKey: org.scimKey };
  };
  const ok = async (i: number, method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => {
    const { final } = await untilSettled(() => scim(target(i), method, path, body), { withinMs: 30_000 });
    if (final.status >= 300)
      throw new Error(`${method} ${path} → ${final.status} ${JSON.stringify(final.body)}`);
    return final;
  };

  // 1. users and groups
  const userIds = await mapLimit(
    Array.from({ length: USERS }, (_, i) => i),
    40,
    async (i) => (await ok(i, 'POST', '/Users', userBody(`scale${i}@example.com`))).body!['id'] as string,
  );
  const groupIds = await mapLimit(
    Array.from({ length: GROUPS }, (_, g) => g),
    GROUPS,
    async (g) => (await ok(g + 1, 'POST', '/Groups', { displayName: `Team ${g}` })).body!['id'] as string,
  );
  // 2. memberships (each user in group i % 3, even users also in group 0), titles, one at a time per op
  const ops: Array<[number, 'PATCH', string, unknown]> = [];
  userIds.forEach((id, i) => {
    ops.push([i, 'PATCH', `/Groups/${groupIds[i % GROUPS]!}`, addMembersBody(id)]);
    if (i % 2 === 0 && i % GROUPS !== 0)
      ops.push([i + 1, 'PATCH', `/Groups/${groupIds[0]!}`, addMembersBody(id)]);
    ops.push([
      i + 2,
      'PATCH',
      `/Users/${id}`,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `T${i % 4}` }] },
    ]);
  });
  await mapLimit(ops, 60, ([i, m, p, b]) => ok(i, m, p, b));
  // 3. every 5th user deleted, every 7th deactivated, one member removed from group 0
  await mapLimit(userIds, 40, async (id, i) => {
    if (i % 5 === 0) await ok(i, 'DELETE', `/Users/${id}`);
    else if (i % 7 === 0)
      await ok(i, 'PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      });
  });
  await ok(3, 'PATCH', `/Groups/${groupIds[0]!}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: 'remove', path: `members[value eq "${userIds[2]!}"]` }],
  });

  // End state, read through the first api.
  const read = { scimUrl: org.scimUrl(), scimKey: org.scimKey };
  const users = (await scim(read, 'GET', '/Users?count=1000')).body!['Resources'] as Array<
    Record<string, unknown>
  >;
  const nameOf = new Map(users.map((u) => [u['id'] as string, u['userName'] as string]));
  const groups = (await scim(read, 'GET', '/Groups?count=100')).body!['Resources'] as Array<
    Record<string, unknown>
  >;
  return {
    users: users
      .map((u) => ({
        userName: u['userName'] as string,
        title: (u['title'] as string | undefined) ?? null,
        active: u['active'] as boolean,
      }))
      .sort((a, b) => a.userName.localeCompare(b.userName)),
    groups: groups
      .map((g) => ({
        displayName: g['displayName'] as string,
        members: ((g['members'] as Array<{ value: string }> | undefined) ?? [])
          .map((m) => nameOf.get(m.value) ?? `?${m.value}`)
          .sort(),
      }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName)),
  };
}

describe('horizontal scaling', () => {
  it('2 apis + 2 workers reach the same end state as 1 api + 1 worker', async () => {
    // One database and Redis; the baseline and the scaled run work on two organizations, so the
    // second topology is the first plus one api and one worker (saves starting a second stack).
    const stack = await startStack({ apis: 1, workers: 1, workerEnv: { WORKER_CONCURRENCY: '4' } });
    stacks.push(stack);
    const t0 = performance.now();
    const expected = await runWorkload(stack, 'One of each');
    const t1 = performance.now();

    await Promise.all([stack.startApi(), stack.startWorker()]);
    expect(stack.apis).toHaveLength(2);
    expect(stack.workers).toHaveLength(2);
    const t2 = performance.now();
    const actual = await runWorkload(stack, 'Two of each');
    const t3 = performance.now();
    console.info(`workload: 1+1 ${(t1 - t0).toFixed(0)} ms, 2+2 ${(t3 - t2).toFixed(0)} ms`);

    // Sanity of the expected state itself, then equality.
    expect(expected.users).toHaveLength(USERS - USERS / 5);
    expect(expected.users.filter((u) => !u.active)).toHaveLength(4); // 7, 14, 21, 28 (35 deleted)
    expect(expected.groups.map((g) => g.displayName)).toEqual(['Team 0', 'Team 1', 'Team 2']);
    expect(expected.groups.every((g) => g.members.every((m) => !m.startsWith('?')))).toBe(true);
    expect(actual).toEqual(expected);

    // The second api served its share of the writes, and both workers are alive.
    const metrics = await (
      await fetch(`${stack.apis[1]!.url}/metrics`, { signal: AbortSignal.timeout(5_000) })
    ).text();
    const writes = [
      ...metrics.matchAll(/^scim_requests_total\{method="(?:POST|PATCH|DELETE)",status="2\d\d"\} (\d+)$/gm),
    ].reduce((n, m) => n + Number(m[1]), 0);
    expect(writes).toBeGreaterThan(USERS / 2);
    expect(stack.workers.every((w) => w.proc.exitCode === null)).toBe(true);
  }, 55_000);
});
