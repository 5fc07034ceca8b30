// Redis for the pipeline tests: a private redis-server (to stop and restart without touching the
// shared one on 6379) and cleanup of a queue prefix's keys.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, sleep, waitForExit } from './pipeline-util.js';

/** Deletes every key under `${prefix}:` (SCAN, bounded). Errors are swallowed: cleanup is best effort. */
export async function deleteQueueKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    // 10 000 rounds × 1 000 keys is far more than any test writes; the bound only guards a bug.
    for (let round = 0; round < 10_000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      if (keys.length) deleted += await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } catch {
    // Redis gone (a private server already stopped): nothing left to clean.
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** Stops the server (SIGTERM; SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty unless persistent). */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: connections stay open but nothing answers (a hung server). */
  pause(): void;
  resume(): void;
  /** Stops it for good. */
  close(): Promise<void>;
}

/**
 * A throw-away redis-server on a free loopback port. Without options it keeps nothing; `persistent`
 * configures it like a production queue store (append-only file, fsync on every write, no eviction)
 * so a restart loses nothing it acknowledged.
 */
export async function startPrivateRedis(opts: { persistent?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = opts.persistent ? mkdtempSync(path.join(tmpdir(), 'scim-redis-')) : null;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
  ];
  args.push(
    ...(dir ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  );
  // A persistent server flushes its append-only file on SIGTERM: give it time.
  const stopGraceMs = dir ? 10_000 : 2_000;
  let proc: ChildProcess | null = null;

  const start = async () => {
    if (proc) return;
    proc = spawn('redis-server', args, { stdio: 'ignore' });
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      for (let i = 0; i < 100; i++) {
        // PING answers LOADING while an append-only file is replayed: wait for a real PONG.
        const up = await probe
          .connect()
          .then(() => probe.ping())
          .then((r) => r === 'PONG')
          .catch(() => false);
        if (up) return;
        probe.disconnect();
        await sleep(100);
      }
      throw new Error(`private redis-server on ${port} did not start`);
    } finally {
      probe.disconnect();
    }
  };
  const stop = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    p.kill('SIGTERM');
    if (!(await waitForExit(p, stopGraceMs))) {
      p.kill('SIGKILL');
      await waitForExit(p, 2_000);
    }
  };
  const signal = (s: NodeJS.Signals) => {
    if (proc && proc.exitCode === null) proc.kill(s);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    close: async () => {
      signal('SIGCONT'); // a stopped process would ignore SIGTERM until continued
      await stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
