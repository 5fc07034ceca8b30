// runSimulation: Test Connection, the initial cycle, K incremental cycles, then verification —
// the command and the integration test both call this.
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { ScimClient } from './client.js';
import type { ChangeKind } from './changes.js';
import { createDirectory } from './directory.js';
import { runInitialCycle } from './initial-cycle.js';
import { runIncrementalCycle } from './cycles.js';
import { testConnection } from './operations.js';
import { describeIssue, simulationOptions, type SimulationInput, type SimulationOptions } from './options.js';
import { createRng } from './prng.js';
import { summarize, type Summary } from './report.js';
import { Semaphore } from './scheduler.js';
import type { Session } from './session.js';
import { Recorder, type Phase } from './stats.js';
import { verify, type Verification } from './verify.js';

export interface SimulationHooks {
  onProgress?: (done: number, total: number) => void;
}

export interface SimulationResult {
  /** Verified equal and finished in time. */
  ok: boolean;
  timedOut: boolean;
  options: Omit<SimulationOptions, 'token'>;
  changes: Partial<Record<ChangeKind, number>>;
  summary: Summary;
  /** null when the run timed out before verification. */
  verification: Verification | null;
}

export class SimulationError extends Error {}

export async function runSimulation(
  input: SimulationInput,
  hooks: SimulationHooks = {},
): Promise<SimulationResult> {
  const parsed = simulationOptions.safeParse(input);
  if (!parsed.success) throw new SimulationError(describeIssue(parsed.error));
  const options = parsed.data;

  const recorder = new Recorder();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new SimulationError('timed out')), options.timeoutMs);
  timer.unref();
  // Every in-flight request and retry wait listens on the deadline: at most two per slot.
  setMaxListeners(options.concurrency * 2 + 10, deadline.signal);
  const client = new ScimClient({
    url: options.url,
    token: options.token,
    dialect: options.dialect,
    concurrency: options.concurrency,
    recorder,
    signal: deadline.signal,
  });
  const rng = createRng(options.seed);
  const directory = createDirectory(options.seed, options, rng.fork('directory'));
  const total = directory.users.length + directory.groups.length + options.cycles * options.changes + 1;
  let done = 0;
  const session: Session = {
    client,
    dialect: options.dialect,
    directory,
    userIds: new Map(),
    groupIds: new Map(),
    semaphore: new Semaphore(options.concurrency),
    recorder,
    tick: () => hooks.onProgress?.(++done, total),
  };
  const changes: Partial<Record<ChangeKind, number>> = {};
  const phase = async <T>(name: Phase, fn: () => Promise<T>): Promise<T> => {
    recorder.phase = name;
    const started = performance.now();
    try {
      return await fn();
    } finally {
      recorder.addTime(name, performance.now() - started);
    }
  };

  let verification: Verification | null = null;
  let timedOut = false;
  try {
    const refused = await phase('initial', () => testConnection(session, rng.fork('test-connection').guid()));
    if (refused) throw new SimulationError(`Test Connection failed: ${refused}`);
    await phase('initial', () => runInitialCycle(session));
    for (let k = 0; k < options.cycles; k++) {
      const planned = await phase('incremental', () =>
        runIncrementalCycle(session, rng.fork(`cycle-${k + 1}`), options.changes),
      );
      for (const c of planned) changes[c.kind] = (changes[c.kind] ?? 0) + 1;
    }
    verification = await phase('verify', () => verify(session));
  } catch (e) {
    if (!deadline.signal.aborted) {
      // Stop whatever is still in flight before the pool closes.
      deadline.abort(e);
      throw e;
    }
    timedOut = true;
  } finally {
    clearTimeout(timer);
    await client.close();
  }
  const { token: _token, ...shown } = options;
  return {
    ok: !timedOut && verification?.ok === true,
    timedOut,
    options: shown,
    changes,
    summary: summarize(recorder),
    verification,
  };
}
