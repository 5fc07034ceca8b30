// One producer + workers pair on a fresh prefix, closed and wiped after each test.
import { afterEach } from 'vitest';
import { createProducer, silentLogger, startWorkers } from '../src/index.js';
import type {
  Handlers,
  Producer,
  ProducerOptions,
  RunningWorkers,
  StartWorkersOptions,
} from '../src/index.js';
import { deleteKeys, redisUrl, uniquePrefix } from './helpers.js';

interface Rig {
  prefix: string;
  producer: Producer;
  workers: RunningWorkers | undefined;
  startWorkers(handlers: Handlers, opts?: Partial<StartWorkersOptions>): RunningWorkers;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export function rig(label: string, opts: Partial<ProducerOptions> & { url?: string } = {}): Rig {
  const url = opts.url ?? redisUrl;
  const prefix = uniquePrefix(label);
  const producer = createProducer({
    connection: url,
    prefix,
    pendingLimitPerOrg: 100,
    waitTimeoutMs: 5_000,
    // Fast retries so the retry tests stay short.
    defaultJobOptions: { attempts: 3, backoff: { type: 'fixed', delay: 50 } },
    ...opts,
  });
  const r: Rig = {
    prefix,
    producer,
    workers: undefined,
    startWorkers(handlers, wopts = {}) {
      r.workers = startWorkers({
        connection: url,
        prefix,
        handlers,
        concurrency: { provisioning: 4, mail: 1 },
        logger: silentLogger,
        ...wopts,
      });
      return r.workers;
    },
  };
  cleanups.push(async () => {
    await r.workers?.close(2_000);
    await producer.close();
    await deleteKeys(url, prefix).catch(() => undefined);
  });
  return r;
}
