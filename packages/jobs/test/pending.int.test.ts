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
    const admit = (id: string) =>
      admitPending(redis, prefix, org, id, { limit: 2, jobKey: `${prefix}:test:${org}:${id}` });
    expect(await admit('a')).toBe('new');
    expect(await admit('b')).toBe('new');
    expect(await admit('c')).toBe('busy');
    await redis.hset(`${prefix}:test:${org}:a`, 'name', 'job'); // the job of write a was added
    expect(await admit('a')).toBe('known'); // a retry of a pending write, whose job exists
    await settlePending(redis, prefix, org, 'a');
    expect(await admit('c')).toBe('new');
    expect(await redis.pttl(pendingKey(prefix, org))).toBeGreaterThan(0); // idle organizations leave no key behind
  });

  it('trims entries older than the TTL, so a crashed process never blocks an organization', async () => {
    const org = uuid();
    const [sec] = await redis.time();
    const longAgo = Number(sec) * 1000 - 10 * 60_000;
    await redis.zadd(pendingKey(prefix, org), longAgo, 'orphan-1', longAgo, 'orphan-2');
    expect(await admitPending(redis, prefix, org, 'fresh', { limit: 2, jobKey: `${prefix}:none` })).toBe(
      'new',
    );
    expect(await redis.zrange(pendingKey(prefix, org), 0, -1)).toEqual(['fresh']);
  });
});
