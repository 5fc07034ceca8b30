import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { admitPending, pendingKey } from '../src/index.js';
import type { AdmitOptions } from '../src/pending.js';
import { deleteKeys, redisUrl, sleep, uniquePrefix, uuid } from './helpers.js';

const redis = new Redis(redisUrl);
const prefix = uniquePrefix('pending');

afterAll(async () => {
  await deleteKeys(redisUrl, prefix);
  redis.disconnect();
});

/** A fresh organization: its admissions (limit 2 unless told) and its jobs' hashes. */
function organization() {
  const org = uuid();
  const jobKeyPrefix = `${prefix}:test:${org}:`;
  return {
    org,
    admit: (id: string, opts: Partial<AdmitOptions> = {}) =>
      admitPending(redis, prefix, org, id, { limit: 2, jobKeyPrefix, ...opts }),
    /** The job's hash as BullMQ leaves it: waiting or retrying (no finishedOn), or finished. */
    job: (id: string, finished: boolean) =>
      redis.hset(`${jobKeyPrefix}${id}`, {
        name: 'scim.write',
        ...(finished ? { finishedOn: String(Date.now()) } : {}),
      }),
    /** Entries admitted `agoMs` ago (by the Redis clock) by an earlier admission. */
    admittedAgo: async (agoMs: number, ids: readonly string[]) => {
      const [sec] = await redis.time();
      const at = Number(sec) * 1000 - agoMs;
      await redis.zadd(pendingKey(prefix, org), ...ids.flatMap((id) => [at, id]));
    },
    entries: async () => (await redis.zrange(pendingKey(prefix, org), 0, -1)).sort(),
  };
}

describe('pending set', () => {
  it('admits up to the limit, re-admits a pending id, and drops finished writes when at the limit', async () => {
    const { org, job, entries, ...o } = organization();
    const admit = (id: string) => o.admit(id, { rescanAfterMs: 0 });
    expect(await admit('a')).toBe('new');
    expect(await admit('b')).toBe('new');
    expect(await admit('c')).toBe('busy'); // a and b have no job yet: their adds are on the way
    await job('a', false); // a's job was added and waits (or waits for a retry)
    await job('b', false);
    expect(await admit('a')).toBe('known'); // a retry of a pending write, whose job exists
    expect(await admit('c')).toBe('busy'); // unfinished jobs keep their slots
    await job('a', true); // a completed (or failed for good)
    expect(await admit('c')).toBe('new');
    expect(await entries()).toEqual(['b', 'c']);
    expect(await redis.pttl(pendingKey(prefix, org))).toBeGreaterThan(0); // idle organizations leave no key behind
  });

  it('drops an entry without a job once it is older than the add grace (its add failed, or the job is gone)', async () => {
    const { admittedAgo, job, entries, ...o } = organization();
    await admittedAgo(60_000, ['lost', 'slow']);
    await job('slow', false); // old, but its job exists and has not finished
    const admit = (id: string, addGraceMs: number) => o.admit(id, { addGraceMs, rescanAfterMs: 0 });
    expect(await admit('next', 120_000)).toBe('busy');
    expect(await admit('next', 30_000)).toBe('new');
    expect(await entries()).toEqual(['next', 'slow']);
  });

  it('scans a full organization at most once per rescan interval (an IdP retrying 429s)', async () => {
    const { job, entries, ...o } = organization();
    const admit = (id: string) => o.admit(id, { rescanAfterMs: 300 });
    expect(await admit('a')).toBe('new');
    expect(await admit('b')).toBe('new');
    await job('a', false);
    await job('b', false);
    expect(await admit('c')).toBe('busy'); // scanned: both still pending
    await job('a', true);
    expect(await admit('c')).toBe('busy'); // inside the interval: no scan, a's slot not yet freed
    expect(await entries()).toEqual(['a', 'b']);
    await sleep(350);
    expect(await admit('c')).toBe('new');
  });

  it('trims entries older than the TTL, so a crashed process never blocks an organization', async () => {
    const { admit, admittedAgo, entries } = organization();
    await admittedAgo(10 * 60_000, ['orphan-1', 'orphan-2']);
    expect(await admit('fresh')).toBe('new');
    expect(await entries()).toEqual(['fresh']);
  });

  it('drops finished writes in one admission even when thousands are pending', async () => {
    const { admit, admittedAgo, job, entries } = organization();
    const ids = Array.from({ length: 3_000 }, (_, i) => `w${i}`);
    await admittedAgo(0, ids);
    // Every other write finished; the rest still wait.
    await Promise.all(ids.map((id, i) => job(id, i % 2 === 0)));
    expect(await admit('new', { limit: 3_000 })).toBe('new');
    expect(await entries()).toHaveLength(1_501);
  });
});
