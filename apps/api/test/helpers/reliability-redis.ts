// A private redis-server configured like a production queue store (append-only file, fsync on
// every write, no eviction), so a restart loses nothing it acknowledged: the restart tests measure
// the service, not a Redis that forgets. (pipeline-redis.ts has the non-persistent one.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, sleep, waitForExit } from './pipeline-util.js';

export interface PersistentRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  /** SIGTERM: Redis flushes the append-only file and exits (a clean restart). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function startPersistentRedis(): Promise<PersistentRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'scim-rel-redis-'));
  let proc: ChildProcess | null = null;

  const start = async () => {
    if (proc) return;
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--maxmemory-policy',
      'noeviction',
    ];
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
        // PING answers LOADING while the append-only file is replayed: wait for a real PONG.
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
    if (!(await waitForExit(p, 10_000))) {
      p.kill('SIGKILL');
      await waitForExit(p, 2_000);
    }
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
