// CPU time spent per component (api, worker, the PostgreSQL backends of the bench database, the
// Redis server, the bench process itself) between two snapshots, from /proc. On a shared 2-core
// machine throughput figures swing with other work; CPU-milliseconds per operation swing less, and
// they tell where the time goes.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { redisInfoField } from './redis-info.js';

export interface CpuSnapshot {
  atMs: number;
  /** seconds of user + system CPU */
  api: number;
  worker: number;
  /** per backend pid: backends come and go with the pools */
  postgres: Map<string, number>;
  redis: number;
  bench: number;
}

export interface CpuUse {
  wallSeconds: number;
  api: number;
  worker: number;
  postgres: number;
  /** The whole Redis server: the queue's share of the machine (nothing else uses it during a run). */
  redis: number;
  bench: number;
}

let ticksPerSecond: number | undefined;
const ticks = (): number => {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
};

/** utime + stime of a process in seconds; 0 when it's gone. */
function processCpu(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticks();
  } catch {
    return 0;
  }
}

/** Backends serving `database` (their process title is "postgres: <cluster>: <user> <database> …"). */
function postgresCpu(database: string): Map<string, number> {
  const backends = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.startsWith('postgres: ') && cmdline.includes(` ${database} `))
      backends.set(pid, processCpu(pid));
  }
  return backends;
}

/** The Redis server's process id when it runs on this machine (its CPU is then readable), else null. */
export async function localRedisPid(url: string): Promise<number | null> {
  const pid = Number(await redisInfoField(url, 'server', 'process_id'));
  return pid > 0 && processCpu(pid) > 0 ? pid : null;
}

export class CpuProbe {
  constructor(
    private readonly pids: { api: number; worker: number; redis: number | null },
    private readonly database: string,
  ) {}

  snapshot(): CpuSnapshot {
    const self = process.cpuUsage();
    return {
      atMs: performance.now(),
      api: processCpu(this.pids.api),
      worker: processCpu(this.pids.worker),
      postgres: postgresCpu(this.database),
      redis: this.pids.redis === null ? 0 : processCpu(this.pids.redis),
      bench: (self.user + self.system) / 1e6,
    };
  }

  static since(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
    const r = (n: number) => Math.round(n * 100) / 100;
    // Backends that ended in between take their CPU with them: a lower bound.
    let postgres = 0;
    for (const [pid, seconds] of b.postgres) postgres += seconds - (a.postgres.get(pid) ?? 0);
    return {
      wallSeconds: r((b.atMs - a.atMs) / 1000),
      api: r(b.api - a.api),
      worker: r(b.worker - a.worker),
      postgres: r(postgres),
      redis: r(b.redis - a.redis),
      bench: r(b.bench - a.bench),
    };
  }
}

/**
 * CPU-ms per operation by component and the throughput it allows: all cores given to the service,
 * and each Node process (single-threaded: one core at most) on its own — whichever binds first.
 */
export function perOperation(
  use: CpuUse,
  operations: number,
  cores: number,
): { serviceMs: number; ceiling: number; note: string } {
  const ms = (s: number) => (s * 1000) / Math.max(1, operations);
  const serviceMs = ms(use.api + use.worker + use.postgres + use.redis);
  const limits: [string, number][] = [
    [`${cores} cores`, serviceMs > 0 ? (cores * 1000) / serviceMs : Infinity],
    ['one api process', ms(use.api) > 0 ? 1000 / ms(use.api) : Infinity],
    ['one worker process', ms(use.worker) > 0 ? 1000 / ms(use.worker) : Infinity],
  ];
  const [binding, ceiling] = limits.reduce((min, l) => (l[1] < min[1] ? l : min));
  const f = (n: number) => n.toFixed(2);
  return {
    serviceMs: Math.round(serviceMs * 100) / 100,
    ceiling: Math.round(ceiling),
    note:
      `api ${f(ms(use.api))} + worker ${f(ms(use.worker))} + postgres ${f(ms(use.postgres))} + ` +
      `redis ${f(ms(use.redis))} ms/op ` +
      `(load generator ${f(ms(use.bench))}) ⇒ ≤ ${Math.round(ceiling)}/s (${binding})`,
  };
}
