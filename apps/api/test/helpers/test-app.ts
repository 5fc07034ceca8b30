// A real app for integration tests: fresh PostgreSQL (or SQLite) database, real Redis with a
// unique queue prefix, the worker's handlers running in-process, and the api listening on a
// random loopback port (real HTTP).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { createAdminToken, createOrganization, type DatabaseKind } from '@repo/domain';
import { createTestDatabase, createTestOrm, type TestDatabase } from '@repo/domain/testing';
import { startWorkers, type Producer, type RunningWorkers } from '@repo/jobs';
import { createHandlers, createMailTransport, type MailTransport } from '@repo/worker';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createApiProducer } from '../../src/producer.js';
import { deleteQueueKeys } from './pipeline-redis.js';

export interface TestApp {
  app: FastifyInstance;
  orm: MikroORM;
  producer: Producer;
  workers: RunningWorkers | null;
  config: Config;
  db: TestDatabase;
  /** http://127.0.0.1:<port> */
  url: string;
  outboxDir: string;
  close(): Promise<void>;
  /** A new organization: its SCIM base URL and key, plus admin and reader tokens scoped to it. */
  organization(name?: string, seats?: number | null): Promise<TestOrganization>;
  allOrgsToken(role: 'admin' | 'reader'): Promise<string>;
}

export interface TestOrganization {
  id: string;
  scimUrl: string;
  scimKey: string;
  adminToken: string;
  readerToken: string;
}

export interface TestAppOptions {
  kind?: DatabaseKind;
  /** Start the worker's handlers in this process (default true). */
  worker?: boolean;
  env?: Record<string, string>;
  /** The logger of api, producer and workers (default: pino at LOG_LEVEL, silent unless set). */
  logger?: FastifyBaseLogger;
  /** Database pool of the app (default 20). */
  poolMax?: number;
  /** Names the test database and queue prefix (default 'api'). */
  label?: string;
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const label = opts.label ?? 'api';
  const db = await createTestDatabase(opts.kind ?? 'postgresql', label);
  const orm = await createTestOrm(db, opts.poolMax ?? 20);
  const outboxDir = mkdtempSync(path.join(tmpdir(), 'scim-outbox-'));
  const prefix = `${label}${process.pid}${Math.random().toString(36).slice(2, 8)}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
    // Suites make many deliberate 401s from one loopback IP; rate-limit tests lower these again.
    AUTH_FAILURES_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...opts.env,
  });
  const logger = opts.logger ?? pino({ level: config.logLevel });
  const producer = createApiProducer(config, logger);
  let transport: MailTransport | null = null;
  let workers: RunningWorkers | null = null;
  if (opts.worker !== false) {
    transport = createMailTransport({ outboxDir, from: 'test <test@localhost>' });
    workers = startWorkers({
      connection: config.redis.url,
      prefix,
      handlers: createHandlers({ orm, producer, transport, publicUrl: 'http://localhost:3000' }),
      concurrency: { provisioning: db.kind === 'sqlite' ? 1 : 8, mail: 2 },
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
