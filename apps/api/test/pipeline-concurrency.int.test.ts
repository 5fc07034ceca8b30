// Issue 4 §3/§6: concurrent writes to one group or one user through the queue and several worker
// slots at once: every membership add applies, no user update is lost (row locks), versions count
// exactly the applied changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteQueueKeys } from './helpers/pipeline-redis.js';
import { PATCH_OP, addMembersBody, scim, userBody } from './helpers/pipeline-scim.js';
import { seedUsers } from './helpers/pipeline-seed.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
  await deleteQueueKeys(t.config.redis.url, t.config.redis.prefix);
});

describe('concurrent writes to one resource', () => {
  it('200 concurrent member adds to one group (distinct users) → all 200 present', async () => {
    const org = await t.organization('Crowd');
    const users = await seedUsers(
      t.orm,
      org.id,
      Array.from({ length: 200 }, (_, i) => `crowd${i}@example.com`),
    );
    const group = await scim(org, 'POST', '/Groups', { displayName: 'Crowd' });
    const path = `/Groups/${group.body!['id'] as string}`;

    const started = performance.now();
    const answers = await Promise.all(users.map((id) => scim(org, 'PATCH', path, addMembersBody(id))));
    const ms = performance.now() - started;
    const statuses = answers.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    console.info(`200 concurrent member adds: ${ms.toFixed(0)} ms, statuses ${JSON.stringify(statuses)}`);
    expect(statuses).toEqual({ 204: 200 });

    const read = await scim(org, 'GET', path);
    const members = (read.body!['members'] as Array<{ value: string }>).map((m) => m.value).sort();
    expect(members).toEqual([...users].sort());
    const rows = await t.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: string }>>('select count(*) as n from group_membership where group_id = ?', [
        group.body!['id'],
      ]);
    expect(Number(rows[0]!.n)).toBe(200);
  });

  it('50 concurrent PATCHes to one user (distinct attributes) → all applied, version = 1 + 50', async () => {
    const org = await t.organization('OneUser');
    const created = await scim(org, 'POST', '/Users', userBody('busy@example.com'));
    expect(created.status).toBe(201);
    const id = created.body!['id'] as string;
    expect(created.body!['meta']).toMatchObject({ version: 'W/"1"' });

    const patch = (n: number) => ({
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'add',
          path: `phoneNumbers[type eq "t${n}"].value`,
          value: `+1555000${String(n).padStart(4, '0')}`,
        },
      ],
    });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, n) => scim(org, 'PATCH', `/Users/${id}`, patch(n))),
    );
    const statuses = answers.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    expect(statuses, JSON.stringify(answers.find((r) => r.status !== 200)?.body)).toEqual({ 200: 50 });

    const read = await scim(org, 'GET', `/Users/${id}`);
    const phones = (read.body!['phoneNumbers'] as Array<{ type: string; value: string }>)
      .map((p) => p.type)
      .sort();
    expect(phones).toEqual(Array.from({ length: 50 }, (_, n) => `t${n}`).sort());
    expect(read.body!['meta']).toMatchObject({ version: 'W/"51"' });
    expect(read.headers.get('etag')).toBe('W/"51"');
    // Each answer is read back after its commit, so it shows a version at least as new as its own
    // write (two answers may show the same later state); none can predate the first write.
    const versions = answers.map((r) =>
      Number(/\d+/.exec((r.body!['meta'] as { version: string }).version)![0]),
    );
    expect(Math.min(...versions)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...versions)).toBeLessThanOrEqual(51);
  });
});
