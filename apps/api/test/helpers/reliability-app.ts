// The in-process app of test-app.ts (fresh PostgreSQL database, Redis with a unique prefix, the
// worker's handlers in-process, real HTTP on a random loopback port), with the api's production
// logger (createApiLogger: same redaction as main.ts) writing into memory, so tests can assert on
// every line that would have been logged — at debug level by default.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAdminToken, createOrganization } from '@repo/domain';
import { createTestDatabase, createTestOrm } from '@repo/domain/testing';
import { createProducer, startWorkers, type RunningWorkers } from '@repo/jobs';
import { createHandlers, createMailTransport, type MailTransport } from '@repo/worker';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createApiLogger } from '../../src/logger.js';
import { deleteQueueKeys } from './pipeline-redis.js';
import type { TestApp } from './test-app.js';

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
  const db = await createTestDatabase('postgresql', 'rel');
  const orm = await createTestOrm(db, opts.poolMax ?? 20);
  const outboxDir = mkdtempSync(path.join(tmpdir(), 'scim-rel-outbox-'));
  const prefix = `rel${process.pid}${Math.random().toString(36).slice(2, 8)}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: opts.logLevel ?? 'debug',
    ...opts.env,
  });
  const captured = captureLogs();
  const logger = createApiLogger(config.logLevel, captured.stream);
  const producer = createProducer({
    connection: config.redis.url,
    prefix,
    pendingLimitPerOrg: config.scim.pendingLimit,
    waitTimeoutMs: config.scim.writeWaitMs,
    logger,
  });
  let transport: MailTransport | null = null;
  let workers: RunningWorkers | null = null;
  if (opts.worker !== false) {
    transport = createMailTransport({ outboxDir, from: 'test <test@localhost>' });
    workers = startWorkers({
      connection: config.redis.url,
      prefix,
      handlers: createHandlers({ orm, producer, transport, publicUrl: 'http://localhost:3000' }),
      concurrency: { provisioning: 8, mail: 2 },
      logger,
    });
  }
  const app = await buildApp({ config, orm, producer, logger });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });

  return {
    app,
    orm,
    producer,
    workers,
    config,
    db,
    url,
    outboxDir,
    logs: { lines: captured.lines, entries: captured.entries },
    async close() {
      await app.close();
      await workers?.close(10_000);
      await producer.close();
      await transport?.close();
      await orm.close(true);
      await db.drop();
      await deleteQueueKeys(config.redis.url, prefix);
      rmSync(outboxDir, { recursive: true, force: true });
    },
    async organization(name = 'Acme', seats = null) {
      return orm.em.fork().transactional(async (em) => {
        const { organization, scimApiKey } = await createOrganization(em, { name, seats });
        const admin = await createAdminToken(em, { organizationId: organization.id, role: 'admin' });
        const reader = await createAdminToken(em, { organizationId: organization.id, role: 'reader' });
        return {
          id: organization.id,
          scimUrl: `${url}/scim/v2/${organization.id}`,
          scimKey: scimApiKey,
          adminToken: admin.token,
          readerToken: reader.token,
        };
      });
    },
    async allOrgsToken(role) {
      return orm.em
        .fork()
        .transactional(async (em) => (await createAdminToken(em, { organizationId: null, role })).token);
    },
  };
}
