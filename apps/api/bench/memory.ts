// Item 5: peak RSS of the api and worker processes, sampled from /proc every 200 ms and attributed
// to the phase running at the time ("during the initial sync", "with 100k members stored").
import { readFileSync } from 'node:fs';
import { below, info, type ItemResult } from './report.js';

const LIMIT_MB = 300;
const INTERVAL_MS = 200;

interface Peak {
  api: number;
  worker: number;
}

/** kB field of /proc/<pid>/status as MB; NaN when the process is gone. */
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The api's V8 heap from its Prometheus metrics (MB): is a large RSS live data or an unshrunk heap? */
async function apiHeap(metricsUrl: string): Promise<Record<string, number>> {
  const text = await fetch(metricsUrl).then((r) => r.text());
  const read = (name: string) => {
    const m = new RegExp(`^scim_api_${name} ([\\d.e+]+)$`, 'm').exec(text);
    return m?.[1] ? Math.round(Number(m[1]) / 2 ** 20) : Number.NaN;
  };
  return {
    rss: read('process_resident_memory_bytes'),
    heapTotal: read('nodejs_heap_size_total_bytes'),
    heapUsed: read('nodejs_heap_size_used_bytes'),
    external: read('nodejs_external_memory_bytes'),
    oldSpaceUsed: read('nodejs_heap_space_size_used_bytes\\{space="old"\\}'),
    newSpaceSize: read('nodejs_heap_space_size_total_bytes\\{space="new"\\}'),
  };
}

export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private current: string | null = null;
  private readonly peaks = new Map<string, Peak & { samples: number }>();
  private readonly heapAtEnd = new Map<string, Record<string, number>>();

  constructor(
    private readonly pids: { api: number; worker: number },
    private readonly apiMetricsUrl?: string,
  ) {}

  start(): void {
    // The idle baseline: what the processes hold before any load (code, caches, pools).
    this.current = 'idle after start';
    this.sample();
    this.current = null;
    this.timer = setInterval(() => this.sample(), INTERVAL_MS);
    this.timer.unref();
  }

  /** Samples taken from now on count toward `name` (null: toward no phase). */
  async phase(name: string | null): Promise<void> {
    this.sample();
    const ended = this.current;
    if (ended !== null && this.apiMetricsUrl) {
      const heap = await apiHeap(this.apiMetricsUrl).catch(() => null);
      if (heap) this.heapAtEnd.set(ended, heap);
    }
    this.current = name;
    this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sample(): void {
    if (this.current === null) return;
    const api = statusMb(this.pids.api, 'VmRSS');
    const worker = statusMb(this.pids.worker, 'VmRSS');
    const peak = this.peaks.get(this.current) ?? { api: 0, worker: 0, samples: 0 };
    this.peaks.set(this.current, {
      api: Math.max(peak.api, Number.isNaN(api) ? 0 : api),
      worker: Math.max(peak.worker, Number.isNaN(worker) ? 0 : worker),
      samples: peak.samples + 1,
    });
  }

  /**
   * The item's figures: each condition's peak is the largest over its phases (the per-phase peaks go
   * in the notes, to tell which measurement drove it); VmHWM, the kernel's own high-water mark since
   * start, as a cross-check.
   */
  result(conditions: { label: string; phases: string[] }[], seconds: number): ItemResult {
    const mb = (n: number) => Math.round(n);
    const figures = conditions.flatMap(({ label, phases }) => {
      const seen = phases.flatMap((name) => {
        const p = this.peaks.get(name);
        return p ? [{ name, ...p }] : [];
      });
      if (!seen.length) return [];
      const note = (which: 'api' | 'worker') =>
        seen.length > 1 ? seen.map((p) => `${p.name} ${mb(p[which])}`).join(', ') : undefined;
      return [
        below(`api peak RSS ${label}`, mb(Math.max(...seen.map((p) => p.api))), LIMIT_MB, 'MB', note('api')),
        below(
          `worker peak RSS ${label}`,
          mb(Math.max(...seen.map((p) => p.worker))),
          LIMIT_MB,
          'MB',
          note('worker'),
        ),
      ];
    });
    const hwm = {
      api: mb(statusMb(this.pids.api, 'VmHWM')),
      worker: mb(statusMb(this.pids.worker, 'VmHWM')),
    };
    const idle = this.peaks.get('idle after start');
    if (idle) {
      figures.push(
        info('api RSS idle after start', mb(idle.api), 'MB'),
        info('worker RSS idle after start', mb(idle.worker), 'MB'),
      );
    }
    figures.push(
      info('api VmHWM (whole run so far)', hwm.api, 'MB'),
      info('worker VmHWM (whole run so far)', hwm.worker, 'MB'),
    );
    return {
      item: 5,
      title: 'Memory: peak RSS of api and worker',
      figures,
      details: {
        intervalMs: INTERVAL_MS,
        peaksMb: Object.fromEntries(this.peaks),
        vmHwmMb: hwm,
        apiHeapMbAtPhaseEnd: Object.fromEntries(this.heapAtEnd),
      },
      seconds,
    };
  }
}
