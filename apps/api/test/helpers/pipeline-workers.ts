// The worker's handlers started in the test process, later than the api (startTestApp with
// worker:false): jobs wait in the queue until then, as they do while every worker is down.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startWorkers, type RunningWorkers } from '@repo/jobs';
import { createHandlers, createMailTransport } from '@repo/worker';
import { pino } from 'pino';
import type { TestApp } from './test-app.js';

export interface LateWorkers {
  running: RunningWorkers;
  close(): Promise<void>;
}

export function startLateWorkers(t: TestApp, concurrency = 8): LateWorkers {
  const outboxDir = mkdtempSync(path.join(tmpdir(), 'scim-outbox-'));
  const transport = createMailTransport({ outboxDir, from: 'test <test@localhost>' });
  const running = startWorkers({
    connection: t.config.redis.url,
    prefix: t.config.redis.prefix,
    handlers: createHandlers({
      orm: t.orm,
      producer: t.producer,
      transport,
      publicUrl: 'http://localhost:3000',
    }),
    concurrency: { provisioning: concurrency, mail: 1 },
    logger: pino({ level: 'silent' }),
  });
  return {
    running,
    async close() {
      await running.close(10_000);
      await transport.close();
      rmSync(outboxDir, { recursive: true, force: true });
    },
  };
}
