// The bench's bare pipeline, as lookup-ceiling.ts is item 2's yardstick: what this machine does when
// a SCIM write is nothing but the architecture — an HTTP POST to one Node process that adds a BullMQ
// job and awaits its outcome, a second Node process whose job is one transaction with one insert,
// PostgreSQL and Redis (write-ceiling.process.ts). The service's worker concurrency and job options;
// no auth, admission, validation, domain rules or read-back. Item 1's ceiling drives it with the
// sync's 32 connections: the service can't write faster than this on the same machine. Items 3 and
// 4's floor sends one write at a time: the service can't answer one write faster than this here.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon, { type RequestParams } from 'autocannon';
import { CpuProbe, perOperation } from './cpu.js';
import type { BenchDb } from './db.js';
import { expectStatus, HttpClient } from './http.js';
import { summarize, type LatencySummary } from './latency.js';
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

interface BarePipeline {
  url: string;
  pids: { api: number; worker: number };
  close(): Promise<void>;
}

/** Starts the bare worker and api on a table of their own; close() removes all of it. */
async function startBarePipeline(
  db: BenchDb,
  o: Pick<WriteCeilingOptions, 'databaseUrl' | 'redisUrl' | 'workerConcurrency'>,
): Promise<BarePipeline> {
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
  const close = async () => {
    for (const child of children) child.kill('SIGKILL');
    await db.query(`drop table if exists ${TABLE}`);
    await deleteKeysWithPrefix(o.redisUrl, prefix);
  };
  try {
    const worker = start('worker', env);
    children.push(worker.child);
    await worker.ready;
    const api = start('api', env);
    children.push(api.child);
    const url = (await api.ready).replace(/^ready /, '');
    return { url, pids: { api: api.child.pid ?? 0, worker: worker.child.pid ?? 0 }, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export async function measureWriteCeiling(db: BenchDb, o: WriteCeilingOptions): Promise<WriteCeiling> {
  const pipeline = await startBarePipeline(db, o);
  try {
    let n = 0;
    const load = (seconds: number) =>
      autocannon({
        url: pipeline.url,
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
      { ...pipeline.pids, redis: o.redisPid },
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
    await pipeline.close();
  }
}

export interface SequentialFloorOptions {
  databaseUrl: string;
  redisUrl: string;
  workerConcurrency: number;
  /** Timed writes per path, after `warmup` untimed ones. */
  writes: number;
  warmup: number;
  maxMs: number;
}

/** One write at a time through the bare pipeline: via the queue, and in the api process itself. */
export interface SequentialFloor {
  queue: LatencySummary;
  inProcess: LatencySummary;
}

/**
 * Items 3 and 4's yardstick: the latency of one write at a time when a write is nothing but the
 * architecture. The two paths alternate request by request, as item 4's do, so the host's swings
 * hit both alike. What this shows for the queue path is what the hops cost on this machine (HTTP,
 * BullMQ's add, the worker's pick-up and completion, the event back) before any service code runs.
 */
export async function measureSequentialFloor(
  db: BenchDb,
  o: SequentialFloorOptions,
): Promise<SequentialFloor> {
  const pipeline = await startBarePipeline(db, o);
  const client = new HttpClient(pipeline.url, '');
  try {
    const timings = { queue: [] as number[], inProcess: [] as number[] };
    const deadline = performance.now() + o.maxMs;
    for (let i = 0; i < o.warmup + o.writes && performance.now() < deadline; i++) {
      for (const [name, path] of [
        ['queue', '/'],
        ['inProcess', '/direct'],
      ] as const) {
        const started = performance.now();
        const res = await client.send(
          'POST',
          path,
          { userName: `floor-${name}-${i}@bench.example` },
          'application/json',
        );
        const failure = expectStatus(res, 201);
        if (failure) throw new Error(`sequential floor (${name}): ${failure}`);
        if (i >= o.warmup) timings[name].push(performance.now() - started);
      }
    }
    return { queue: summarize(timings.queue), inProcess: summarize(timings.inProcess) };
  } finally {
    await client.close();
    await pipeline.close();
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

/** Item 4's floor rows: the bare pipeline's queue ÷ in-process ratio, one write at a time. */
export function sequentialFloorRatioFigures(f: SequentialFloor): Figure[] {
  const note = (s: LatencySummary) => `n=${s.count} p95 ${s.p95} p99 ${s.p99} max ${s.max}`;
  return [
    info(
      'floor: bare pipeline, p50 ratio via the queue ÷ in-process',
      Math.round((f.queue.p50 / f.inProcess.p50) * 100) / 100,
      '×',
      'bare Fastify + BullMQ + pg, one insert per write, one write at a time',
    ),
    info('  bare, via the queue p50', f.queue.p50, 'ms', note(f.queue)),
    info('  bare, in-process p50', f.inProcess.p50, 'ms', note(f.inProcess)),
  ];
}

/** Item 3's floor row: the bare pipeline's p99 through the queue, one write at a time. */
export function sequentialFloorFigures(f: SequentialFloor): Figure[] {
  return [
    info(
      'floor: bare pipeline via the queue, one write at a time, p99',
      f.queue.p99,
      'ms',
      `n=${f.queue.count} p50 ${f.queue.p50} p95 ${f.queue.p95} max ${f.queue.max}; bare Fastify + BullMQ + pg, one insert per write`,
    ),
  ];
}
