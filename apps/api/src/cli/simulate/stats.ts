// Request bookkeeping: counts by kind and status, latencies per kind, per-phase totals, errors.
// Aggregated as it goes (memory stays bounded by the number of requests' latencies only).

export type Phase = 'initial' | 'incremental' | 'verify';

export interface KindStats {
  method: string;
  phase: Phase;
  statuses: Map<number, number>;
  /** milliseconds, in arrival order */
  latencies: number[];
}

export interface PhaseStats {
  requests: number;
  writes: number;
  ms: number;
}

export interface RequestError {
  kind: string;
  method: string;
  path: string;
  /** 0 = no HTTP response (connection error or the 60 s timeout). */
  status: number;
  detail: string;
}

export const isWrite = (method: string): boolean => method !== 'GET';

/** Nearest-rank percentile (p in (0, 100]) of ascending values; 0 for none. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1] ?? 0;
}

export class Recorder {
  readonly kinds = new Map<string, KindStats>();
  readonly phases = new Map<Phase, PhaseStats>();
  readonly errors: RequestError[] = [];
  errorCount = 0;
  retries = 0;
  phase: Phase = 'initial';

  /** Errors kept in full; the rest are only counted. */
  constructor(private readonly keepErrors = 200) {}

  record(kind: string, method: string, status: number, ms: number): void {
    let stats = this.kinds.get(kind);
    if (!stats) {
      stats = { method, phase: this.phase, statuses: new Map(), latencies: [] };
      this.kinds.set(kind, stats);
    }
    stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
    stats.latencies.push(ms);
    const phase = this.phaseStats(this.phase);
    phase.requests++;
    if (isWrite(method)) phase.writes++;
  }

  /** Wall time spent in a phase (added by the runner around each phase). */
  addTime(phase: Phase, ms: number): void {
    this.phaseStats(phase).ms += ms;
  }

  error(e: RequestError): void {
    this.errorCount++;
    if (this.errors.length < this.keepErrors) this.errors.push(e);
  }

  private phaseStats(phase: Phase): PhaseStats {
    let stats = this.phases.get(phase);
    if (!stats) {
      stats = { requests: 0, writes: 0, ms: 0 };
      this.phases.set(phase, stats);
    }
    return stats;
  }
}
