// Real api and worker processes for the pipeline tests, started the way `pnpm start` starts them
// (node + tsx on apps/*/src/main.ts), on one fresh PostgreSQL database and one queue prefix.
// Unlike e2e/service.ts, each process can be killed, signalled and restarted on its own, ports
// are free ones, logs are captured (JSON lines), and close() removes the Redis keys too.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { createAdminToken, createOrganization } from '@repo/domain';
import { createTestDatabase, createTestOrm, type TestDatabase } from '@repo/domain/testing';
import { deleteQueueKeys } from './pipeline-redis.js';
import { eventually, freePort, waitForExit } from './pipeline-util.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const MAX_LOG_LINES = 20_000;

export interface ManagedProcess {
  name: string;
  proc: ChildProcess;
  /** Output lines, stdout and stderr interleaved (pino JSON for both apps). */
  lines: string[];
  /** Exit code (null when killed by a signal) and signal, once it has exited. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Parsed JSON log lines matching `pred`. */
  logs(pred?: (line: Record<string, unknown>) => boolean): Array<Record<string, unknown>>;
  /** Signal and wait for the exit, at most `ms`; SIGKILL after that. */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnApp(name: string, script: string, env: Record<string, string>): ManagedProcess {
  const proc = spawn(
    process.execPath,
    ['--enable-source-maps', '--conditions=@repo/source', '--import', 'tsx', script],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const collect = (chunk: Buffer, carry: { rest: string }) => {
    const parts = (carry.rest + chunk.toString('utf8')).split('\n');
    carry.rest = parts.pop() ?? '';
    for (const line of parts) if (lines.length < MAX_LOG_LINES) lines.push(line);
  };
  const out = { rest: '' };
  const err = { rest: '' };
  proc.stdout?.on('data', (c: Buffer) => collect(c, out));
  proc.stderr?.on('data', (c: Buffer) => collect(c, err));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null)
      resolve({ code: proc.exitCode, signal: proc.signalCode });
    proc.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    name,
    proc,
    lines,
    exit,
    logs(pred = () => true) {
      const parsed: Array<Record<string, unknown>> = [];
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          const obj = JSON.parse(line) as Record<string, unknown>;
          if (pred(obj)) parsed.push(obj);
        } catch {
          // not a log line
        }
      }
      return parsed;
    },
    async stop(signal = 'SIGTERM', ms = 15_000) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill(signal);
        if (!(await waitForExit(proc, ms))) proc.kill('SIGKILL');
      }
      return exit;
    },
  };
}

export interface StackOptions {
  apis?: number;
  workers?: number;
  /** For every process. */
  env?: Record<string, string>;
  /** For worker processes only (e.g. a short lock duration). */
  workerEnv?: Record<string, string>;
  redisUrl?: string;
}

export interface Api {
  process: ManagedProcess;
  url: string;
}

export interface Stack {
  db: TestDatabase;
  orm: MikroORM;
  env: Record<string, string>;
  apis: Api[];
  workers: ManagedProcess[];
  startApi(): Promise<Api>;
  startWorker(): Promise<ManagedProcess>;
  organization(name?: string): Promise<{ id: string; scimKey: string; scimUrl(api?: Api): string }>;
  allOrgsToken(role: 'admin' | 'reader'): Promise<string>;
  close(): Promise<void>;
}

/** api and worker processes on one fresh PostgreSQL database, one Redis and one queue prefix. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const db = await createTestDatabase('postgresql', 'pipeline');
  const orm = await createTestOrm(db, 4);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'scim-pipeline-'));
  const redisUrl = opts.redisUrl ?? process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = `pl${randomUUID().slice(0, 8)}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATABASE_POOL_MAX: '10',
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    PUBLIC_URL: 'http://localhost:3000',
    ...opts.env,
  };
  const apis: Api[] = [];
  const workers: ManagedProcess[] = [];
  let seq = 0;

  const startApi = async (): Promise<Api> => {
    const port = await freePort();
    const proc = spawnApp(`api${++seq}`, 'apps/api/src/main.ts', { ...env, PORT: String(port) });
    const api = { process: proc, url: `http://127.0.0.1:${port}` };
    apis.push(api);
    await eventually(
      `${proc.name} ready`,
      async () =>
        proc.proc.exitCode !== null ||
        (await fetch(`${api.url}/readyz`, { signal: AbortSignal.timeout(2_000) })).ok,
      30_000,
      100,
    ).catch((e: unknown) => {
      throw new Error(
        `${String(e)} (pid ${proc.proc.pid}, ${proc.lines.length} lines)\n${proc.lines.slice(-20).join('\n')}`,
      );
    });
    if (proc.proc.exitCode !== null)
      throw new Error(`${proc.name} exited at start:\n${proc.lines.slice(-20).join('\n')}`);
    return api;
  };
  const startWorker = async (): Promise<ManagedProcess> => {
    const proc = spawnApp(`worker${++seq}`, 'apps/worker/src/main.ts', { ...env, ...opts.workerEnv });
    workers.push(proc);
    await eventually(
      `${proc.name} started`,
      async () => proc.proc.exitCode !== null || proc.logs((l) => l['msg'] === 'worker started').length > 0,
      30_000,
      100,
    ).catch((e: unknown) => {
      throw new Error(
        `${String(e)} (pid ${proc.proc.pid}, ${proc.lines.length} lines)\n${proc.lines.slice(-20).join('\n')}`,
      );
    });
    if (proc.proc.exitCode !== null)
      throw new Error(`${proc.name} exited at start:\n${proc.lines.slice(-20).join('\n')}`);
    return proc;
  };

  try {
    await Promise.all([
      ...Array.from({ length: opts.apis ?? 1 }, () => startApi()),
      ...Array.from({ length: opts.workers ?? 1 }, () => startWorker()),
    ]);
  } catch (e) {
    await Promise.all([
      ...apis.map((a) => a.process.stop('SIGKILL')),
      ...workers.map((w) => w.stop('SIGKILL')),
    ]);
    await orm.close(true);
    await db.drop();
    await deleteQueueKeys(redisUrl, prefix);
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }

  return {
    db,
    orm,
    env,
    apis,
    workers,
    startApi,
    startWorker,
    async organization(name = 'Acme') {
      const { organization, scimApiKey } = await orm.em
        .fork()
        .transactional((em) => createOrganization(em, { name, seats: null }));
      return {
        id: organization.id,
        scimKey: scimApiKey,
        scimUrl: (api = apis[0]) => `${api!.url}/scim/v2/${organization.id}`,
      };
    },
    async allOrgsToken(role) {
      return orm.em
        .fork()
        .transactional(async (em) => (await createAdminToken(em, { organizationId: null, role })).token);
    },
    async close() {
      // Bounded: SIGTERM, then SIGKILL after 15 s (a process that hangs fails its own test instead).
      await Promise.all([
        ...apis.map((a) => a.process.stop('SIGTERM')),
        ...workers.map((w) => w.stop('SIGTERM')),
      ]);
      await orm.close(true);
      await db.drop();
      await deleteQueueKeys(redisUrl, prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
