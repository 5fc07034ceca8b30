// What the figures were measured on: cores, memory, and the versions of Node, PostgreSQL and Redis.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { redisInfoField } from './redis-info.js';
import type { BenchDb } from './db.js';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
  postgres: string;
  /** PostgreSQL's autovacuum (off on this project's machine: statistics then come from explicit ANALYZEs). */
  autovacuum: string;
  redis: string;
  /** HEAD of the work tree; `+changes` when uncommitted changes were part of what was measured. */
  commit: string;
}

async function redisVersion(url: string): Promise<string> {
  return (await redisInfoField(url, 'server', 'redis_version')) ?? 'unknown';
}

/** HEAD, with `+changes` when tracked files outside bench/results differ from it. */
function gitCommit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results');
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? '+changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

export async function machineInfo(db: BenchDb, redisUrl: string): Promise<MachineInfo> {
  const [pg] = await db.query<{ server_version: string }>('show server_version');
  const [vacuum] = await db.query<{ autovacuum: string }>('show autovacuum');
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: pg?.server_version ?? 'unknown',
    autovacuum: vacuum?.autovacuum ?? 'unknown',
    redis: await redisVersion(redisUrl),
    commit: gitCommit(),
  };
}
