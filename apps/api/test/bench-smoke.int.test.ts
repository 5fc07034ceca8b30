// `pnpm bench` at smoke scale (BENCH_SCALE=smoke): the real run — service processes, seeding, all six
// items, the ceilings and floors, the report — cut to about a minute, so a change that breaks the
// bench fails here instead of on the next person who needs its figures. The figures themselves are
// not judged (a smoke run says nothing about the targets); that every one was measured, and that the
// run leaves nothing behind, is.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testPostgresAdminUrl } from '@repo/domain/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../bench/report.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

interface Run {
  code: number | null;
  pid: number;
  output: string;
}

function runBench(resultsDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@repo/source', '--import', 'tsx', 'apps/api/bench/run.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, BENCH_SCALE: 'smoke', BENCH_RESULTS_DIR: resultsDir, BENCH_PORT: '3957' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const killer = setTimeout(() => child.kill('SIGTERM'), 200_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, pid: child.pid ?? -1, output });
    });
  });
}

const e2eDataDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('scim-e2e-')).length;

describe('pnpm bench, smoke scale', () => {
  const resultsDir = mkdtempSync(path.join(tmpdir(), 'scim-bench-results-'));
  let run: Run;
  let results: BenchResults;
  let dataDirsBefore: number;
  let queueKeysBefore: number;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const queueKeys = async () => (await redis.keys('e2e*:*')).length;

  beforeAll(async () => {
    await redis.connect();
    dataDirsBefore = e2eDataDirs();
    queueKeysBefore = await queueKeys();
    run = await runBench(resultsDir);
    results = JSON.parse(readFileSync(path.join(resultsDir, 'latest.json'), 'utf8')) as BenchResults;
  }, 240_000);
  afterAll(async () => {
    redis.disconnect();
    rmSync(resultsDir, { recursive: true, force: true });
  });

  it('runs every item to the end and says it is a smoke run', () => {
    expect(run.code, run.output.slice(-3000)).toBe(0);
    expect(run.output).toContain('SMOKE SCALE');
    expect(results.settings['scale']).toBe('smoke');
    expect(results.items.map((i) => ({ item: i.item, error: i.error }))).toEqual(
      [1, 2, 3, 4, 5, 6].map((item) => ({ item, error: undefined })),
    );
  });

  it('measures every figure that has a target, and the ceilings and floors beside them', () => {
    const figures = results.items.flatMap((i) => i.figures.map((f) => ({ item: i.item, ...f })));
    const judged = figures.filter((f) => f.target !== '');
    expect(judged.length).toBeGreaterThanOrEqual(14);
    for (const f of judged) {
      expect(f.verdict, `${f.item}: ${f.label}`).toMatch(/^(pass|miss)$/);
      expect(Number.isFinite(f.value), `${f.item}: ${f.label}`).toBe(true);
    }
    const value = (item: number, label: RegExp) =>
      figures.find((f) => f.item === item && label.test(f.label))?.value ?? null;
    expect(value(1, /^SCIM writes\/s$/)).toBeGreaterThan(0);
    expect(value(1, /^warm-up before it/)).toBeGreaterThan(0);
    expect(value(1, /^ceiling: bare Fastify \+ BullMQ/)).toBeGreaterThan(0);
    expect(value(2, /^ceiling: bare Fastify \+ pg/)).toBeGreaterThan(0);
    expect(value(3, /^floor: bare pipeline via the queue/)).toBeGreaterThan(0);
    expect(value(4, /^floor: bare pipeline, p50 ratio/)).toBeGreaterThan(0);
    expect(value(4, /^p50 ratio: via the queue/)).toBeGreaterThan(0);
    // The sync's invitations all reached the bench's SMTP server before the ceiling ran (and the
    // warm-up's before the sync: the server accepted exactly the sync's during and after it).
    const sentDuring = figures.find(
      (f) => f.item === 1 && f.label.startsWith('invitation e-mails sent while'),
    );
    const last = figures.find((f) => f.item === 1 && f.label.startsWith('the last invitation e-mail sent'));
    const total = Number(/^of (\d+) invitations/.exec(sentDuring?.note ?? '')?.[1]);
    expect(total).toBeGreaterThan(0);
    const delivered = /^(\d+) sent, 0 failed; the SMTP server accepted (\d+)$/.exec(last?.note ?? '');
    expect(delivered?.slice(1).map(Number), last?.note).toEqual([total, total]);
    // CPU per write counts all four processes: a probe that lost one would read 0 for it.
    const cpu = figures.find((f) => f.item === 1 && f.label.startsWith('service CPU per SCIM write'));
    for (const part of ['api', 'worker', 'postgres', 'redis'])
      expect(cpu?.note, part).toMatch(new RegExp(`${part} (?!0\\.00)\\d+\\.\\d+`));
  });

  it('leaves no database, queue keys or data directory behind', async () => {
    const client = new pg.Client({ connectionString: testPostgresAdminUrl() });
    await client.connect();
    try {
      const left = await client.query('select datname from pg_database where datname like $1', [
        `e2e_${run.pid}_%`,
      ]);
      expect(left.rows).toEqual([]);
    } finally {
      await client.end();
    }
    expect(await queueKeys()).toBe(queueKeysBefore);
    expect(e2eDataDirs()).toBe(dataDirsBefore);
  });
});
