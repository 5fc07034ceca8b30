// Removes the run's keys (its private BullMQ prefix, rate-limit counters) from the shared Redis.
import { Redis } from 'ioredis';

export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  if (!/^[\w-]{4,}$/.test(prefix)) throw new Error(`refusing to delete keys for prefix "${prefix}"`);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    // Bounded: at most 10k SCAN rounds of 1,000 keys.
    for (let round = 0; round < 10_000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) deleted += await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}
