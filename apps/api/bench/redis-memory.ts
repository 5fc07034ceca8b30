// Redis memory the service holds: finished jobs stay for the outcome window (removeOnComplete) so
// an IdP's retry gets the outcome, so a long sync holds about writes/s × that window of jobs.
import { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS } from '@repo/jobs';

/** Redis's `used_memory` in bytes. */
export async function redisUsedMemory(url: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const match = /^used_memory:(\d+)/m.exec(await redis.info('memory'));
    if (!match?.[1]) throw new Error('INFO memory has no used_memory');
    return Number(match[1]);
  } finally {
    redis.disconnect();
  }
}

/** How long a completed job is kept, in seconds. */
export const OUTCOME_WINDOW_S = DEFAULT_JOB_OPTIONS.removeOnComplete.age;
