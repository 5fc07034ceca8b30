// Item 2: `GET /Users?filter=userName eq "…"` (Entra's match lookup) against organizations of 1k,
// 10k and 100k members, a random existing userName per request. Target: ≥ 2,000 requests/s at
// every size and flat — 100k within 20 % of 1k (requests/s; p99 shown beside). The sizes take
// turns in short rounds: on a shared machine, throughput drifts by ±15 % over a minute (measured),
// which one long run per size would read as a difference between sizes.
import autocannon, { type RequestParams, type Result } from 'autocannon';
import { CpuProbe, perOperation, type CpuUse } from './cpu.js';
import { HttpClient } from './http.js';
import { measureLookupCeiling } from './lookup-ceiling.js';
import { atLeast, info, type Figure, type ItemResult } from './report.js';
import { randomSeededUserName, seededUserName } from './seed.js';

export interface LookupTarget {
  label: string;
  members: number;
  organizationId: string;
  scimApiKey: string;
  tag: string;
}

export interface LookupOptions {
  baseUrl: string;
  /** For the ceiling run (lookup-ceiling.ts), straight to PostgreSQL. */
  databaseUrl: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** durationSeconds per size is split into this many rounds, the sizes taking turns. */
  rounds: number;
}

const lookupPath = (t: LookupTarget, userName: string): string =>
  `/scim/v2/${t.organizationId}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

/** `seconds` of GETs from o.connections clients, each path from `path()` (also the ceiling's). */
export async function loadGet(
  o: Pick<LookupOptions, 'connections'>,
  target: { url: string; headers?: Record<string, string> },
  path: () => string,
  seconds: number,
): Promise<Result> {
  return await autocannon({
    url: target.url,
    connections: o.connections,
    duration: seconds,
    timeout: 10,
    ...(target.headers ? { headers: target.headers } : {}),
    requests: [{ method: 'GET', setupRequest: (req: RequestParams) => ({ ...req, path: path() }) }],
  });
}

const load = (o: LookupOptions, t: LookupTarget, seconds: number): Promise<Result> =>
  loadGet(
    o,
    { url: o.baseUrl, headers: { authorization: `Bearer ${t.scimApiKey}` } },
    () => lookupPath(t, randomSeededUserName(t.tag, t.members)),
    seconds,
  );

/** One lookup must find exactly its user, or the load figures would measure empty answers. */
async function sanityCheck(o: LookupOptions, t: LookupTarget): Promise<void> {
  const client = new HttpClient(o.baseUrl, t.scimApiKey);
  try {
    const res = await client.send('GET', lookupPath(t, seededUserName(t.tag, t.members)));
    const total = (res.body as { totalResults?: number } | null)?.totalResults;
    if (res.status !== 200 || total !== 1)
      throw new Error(`lookup in ${t.label} answered ${res.status} with totalResults ${String(total)}`);
  } finally {
    await client.close();
  }
}

interface Run {
  label: string;
  members: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  total: number;
  cpu: CpuUse;
  cpuNote: string;
}

export async function measureLookups(
  o: LookupOptions,
  targets: LookupTarget[],
  cpu: { probe: CpuProbe; cores: number },
  seconds: () => number,
): Promise<ItemResult> {
  for (const t of targets) {
    await sanityCheck(o, t);
    await load(o, t, o.warmupSeconds); // JIT, pools and caches warm; not counted
  }
  const roundSeconds = o.durationSeconds / o.rounds;
  const results = new Map<LookupTarget, { results: Result[]; cpu: CpuUse[] }>(
    targets.map((t) => [t, { results: [], cpu: [] }]),
  );
  for (let round = 0; round < o.rounds; round++) {
    for (const t of targets) {
      const before = cpu.probe.snapshot();
      const r = await load(o, t, roundSeconds);
      const of = results.get(t)!;
      of.results.push(r);
      of.cpu.push(CpuProbe.since(before, cpu.probe.snapshot()));
    }
  }
  const runs: Run[] = targets.map((t) => {
    const { results: rs, cpu: uses } = results.get(t)!;
    const total = sum(rs.map((r) => r.requests.total));
    const use = sumCpu(uses);
    return {
      cpu: use,
      cpuNote: perOperation(use, total, cpu.cores).note,
      label: t.label,
      members: t.members,
      rps: Math.round(total / sum(rs.map((r) => r.duration))),
      // Per round: the median p50, and the worst p99 (percentiles can't be merged exactly).
      p50: median(rs.map((r) => r.latency.p50)),
      p99: Math.max(...rs.map((r) => r.latency.p99)),
      non2xx: sum(rs.map((r) => r.non2xx)),
      errors: sum(rs.map((r) => r.errors)),
      timeouts: sum(rs.map((r) => r.timeouts)),
      total,
    };
  });
  for (const r of runs) process.stdout.write(`  lookups ${r.label}: ${r.rps} req/s, p99 ${r.p99} ms\n`);
  const figures: Figure[] = runs.map((r) =>
    atLeast(
      `requests/s at ${r.label} members`,
      r.rps,
      2000,
      'req/s',
      `p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx + r.errors + r.timeouts ? `; non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}` : ''}`,
    ),
  );
  const smallest = runs[0];
  const largest = runs.at(-1);
  if (smallest && largest && smallest !== largest) {
    const ratio = Math.round((largest.rps / smallest.rps) * 100) / 100;
    figures.push({
      ...atLeast(`flatness: req/s ${largest.label} ÷ ${smallest.label}`, ratio, 0.8, '×'),
      note: `p99 ${largest.label} ÷ ${smallest.label} = ${(largest.p99 / smallest.p99).toFixed(2)}×`,
    });
  }
  for (const r of runs) figures.push(info(`p99 at ${r.label} members`, r.p99, 'ms'));
  const biggest = targets.at(-1);
  if (biggest) {
    const ceiling = await measureLookupCeiling(o.databaseUrl, biggest, o);
    figures.push(
      info(
        `ceiling: bare Fastify + pg, the same query at ${biggest.label}`,
        ceiling.rps,
        'req/s',
        `p99 ${ceiling.p99} ms; the service serves ${Math.round(((largest?.rps ?? 0) / ceiling.rps) * 100)} % of it`,
      ),
    );
  }
  for (const r of runs)
    figures.push(
      info(
        `service CPU per lookup at ${r.label}`,
        perOperation(r.cpu, r.total, cpu.cores).serviceMs,
        'ms',
        r.cpuNote,
      ),
    );
  return {
    item: 2,
    title: `Lookup scaling: userName eq, ${o.connections} connections, ${o.durationSeconds} s each in ${o.rounds} alternating rounds`,
    figures,
    details: { runs },
    seconds: seconds(),
  };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function sumCpu(uses: CpuUse[]): CpuUse {
  return {
    wallSeconds: sum(uses.map((u) => u.wallSeconds)),
    api: sum(uses.map((u) => u.api)),
    worker: sum(uses.map((u) => u.worker)),
    postgres: sum(uses.map((u) => u.postgres)),
    redis: sum(uses.map((u) => u.redis)),
    bench: sum(uses.map((u) => u.bench)),
  };
}
