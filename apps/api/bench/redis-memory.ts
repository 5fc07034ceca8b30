// Redis memory the service holds: finished jobs stay for the outcome window (removeOnComplete) so
// an IdP's retry gets the outcome, so a long sync holds about writes/s × that window of jobs.
import { DEFAULT_JOB_OPTIONS } from '@repo/jobs';
import { redisInfoField } from './redis-info.js';

/** Redis's `used_memory` in bytes. */
export async function redisUsedMemory(url: string): Promise<number> {
  const used = await redisInfoField(url, 'memory', 'used_memory');
  if (used === undefined) throw new Error('INFO memory has no used_memory');
  return Number(used);
}

/** How long a completed job is kept, in seconds. */
export const OUTCOME_WINDOW_S = DEFAULT_JOB_OPTIONS.removeOnComplete.age;
