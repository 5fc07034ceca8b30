// Item 1's yardstick, as lookup-ceiling.ts is item 2's: what this machine does when a SCIM write is
// nothing but the architecture — an HTTP POST to one Node process that adds a BullMQ job and awaits
// its outcome, a second Node process whose job is one transaction with one insert, PostgreSQL and
// Redis (write-ceiling.process.ts). Same connections as the sync (32), the service's worker
// concurrency, the same job options; no auth, admission, validation, domain rules or read-back.
// The service can't write faster than this on the same machine; when this is below the target, no
// change to the service's own code meets it there.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import autocannon, { type RequestParams } from 'autocannon';
import { CpuProbe, perOperation } from './cpu.js';
import type { BenchDb } from './db.js';
import { deleteKeysWithPrefix } from './redis-cleanup.js';
import { info, type Figure } from './report.js';

export interface WriteCeilingOptions {
  databaseUrl: string;
  redisUrl: string;
  redisPid: number | null;
  connections: number;
  workerConcurrency: number;
  warmupSeconds: number;
  durationSeconds: number;
  cores: number;
}

export interface WriteCeiling {
  writesPerSecond: number;
  p50: number;
  p99: number;
  /** CPU-ms per write by component, as item 1 reports the service's. */
  cpu: ReturnType<typeof perOperation>;
}

const TABLE = 'bench_ceiling_write';
const SCRIPT = path.join(import.meta.dirname, 'write-ceiling.process.ts');

/** Spawns one role; `ready` resolves with its first line ("ready …"). */
function start(
  role: 'api' | 'worker',
  env: Record<string, string>,
): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, role], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`write ceiling: ${role} not ready in 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`write ceiling: ${role} exited with ${code}`)));
    child.stdout?.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(chunk.toString().trim());
    });
  });
  return { child, ready };
}

export async function measureWriteCeiling(db: BenchDb, o: WriteCeilingOptions): Promise<WriteCeiling> {
  await db.query(`create table ${TABLE} (
    id uuid primary key default gen_random_uuid(), user_name text not null unique,
    document jsonb not null, created_at timestamptz not null default now())`);
  const prefix = `ceil${randomUUID().slice(0, 8)}`;
  const env = {
    CEILING_REDIS_URL: o.redisUrl,
    CEILING_PREFIX: prefix,
    CEILING_DATABASE_URL: o.databaseUrl,
    CEILING_TABLE: TABLE,
    CEILING_CONCURRENCY: String(o.workerConcurrency),
  };
  const children: ChildProcess[] = [];
  try {
    const worker = start('worker', env);
    children.push(worker.child);
    await worker.ready;
    const api = start('api', env);
    children.push(api.child);
    const url = (await api.ready).replace(/^ready /, '');
    let n = 0;
    const load = (seconds: number) =>
      autocannon({
        url,
        connections: o.connections,
        duration: seconds,
        timeout: 10,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            setupRequest: (req: RequestParams) => ({
              ...req,
              body: JSON.stringify({ userName: `ceiling-${n++}@bench.example` }),
            }),
          },
        ],
      });
    await load(o.warmupSeconds);
    const probe = new CpuProbe(
      { api: api.child.pid ?? 0, worker: worker.child.pid ?? 0, redis: o.redisPid },
      new URL(o.databaseUrl).pathname.slice(1),
    );
    const before = probe.snapshot();
    const r = await load(o.durationSeconds);
    const use = CpuProbe.since(before, probe.snapshot());
    if (r.non2xx || r.errors) throw new Error(`write ceiling: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return {
      writesPerSecond: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      cpu: perOperation(use, r.requests.total, o.cores),
    };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await db.query(`drop table if exists ${TABLE}`);
    await deleteKeysWithPrefix(o.redisUrl, prefix);
  }
}

/** Item 1's ceiling rows: the bare pipeline's writes/s, latency and CPU beside the sync's rate. */
export function writeCeilingFigures(c: WriteCeiling, syncWritesPerSecond: number): Figure[] {
  const share = Math.round((syncWritesPerSecond / Math.max(1, c.writesPerSecond)) * 100);
  return [
    info(
      'ceiling: bare Fastify + BullMQ + pg, one insert per job',
      c.writesPerSecond,
      'w/s',
      `p50 ${c.p50} ms, p99 ${c.p99} ms; the sync reaches ${share} % of it`,
    ),
    info('ceiling CPU per write', c.cpu.serviceMs, 'ms', c.cpu.note),
  ];
}
