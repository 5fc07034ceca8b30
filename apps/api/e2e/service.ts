// Starts the real service (api + worker processes, as `pnpm start` runs them) on a fresh
// PostgreSQL database and a private queue prefix, for the conformance and simulator runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@repo/domain/testing';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface RunningService {
  baseUrl: string;
  env: Record<string, string>;
  db: TestDatabase;
  /** Process ids of the api and the worker (for RSS sampling). */
  pids: { api: number; worker: number };
  /** Runs a scimctl command with --json and parses its output. */
  cli<T>(args: string[]): Promise<T>;
  stop(): Promise<void>;
}

function node(script: string, args: string[], env: Record<string, string>, inherit = false): ChildProcess {
  return spawn(
    process.execPath,
    ['--enable-source-maps', '--conditions=@repo/source', '--import', 'tsx', script, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    },
  );
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`service at ${url} not ready after ${timeoutMs} ms`);
}

export async function startService(opts: {
  port: number;
  logLevel?: string;
  extraEnv?: Record<string, string>;
}): Promise<RunningService> {
  const db = await createTestDatabase('postgresql', 'e2e');
  // The run's own data directory (invitations as `.eml` files when SMTP_URL is unset), removed on stop.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'scim-e2e-'));
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const env = {
    DATABASE_URL: db.url,
    PORT: String(opts.port),
    PUBLIC_URL: baseUrl,
    QUEUE_PREFIX: `e2e${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: opts.logLevel ?? 'warn',
    DATA_DIR: dataDir,
    ...opts.extraEnv,
  };
  // The heap caps as scripts/start.sh sets them (API_HEAP_MB, WORKER_HEAP_MB).
  const heapCap = (name: string, fallback: number) => ({
    ...env,
    NODE_OPTIONS: `--max-old-space-size=${opts.extraEnv?.[name] ?? process.env[name] ?? fallback} ${process.env['NODE_OPTIONS'] ?? ''}`,
  });
  const procs = [
    node('apps/api/src/main.ts', [], heapCap('API_HEAP_MB', 192), true),
    node('apps/worker/src/main.ts', [], heapCap('WORKER_HEAP_MB', 256), true),
  ];
  const stopAll = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            // Graceful shutdown is bounded (SHUTDOWN_TIMEOUT_MS); past that, don't hang the caller.
            const hard = setTimeout(() => p.kill('SIGKILL'), 35_000);
            p.once('exit', () => {
              clearTimeout(hard);
              resolve();
            });
            p.kill('SIGTERM');
          }),
      ),
    );
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForReady(baseUrl, 30_000);
  } catch (e) {
    // Never leave processes or a database behind when the service doesn't come up.
    await stopAll();
    throw e;
  }
  const [api, worker] = procs;
  return {
    baseUrl,
    env,
    db,
    pids: { api: api?.pid ?? 0, worker: worker?.pid ?? 0 },
    async cli<T>(args: string[]) {
      const child = node('apps/api/src/cli/main.ts', [...args, '--json'], env);
      let out = '';
      let err = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
      if (code !== 0) throw new Error(`scimctl ${args.join(' ')} failed: ${err.trim()}`);
      return JSON.parse(out) as T;
    },
    stop: stopAll,
  };
}
