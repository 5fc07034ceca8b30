// test-app.ts's app (fresh PostgreSQL database, Redis with a unique prefix, the worker's handlers
// in-process, real HTTP on a random loopback port) with the api's production logger
// (createApiLogger: same redaction as main.ts) writing into memory, so tests can assert on every
// line that would have been logged — at debug level by default.
import { createApiLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from './test-app.js';

export interface CapturedLogs {
  /** Every line written, raw (what a log shipper would receive). */
  lines: string[];
  /** Parsed lines matching `pred`. */
  entries(pred?: (entry: Record<string, unknown>) => boolean): Array<Record<string, unknown>>;
}

export interface ReliabilityApp extends TestApp {
  logs: CapturedLogs;
}

export interface ReliabilityAppOptions {
  env?: Record<string, string>;
  /** Start the worker's handlers in this process (default true). */
  worker?: boolean;
  /** Default 'debug': the most talkative level a deployment would plausibly run. */
  logLevel?: string;
  /** Database pool of the api (default 20). */
  poolMax?: number;
}

const MAX_LINES = 200_000;

export function captureLogs(): CapturedLogs & { stream: { write(line: string): void } } {
  const lines: string[] = [];
  return {
    lines,
    stream: {
      write(chunk: string) {
        for (const line of chunk.split('\n')) if (line !== '' && lines.length < MAX_LINES) lines.push(line);
      },
    },
    entries(pred = () => true) {
      const out: Array<Record<string, unknown>> = [];
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (pred(entry)) out.push(entry);
        } catch {
          // not JSON: kept in `lines` for text assertions
        }
      }
      return out;
    },
  };
}

export async function startReliabilityApp(opts: ReliabilityAppOptions = {}): Promise<ReliabilityApp> {
  const level = opts.logLevel ?? 'debug';
  const captured = captureLogs();
  const app = await startTestApp({
    label: 'rel',
    ...(opts.worker === undefined ? {} : { worker: opts.worker }),
    ...(opts.poolMax === undefined ? {} : { poolMax: opts.poolMax }),
    env: { LOG_LEVEL: level, ...opts.env },
    logger: createApiLogger(level, captured.stream),
  });
  return { ...app, logs: { lines: captured.lines, entries: captured.entries } };
}
