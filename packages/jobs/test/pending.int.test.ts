import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { admitPending, pendingKey } from '../src/index.js';
import { deleteKeys, redisUrl, sleep, uniquePrefix, uuid } from './helpers.js';

const redis = new Redis(redisUrl);
const prefix = uniquePrefix('pending');

afterAll(async () => {
  await deleteKeys(redisUrl, prefix);
  redis.disconnect();
});

/** A job hash as BullMQ leaves it: waiting or retrying (no finishedOn), or finished. */
const jobHash = (key: string, finished: boolean) =>
  redis.hset(key, { name: 'scim.write', ...(finished ? { finishedOn: String(Date.now()) } : {}) });

describe('pending set', () => {
  it('admits up to the limit, re-admits a pending id, and drops finished writes when at the limit', async () => {
    const org = uuid();
    const jobKeyPrefix = `${prefix}:test:${org}:`;
    const admit = (id: string) =>
      admitPending(redis, prefix, org, id, { limit: 2, jobKeyPrefix, rescanAfterMs: 0 });
    expect(await admit('a')).toBe('new');
    expect(await admit('b')).toBe('new');
    expect(await admit('c')).toBe('busy'); // a and b have no job yet: their adds are on the way
    await jobHash(`${jobKeyPrefix}a`, false); // a's job was added and waits (or waits for a retry)
    await jobHash(`${jobKeyPrefix}b`, false);
    expect(await admit('a')).toBe('known'); // a retry of a pending write, whose job exists
    expect(await admit('c')).toBe('busy'); // unfinished jobs keep their slots
    await jobHash(`${jobKeyPrefix}a`, true); // a completed (or failed for good)
    expect(await admit('c')).toBe('new');
    expect((await redis.zrange(pendingKey(prefix, org), 0, -1)).sort()).toEqual(['b', 'c']);
    expect(await redis.pttl(pendingKey(prefix, org))).toBeGreaterThan(0); // idle organizations leave no key behind
  });

  it('drops an entry without a job once it is older than the add grace (its add failed, or the job is gone)', async () => {
    const org = uuid();
    const jobKeyPrefix = `${prefix}:test:${org}:`;
    const [sec] = await redis.time();
    const minuteAgo = Number(sec) * 1000 - 60_000;
    await redis.zadd(pendingKey(prefix, org), minuteAgo, 'lost', minuteAgo, 'slow');
    await jobHash(`${jobKeyPrefix}slow`, false); // old, but its job exists and has not finished
    const admit = (id: string, addGraceMs: number) =>
      admitPending(redis, prefix, org, id, { limit: 2, jobKeyPrefix, addGraceMs, rescanAfterMs: 0 });
    expect(await admit('next', 120_000)).toBe('busy');
    expect(await admit('next', 30_000)).toBe('new');
    expect((await redis.zrange(pendingKey(prefix, org), 0, -1)).sort()).toEqual(['next', 'slow']);
  });

  it('scans a full organization at most once per rescan interval (an IdP retrying 429s)', async () => {
    const org = uuid();
    const jobKeyPrefix = `${prefix}:test:${org}:`;
    const admit = (id: string) =>
      admitPending(redis, prefix, org, id, { limit: 2, jobKeyPrefix, rescanAfterMs: 300 });
    expect(await admit('a')).toBe('new');
    expect(await admit('b')).toBe('new');
    await jobHash(`${jobKeyPrefix}a`, false);
    await jobHash(`${jobKeyPrefix}b`, false);
    expect(await admit('c')).toBe('busy'); // scanned: both still pending
    await jobHash(`${jobKeyPrefix}a`, true);
    expect(await admit('c')).toBe('busy'); // inside the interval: no scan, a's slot not yet freed
    expect((await redis.zrange(pendingKey(prefix, org), 0, -1)).sort()).toEqual(['a', 'b']);
    await sleep(350);
    expect(await admit('c')).toBe('new');
  });

  it('trims entries older than the TTL, so a crashed process never blocks an organization', async () => {
    const org = uuid();
    const [sec] = await redis.time();
    const longAgo = Number(sec) * 1000 - 10 * 60_000;
    await redis.zadd(pendingKey(prefix, org), longAgo, 'orphan-1', longAgo, 'orphan-2');
    expect(
      await admitPending(redis, prefix, org, 'fresh', { limit: 2, jobKeyPrefix: `${prefix}:none:` }),
    ).toBe('new');
    expect(await redis.zrange(pendingKey(prefix, org), 0, -1)).toEqual(['fresh']);
  });

  it('drops finished writes in one admission even when thousands are pending', async () => {
    const org = uuid();
    const jobKeyPrefix = `${prefix}:test:${org}:`;
    const ids = Array.from({ length: 3_000 }, (_, i) => `w${i}`);
    const [sec] = await redis.time();
    const now = Number(sec) * 1000;
    await redis.zadd(pendingKey(prefix, org), ...ids.flatMap((id) => [now, id]));
    // Every other write finished; the rest still wait.
    const pipeline = redis.pipeline();
    ids.forEach((id, i) =>
      pipeline.hset(`${jobKeyPrefix}${id}`, {
        name: 'scim.write',
        ...(i % 2 === 0 ? { finishedOn: '1' } : {}),
      }),
    );
    await pipeline.exec();
    const admit = (id: string) => admitPending(redis, prefix, org, id, { limit: 3_000, jobKeyPrefix });
    expect(await admit('new')).toBe('new');
    expect(await redis.zcard(pendingKey(prefix, org))).toBe(1_501);
  });
});
