// The run's summary: requests by kind and status, throughput, p50/p95/p99 per kind, errors — as one
// JSON-able object and as a table for a terminal.
import { percentile, type Phase, type Recorder, type RequestError } from './stats.js';

export interface KindSummary {
  kind: string;
  method: string;
  phase: Phase;
  count: number;
  statuses: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface Summary {
  /** Initial + incremental cycles: what a benchmark measures (verification excluded). */
  provisioning: {
    seconds: number;
    requests: number;
    writes: number;
    requestsPerSecond: number;
    writesPerSecond: number;
  };
  phases: Record<Phase, { seconds: number; requests: number; writes: number }>;
  kinds: KindSummary[];
  retries: number;
  errorCount: number;
  errors: RequestError[];
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const rate = (n: number, seconds: number): number => (seconds > 0 ? round(n / seconds) : 0);

export function summarize(rec: Recorder): Summary {
  const phase = (p: Phase) => {
    const s = rec.phases.get(p);
    return { seconds: round((s?.ms ?? 0) / 1000, 3), requests: s?.requests ?? 0, writes: s?.writes ?? 0 };
  };
  const phases = { initial: phase('initial'), incremental: phase('incremental'), verify: phase('verify') };
  const seconds = round(phases.initial.seconds + phases.incremental.seconds, 3);
  const requests = phases.initial.requests + phases.incremental.requests;
  const writes = phases.initial.writes + phases.incremental.writes;
  const kinds = [...rec.kinds.entries()].map(([kind, k]): KindSummary => {
    const sorted = [...k.latencies].sort((a, b) => a - b);
    return {
      kind,
      method: k.method,
      phase: k.phase,
      count: sorted.length,
      statuses: Object.fromEntries(
        [...k.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => [String(s), n]),
      ),
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? 0),
    };
  });
  return {
    provisioning: {
      seconds,
      requests,
      writes,
      requestsPerSecond: rate(requests, seconds),
      writesPerSecond: rate(writes, seconds),
    },
    phases,
    kinds,
    retries: rec.retries,
    errorCount: rec.errorCount,
    errors: rec.errors,
  };
}

function table(rows: string[][], rightAligned: Set<number>): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatSummary(s: Summary, maxErrors = 20): string {
  const statuses = (k: KindSummary) =>
    Object.entries(k.statuses)
      .map(([status, n]) => `${status === '0' ? 'none' : status}×${n}`)
      .join(' ');
  const rows = [
    ['kind', 'method', 'count', 'statuses', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    ...s.kinds.map((k) => [
      k.kind,
      k.method,
      String(k.count),
      statuses(k),
      ...[k.p50, k.p95, k.p99, k.max].map((n) => n.toFixed(1)),
    ]),
  ];
  const p = s.provisioning;
  const lines = [
    table(rows, new Set([2, 4, 5, 6, 7])),
    '',
    `provisioning: ${p.requests} requests (${p.writes} writes) in ${p.seconds.toFixed(2)} s — ` +
      `${p.requestsPerSecond} requests/s, ${p.writesPerSecond} writes/s`,
    `phases: initial ${s.phases.initial.seconds.toFixed(2)} s, incremental ${s.phases.incremental.seconds.toFixed(2)} s, ` +
      `verify ${s.phases.verify.seconds.toFixed(2)} s; retries (429/503) ${s.retries}; errors ${s.errorCount}`,
  ];
  for (const e of s.errors.slice(0, maxErrors)) {
    lines.push(
      `  error ${e.kind}: ${e.method} ${e.path} → ${e.status === 0 ? 'no response' : e.status} ${e.detail}`.trimEnd(),
    );
  }
  if (s.errorCount > Math.min(maxErrors, s.errors.length))
    lines.push(`  … ${s.errorCount - Math.min(maxErrors, s.errors.length)} more errors`);
  return lines.join('\n');
}
