// Per-organization count of writes in flight, so one tenant's burst answers 429 instead of
// filling the queue for everyone. A sorted set per organization: member = job id, score = admit
// time (Redis clock, so api processes with skewed clocks agree). Entries are removed when the
// outcome is known (the worker settles; the producer too when it reads a finished job) and, as a
// safety net, trimmed once older than the TTL, so a crashed process never blocks an organization.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export const DEFAULT_PENDING_TTL_MS = 5 * 60_000;

export const pendingKey = (prefix: string, organizationId: string): string =>
  `${prefix}:org-pending:${organizationId}`;

// KEYS[1] pending set, KEYS[2] the job's hash; ARGV: jobId, limit, ttlMs.
// Returns 0 busy, 1 admitted (or already pending) with no such job yet, 2 admitted, job exists.
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[3])
local known = redis.call('EXISTS', KEYS[2]) == 1 and 2 or 1
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return known end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
return known
`;
const ADMIT_SHA = createHash('sha1').update(ADMIT).digest('hex');

export interface AdmitOptions {
  limit: number;
  ttlMs?: number;
  /** The job's hash key in BullMQ (queue.toKey(jobId)): tells a new job from a known one. */
  jobKey: string;
}

/** busy: at the limit; new: admitted, no job with this id exists; known: admitted, the job exists. */
export type Admission = 'busy' | 'new' | 'known';

/**
 * Atomically trims stale entries, then admits `jobId` unless the organization already has
 * `limit` writes pending. A job id already pending (a client retry) is always admitted. Whether
 * the job exists comes in the same round trip, so a new write needs no look at its state.
 */
export async function admitPending(
  redis: Redis,
  prefix: string,
  organizationId: string,
  jobId: string,
  { limit, ttlMs = DEFAULT_PENDING_TTL_MS, jobKey }: AdmitOptions,
): Promise<Admission> {
  const args = [pendingKey(prefix, organizationId), jobKey, jobId, String(limit), String(ttlMs)];
  let reply: unknown;
  try {
    reply = await redis.evalsha(ADMIT_SHA, 2, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    reply = await redis.eval(ADMIT, 2, ...args);
  }
  return reply === 2 ? 'known' : reply === 1 ? 'new' : 'busy';
}

/** Removes a finished write from its organization's pending set. Idempotent. */
export async function settlePending(
  redis: Pick<Redis, 'zrem'>,
  prefix: string,
  organizationId: string,
  jobId: string,
): Promise<void> {
  await redis.zrem(pendingKey(prefix, organizationId), jobId);
}
