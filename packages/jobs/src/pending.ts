// Per-organization count of writes in flight, so one tenant's burst answers 429 instead of
// filling the queue for everyone. A sorted set per organization: member = job id, score = admit
// time (Redis clock, so api processes with skewed clocks agree). Nobody removes an entry when its
// write finishes: that would cost a Redis round trip per job. Instead an admission that finds the
// set at the limit drops the entries whose job has finished (BullMQ sets `finishedOn` on a
// completed or failed job, not on one waiting for a retry) or is gone, then counts again. Entries
// older than the TTL are trimmed on every admission, so a crashed process never blocks an
// organization, and an idle organization's set expires.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export const DEFAULT_PENDING_TTL_MS = 5 * 60_000;

/**
 * An entry whose job does not exist yet is a write between its admission and its add (bounded by
 * the producer's Redis timeout), unless it is older than this: then its add failed or its job was
 * removed.
 */
export const ADD_GRACE_MS = 60_000;

/**
 * After a scan at the limit that left the organization full (its writes really are pending, e.g.
 * the worker is down), admissions answer busy without scanning again for this long: an IdP
 * retrying 429s must not make Redis walk `limit` entries per request.
 */
export const RESCAN_AFTER_MS = 200;

export const pendingKey = (prefix: string, organizationId: string): string =>
  `${prefix}:org-pending:${organizationId}`;

// KEYS[1] pending set, KEYS[2] the job's hash, KEYS[3] "scanned and still full" marker; ARGV:
// jobId, limit, ttlMs, job key prefix (the job's hash key without its id), add grace ms, rescan ms.
// Returns 0 busy, 1 admitted (or already pending) with no such job yet, 2 admitted, job exists.
// At the limit it looks at every entry once (at most `limit`, one HEXISTS each); in a steady
// stream of writes that happens once per `limit` admissions, and for a full organization at most
// once per rescan interval.
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local known = redis.call('EXISTS', KEYS[2]) == 1 and 2 or 1
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return known end
if redis.call('ZCARD', KEYS[1]) >= limit then
  if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
  local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
  local addedBefore = now - tonumber(ARGV[5])
  local done = {}
  for i = 1, #entries, 2 do
    local key = ARGV[4] .. entries[i]
    if redis.call('HEXISTS', key, 'finishedOn') == 1
      or (tonumber(entries[i + 1]) < addedBefore and redis.call('EXISTS', key) == 0) then
      done[#done + 1] = entries[i]
    end
  end
  for i = 1, #done, 500 do
    redis.call('ZREM', KEYS[1], unpack(done, i, math.min(i + 499, #done)))
  end
  if redis.call('ZCARD', KEYS[1]) >= limit then
    if tonumber(ARGV[6]) > 0 then redis.call('SET', KEYS[3], '1', 'PX', ARGV[6]) end
    return 0
  end
end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
return known
`;
const ADMIT_SHA = createHash('sha1').update(ADMIT).digest('hex');

export interface AdmitOptions {
  limit: number;
  ttlMs?: number;
  /** The queue's job key prefix (queue.toKey('')): job id → the job's hash in BullMQ. */
  jobKeyPrefix: string;
  addGraceMs?: number;
  /** 0: scan on every admission at the limit. */
  rescanAfterMs?: number;
}

/** busy: at the limit; new: admitted, no job with this id exists; known: admitted, the job exists. */
export type Admission = 'busy' | 'new' | 'known';

/**
 * Atomically trims stale entries, then admits `jobId` unless the organization already has
 * `limit` writes pending (finished ones are dropped first). A job id already pending (a client
 * retry) is always admitted. Whether the job exists comes in the same round trip, so a new write
 * needs no look at its state.
 */
export async function admitPending(
  redis: Redis,
  prefix: string,
  organizationId: string,
  jobId: string,
  {
    limit,
    ttlMs = DEFAULT_PENDING_TTL_MS,
    jobKeyPrefix,
    addGraceMs = ADD_GRACE_MS,
    rescanAfterMs = RESCAN_AFTER_MS,
  }: AdmitOptions,
): Promise<Admission> {
  const key = pendingKey(prefix, organizationId);
  const keys = [key, jobKeyPrefix + jobId, `${key}:full`];
  const args = [
    ...keys,
    jobId,
    String(limit),
    String(ttlMs),
    jobKeyPrefix,
    String(addGraceMs),
    String(rescanAfterMs),
  ];
  let reply: unknown;
  try {
    reply = await redis.evalsha(ADMIT_SHA, keys.length, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    reply = await redis.eval(ADMIT, keys.length, ...args);
  }
  return reply === 2 ? 'known' : reply === 1 ? 'new' : 'busy';
}
