import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { admitPending, pendingKey, settlePending } from '../src/index.js';
import { deleteKeys, redisUrl, uniquePrefix, uuid } from './helpers.js';

const redis = new Redis(redisUrl);
const prefix = uniquePrefix('pending');

afterAll(async () => {
  await deleteKeys(redisUrl, prefix);
  redis.disconnect();
});

describe('pending set', () => {
  it('admits up to the limit, re-admits a pending id, and frees slots on settle', async () => {
    const org = uuid();
    const admit = (id: string) => admitPending(redis, prefix, org, id, { limit: 2 });
    expect(await admit('a')).toBe(true);
    expect(await admit('b')).toBe(true);
    expect(await admit('c')).toBe(false);
    expect(await admit('a')).toBe(true); // a retry of a pending write
    await settlePending(redis, prefix, org, 'a');
    expect(await admit('c')).toBe(true);
    expect(await redis.pttl(pendingKey(prefix, org))).toBeGreaterThan(0); // idle organizations leave no key behind
  });

  it('trims entries older than the TTL, so a crashed process never blocks an organization', async () => {
    const org = uuid();
    const [sec] = await redis.time();
    const longAgo = Number(sec) * 1000 - 10 * 60_000;
    await redis.zadd(pendingKey(prefix, org), longAgo, 'orphan-1', longAgo, 'orphan-2');
    expect(await admitPending(redis, prefix, org, 'fresh', { limit: 2 })).toBe(true);
    expect(await redis.zrange(pendingKey(prefix, org), 0, -1)).toEqual(['fresh']);
  });
});
