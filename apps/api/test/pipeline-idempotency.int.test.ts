// Issue 4 §6: an IdP's retry of the same write joins the job instead of applying it twice —
// concurrently (both callers await one job) and after completion (the finished job's outcome).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteQueueKeys } from './helpers/pipeline-redis.js';
import { addMembersBody, scim, userBody } from './helpers/pipeline-scim.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
  await deleteQueueKeys(t.config.redis.url, t.config.redis.prefix);
});

const countUsers = async (org: { scimUrl: string; scimKey: string }, userName: string) => {
  const res = await scim(org, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
  return res.body!['totalResults'];
};

describe('the same write sent twice', () => {
  it('POST twice concurrently and again after completion → one member, every answer 201 with the same id', async () => {
    const org = await t.organization('Idem');
    const body = userBody('twice@example.com');
    // Different request ids, as two deliveries of one IdP request would have: the job id ignores them.
    const [a, b] = await Promise.all([
      scim(org, 'POST', '/Users', body, { 'x-request-id': 'twice-a' }),
      scim(org, 'POST', '/Users', body, { 'x-request-id': 'twice-b' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body!['id']).toBe(a.body!['id']);
    const again = await scim(org, 'POST', '/Users', body);
    expect(again.status).toBe(201);
    expect(again.body!['id']).toBe(a.body!['id']);
    expect(await countUsers(org, 'twice@example.com')).toBe(1);
    // And exactly one creation was applied (one audit event), not one per request.
    const audits = await t.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: string }>>(
        `select count(*) as n from audit_event where organization_id = ? and target_id = ? and action like 'member.%'`,
        [org.id, a.body!['id']],
      );
    expect(Number(audits[0]!.n)).toBe(1);
  });

  it('ten concurrent copies of one POST → one member, ten identical 201s', async () => {
    const org = await t.organization('Idem10');
    const body = userBody('ten@example.com', { displayName: 'Ten' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => scim(org, 'POST', '/Users', body)));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((r) => r.body!['id'])).size).toBe(1);
    expect(await countUsers(org, 'ten@example.com')).toBe(1);
  });

  it('a different body for the same userName is a different write → 409, still one member', async () => {
    const org = await t.organization('IdemConflict');
    const first = await scim(org, 'POST', '/Users', userBody('clash@example.com'));
    expect(first.status).toBe(201);
    const second = await scim(org, 'POST', '/Users', userBody('clash@example.com', { displayName: 'Other' }));
    expect(second.status).toBe(409);
    expect(await countUsers(org, 'clash@example.com')).toBe(1);
  });

  it('the same group PATCH sent twice concurrently and again → member added once, every answer 204', async () => {
    const org = await t.organization('IdemPatch');
    const user = await scim(org, 'POST', '/Users', userBody('m@example.com'));
    const group = await scim(org, 'POST', '/Groups', { displayName: 'G' });
    const patch = addMembersBody(user.body!['id'] as string);
    const path = `/Groups/${group.body!['id'] as string}`;
    const answers = await Promise.all([scim(org, 'PATCH', path, patch), scim(org, 'PATCH', path, patch)]);
    answers.push(await scim(org, 'PATCH', path, patch));
    expect(answers.map((r) => r.status)).toEqual([204, 204, 204]);
    const read = await scim(org, 'GET', path);
    expect(read.body!['members']).toEqual([expect.objectContaining({ value: user.body!['id'] })]);
  });
});
