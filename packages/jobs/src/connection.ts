// Redis connection options for the three kinds of client this package opens:
// - fail-fast command clients (producer, pending-set bookkeeping): a down Redis must turn into an
//   error at once, never into a queued command that waits for a reconnect;
// - blocking clients (QueueEvents, Worker): BullMQ requires maxRetriesPerRequest: null so a
//   blocking read survives reconnects.
// Both reconnect forever with a short capped delay, so service resumes quickly after an outage.
// No ioredis keyPrefix: namespacing is BullMQ's `prefix`.
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/** ioredis options, or a redis:// / rediss:// URL. */
export type ConnectionInput = RedisOptions | string;

export const DEFAULT_REDIS_TIMEOUT_MS = 1_000;

/** Reconnect delay: 200 ms, 400 ms, … capped at 2 s; never gives up (null would end the client). */
export const reconnectDelay = (times: number): number => Math.min(100 * 2 ** Math.min(times, 5), 2_000);

export function toRedisOptions(input: ConnectionInput): RedisOptions {
  if (typeof input !== 'string') return { ...input };
  const url = new URL(input);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`unsupported Redis URL scheme ${url.protocol}`);
  }
  const opts: RedisOptions = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
  };
  if (url.username) opts.username = decodeURIComponent(url.username);
  if (url.password) opts.password = decodeURIComponent(url.password);
  const db = url.pathname.replace(/^\//, '');
  if (db) {
    if (!/^\d+$/.test(db)) throw new Error(`invalid Redis database ${JSON.stringify(db)} in URL`);
    opts.db = Number(db);
  }
  if (url.protocol === 'rediss:') opts.tls = {};
  return opts;
}

export function failFastOptions(input: ConnectionInput, timeoutMs = DEFAULT_REDIS_TIMEOUT_MS): RedisOptions {
  return {
    ...toRedisOptions(input),
    enableOfflineQueue: false, // disconnected → commands reject immediately
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs, // a hung (not refused) Redis is bounded too
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
  };
}

export function blockingOptions(input: ConnectionInput): RedisOptions {
  return {
    ...toRedisOptions(input),
    maxRetriesPerRequest: null, // required by BullMQ for blocking connections
    retryStrategy: reconnectDelay, // BullMQ's default backs off to 20 s; events would lag long after an outage
  };
}

export function createFailFastClient(input: ConnectionInput, name: string, timeoutMs?: number): Redis {
  const client = new Redis({ ...failFastOptions(input, timeoutMs), connectionName: name });
  // Without a listener ioredis prints "Unhandled error event" on every failed reconnect.
  client.on('error', () => undefined);
  return client;
}

/** quit() with a bound: on a dead connection quit can wait for a reconnect that never comes. */
export async function closeClient(client: Redis, timeoutMs = DEFAULT_REDIS_TIMEOUT_MS): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.quit().then(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
  } catch {
    // fall through to disconnect
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

// One pending 'ready' wait per client, shared by all callers: during an outage every request
// would otherwise add its own listener.
const readyWaits = new WeakMap<Redis, Promise<void>>();

/**
 * Resolves once the client can take commands. With enableOfflineQueue: false a command sent
 * while connecting is rejected, so callers await this first, under their own deadline.
 * Rejects as soon as the connection attempt in progress fails.
 */
export function whenReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  // A connection attempt already failed and the next one is scheduled: Redis is down, say so now.
  if (client.status === 'reconnecting' || client.status === 'end') {
    return Promise.reject(new Error(`Redis connection is ${client.status}`));
  }
  let wait = readyWaits.get(client);
  if (!wait) {
    wait = new Promise<void>((resolve, reject) => {
      const done = () => {
        readyWaits.delete(client);
        client.off('ready', onReady);
        client.off('close', onClose);
      };
      const onReady = () => {
        done();
        resolve();
      };
      // A request arriving while a reconnect attempt is in flight ('connecting') must not wait for
      // its caller's whole deadline when that attempt is refused: 'close' ends the attempt.
      const onClose = () => {
        done();
        reject(new Error('Redis connection attempt failed'));
      };
      client.on('ready', onReady);
      client.on('close', onClose);
    });
    wait.catch(() => undefined); // callers that gave up (deadline) must not leave it unhandled
    readyWaits.set(client, wait);
  }
  return wait;
}
