// Shared pieces for the integration tests: a unique BullMQ prefix per run (parallel packages and
// runs never see each other's keys), private redis-server processes for outage tests, handlers.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { Handlers, JobContext, JobData, JobInput, WriteOutcome } from '../src/index.js';

export const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const uniquePrefix = (label: string): string =>
  `jobs-test-${label}-${process.pid}-${randomUUID().slice(0, 8)}`;

export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function clientNames(url: string): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const list = String(await redis.call('CLIENT', 'LIST'));
    return list
      .split('\n')
      .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
      .filter(Boolean);
  } finally {
    redis.disconnect();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(25);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server of our own (never the shared one), which a test may kill and restart. */
export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  kill(): Promise<void>;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  return {
    url,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      await until(async () => {
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      });
      probe.disconnect();
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL'); // a crash, not a clean shutdown
      await exited;
    },
  };
}

export const uuid = (): string => randomUUID();

export const okOutcome = (id: string, version = 1): WriteOutcome => ({
  ok: true,
  status: 200,
  resourceType: 'User',
  id,
  version,
});

/** A scim.write (DELETE, the smallest valid shape) for an organization. */
export const scimDelete = (organizationId: string, resourceId = uuid()): JobInput<'scim.write'> => ({
  v: 1,
  organizationId,
  requestId: `req-${resourceId.slice(0, 8)}`,
  resource: 'User',
  method: 'DELETE',
  resourceId,
});

type ScimHandler = (data: JobData<'scim.write'>, ctx: JobContext) => Promise<WriteOutcome>;

/** Handlers where only scim.write matters; the rest answer trivially. */
export const handlersWith = (scimWrite: ScimHandler): Handlers => ({
  'scim.write': scimWrite,
  'admin.write': async () => ({ ok: true, status: 204, resourceType: null, id: null, version: null }),
  'mail.send': async () => ({ sent: true }),
  'failure.digest': async () => ({ emails: 0 }),
});
