// The run's result: every figure beside its target with a verdict, as a terminal table and as JSON
// under bench/results/ (<timestamp>.json and latest.json) at the repository root.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineInfo } from './machine.js';

export type Verdict = 'pass' | 'miss' | 'info' | 'not measured';

export interface Figure {
  label: string;
  /** null: not measured */
  value: number | null;
  unit: string;
  /** e.g. "≥ 500"; '' for an informational figure */
  target: string;
  verdict: Verdict;
  note?: string;
}

export interface ItemResult {
  item: number;
  title: string;
  figures: Figure[];
  /** Raw figures and evidence (plans, samples, errors) for the JSON file. */
  details: unknown;
  error?: string;
  seconds: number;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  seconds: number;
  machine: MachineInfo;
  /** 1-minute load average sampled every 5 s during the run (other work shares the machine). */
  load: {
    start: number[];
    end: number[];
    max1m: number;
    mean1m: number;
    samples: number;
    /** Share of CPU time the hypervisor gave to other guests during the run (null: unknown). */
    stealPercent: number | null;
  };
  settings: Record<string, unknown>;
  items: ItemResult[];
}

// ---- verdicts ------------------------------------------------------------------------------------

const fmt = (n: number): string =>
  Number.isInteger(n) ? String(n) : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);

export function atMost(label: string, value: number, limit: number, unit: string, note?: string): Figure {
  const ok = Number.isFinite(value) && value <= limit;
  return {
    label,
    value,
    unit,
    target: `≤ ${fmt(limit)}`,
    verdict: ok ? 'pass' : 'miss',
    ...(note ? { note } : {}),
  };
}

export function below(label: string, value: number, limit: number, unit: string, note?: string): Figure {
  const ok = Number.isFinite(value) && value < limit;
  return {
    label,
    value,
    unit,
    target: `< ${fmt(limit)}`,
    verdict: ok ? 'pass' : 'miss',
    ...(note ? { note } : {}),
  };
}

export function atLeast(label: string, value: number, limit: number, unit: string, note?: string): Figure {
  const ok = Number.isFinite(value) && value >= limit;
  return {
    label,
    value,
    unit,
    target: `≥ ${fmt(limit)}`,
    verdict: ok ? 'pass' : 'miss',
    ...(note ? { note } : {}),
  };
}

export const info = (label: string, value: number, unit: string, note?: string): Figure => ({
  label,
  value,
  unit,
  target: '',
  verdict: 'info',
  ...(note ? { note } : {}),
});

export const notMeasured = (label: string, target: string, note: string): Figure => ({
  label,
  value: null,
  unit: '',
  target,
  verdict: 'not measured',
  note,
});

// ---- table ---------------------------------------------------------------------------------------

function table(rows: string[][], right: Set<number>): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => (right.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const VERDICT: Record<Verdict, string> = {
  pass: 'pass',
  miss: 'MISS',
  info: '',
  'not measured': 'not measured',
};

export function formatResults(r: BenchResults): string {
  const m = r.machine;
  const rows: string[][] = [['#', 'measure', 'figure', 'target', 'result', 'note']];
  for (const item of r.items) {
    rows.push([
      String(item.item),
      `${item.title}${item.error ? ` (FAILED: ${item.error.slice(0, 120)})` : ''}`,
      '',
      '',
      '',
      '',
    ]);
    for (const f of item.figures) {
      rows.push([
        '',
        `  ${f.label}`,
        f.value === null ? '—' : `${fmt(f.value)} ${f.unit}`.trimEnd(),
        f.target ? `${f.target} ${f.unit}`.trimEnd() : '',
        VERDICT[f.verdict],
        f.note ?? '',
      ]);
    }
  }
  const misses = r.items.flatMap((i) =>
    i.figures.filter((f) => f.verdict === 'miss').map((f) => `${i.item}: ${f.label}`),
  );
  const failed = r.items.filter((i) => i.error).map((i) => i.item);
  return [
    `benchmark ${r.startedAt} — ${r.seconds.toFixed(0)} s`,
    ...(r.settings['scale'] === 'smoke'
      ? [
          'SMOKE SCALE (BENCH_SCALE=smoke): shows the bench runs; the figures are not comparable to the targets',
        ]
      : []),
    `machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB; Node ${m.node}, PostgreSQL ${m.postgres} (autovacuum ${m.autovacuum}), Redis ${m.redis}; commit ${m.commit}`,
    `load average (1 min): start ${r.load.start[0]?.toFixed(2)}, mean ${r.load.mean1m.toFixed(2)}, max ${r.load.max1m.toFixed(2)}; CPU steal ${r.load.stealPercent ?? '?'} % — shared machine, figures are noisy`,
    '',
    table(rows, new Set([2])),
    '',
    verdictLine(misses, failed),
  ].join('\n');
}

/** A failed item measured nothing: it is never "met". */
function verdictLine(misses: string[], failed: number[]): string {
  const lines = [
    ...(failed.length ? [`items that failed to run: ${failed.join(', ')}`] : []),
    ...(misses.length ? [`missed targets: ${misses.join('; ')}`] : []),
  ];
  return lines.length ? lines.join('\n') : 'every measured target met';
}

// ---- JSON ----------------------------------------------------------------------------------------

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

/** Writes <timestamp>.json and latest.json in `dir`; returns the timestamped file's path. */
export function writeResults(r: BenchResults, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(r, null, 2)}\n`;
  const file = path.join(dir, `${r.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, json);
  writeFileSync(path.join(dir, 'latest.json'), json);
  return file;
}
