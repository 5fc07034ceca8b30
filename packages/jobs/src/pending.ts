// Per-organization count of writes in flight, so one tenant's burst answers 429 instead of
// filling the queue for everyone. A sorted set per organization: member = job id, score = admit
// time (Redis clock, so api processes with skewed clocks agree). Entries are removed when the
// outcome is known (producer and consumer both settle) and, as a safety net, trimmed once older
// than the TTL, so a crashed process can never leave an organization blocked.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export const DEFAULT_PENDING_TTL_MS = 5 * 60_000;

export const pendingKey = (prefix: string, organizationId: string): string =>
  `${prefix}:org-pending:${organizationId}`;

// KEYS[1] pending set; ARGV: jobId, limit, ttlMs. Returns 1 admitted (or already pending), 0 busy.
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`;
const ADMIT_SHA = createHash('sha1').update(ADMIT).digest('hex');

export interface AdmitOptions {
  limit: number;
  ttlMs?: number;
}

/**
 * Atomically trims stale entries, then admits `jobId` unless the organization already has
 * `limit` writes pending. A job id already pending (a client retry) is always admitted.
 */
export async function admitPending(
  redis: Redis,
  prefix: string,
  organizationId: string,
  jobId: string,
  { limit, ttlMs = DEFAULT_PENDING_TTL_MS }: AdmitOptions,
): Promise<boolean> {
  const args = [pendingKey(prefix, organizationId), jobId, String(limit), String(ttlMs)];
  let reply: unknown;
  try {
    reply = await redis.evalsha(ADMIT_SHA, 1, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    reply = await redis.eval(ADMIT, 1, ...args);
  }
  return reply === 1;
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
