// Latency bookkeeping for the sequential measurements: percentiles and a loop bounded in count AND time.
import { performance } from 'node:perf_hooks';

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Nearest-rank percentile of ascending values (the simulator's definition). */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

export interface LoopResult {
  latencies: number[];
  /** iterations whose fn threw or reported failure */
  failures: string[];
  /** true when the time bound cut the loop short */
  cutShort: boolean;
}

/**
 * Runs `fn(i)` sequentially up to `count` times or until `maxMs` has passed. `fn` returns null on
 * success or a failure description; only successful iterations are timed into `latencies`.
 */
export async function timedLoop(
  count: number,
  maxMs: number,
  fn: (i: number) => Promise<string | null>,
): Promise<LoopResult> {
  const deadline = performance.now() + maxMs;
  const latencies: number[] = [];
  const failures: string[] = [];
  let i = 0;
  for (; i < count && performance.now() < deadline; i++) {
    const started = performance.now();
    let failure: string | null;
    try {
      failure = await fn(i);
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    }
    const ms = performance.now() - started;
    if (failure === null) latencies.push(ms);
    else if (failures.length < 20) failures.push(failure);
  }
  return { latencies, failures, cutShort: i < count };
}
