// The worker's only reader of process.env.
import path from 'node:path';
import { z } from 'zod';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w-]+$/)
    .default('scim'),
  PORT: z.coerce.number().int().default(3000),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prometheus metrics of the worker (job duration by outcome); 0 turns the endpoint off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  /** Provisioning jobs run in parallel per worker process (forced to 1 on SQLite: one writer). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('SCIM provisioning <no-reply@localhost>'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(25_000),
  /**
   * A job's lock lasts this long (renewed at half of it while the job runs); once a crashed
   * worker's lock lapses, the stalled check (every WORKER_STALLED_INTERVAL_MS) runs the job again.
   * Defaults are BullMQ's; tests shorten both to see a kill -9 recovered in seconds.
   */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
});

export interface WorkerConfig {
  metrics: { port: number; host: string };
  db: { url: string; pool: { max: number } };
  redis: { url: string; prefix: string };
  concurrency: { provisioning: number; mail: number };
  mail: { smtpUrl: string | undefined; from: string; outboxDir: string };
  publicUrl: string;
  logLevel: string;
  shutdownTimeoutMs: number;
  locks: { lockDuration: number; stalledInterval: number };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  const dbUrl = e.DATABASE_URL ?? path.join(e.DATA_DIR, 'scim.sqlite');
  const sqlite = !/^postgres(ql)?:\/\//.test(dbUrl);
  return {
    db: { url: dbUrl, pool: { max: e.DATABASE_POOL_MAX } },
    redis: { url: e.REDIS_URL, prefix: e.QUEUE_PREFIX },
    concurrency: { provisioning: sqlite ? 1 : e.WORKER_CONCURRENCY, mail: e.MAIL_CONCURRENCY },
    mail: { smtpUrl: e.SMTP_URL || undefined, from: e.MAIL_FROM, outboxDir: path.join(e.DATA_DIR, 'outbox') },
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    metrics: { port: e.WORKER_METRICS_PORT, host: '127.0.0.1' },
    locks: { lockDuration: e.WORKER_LOCK_DURATION_MS, stalledInterval: e.WORKER_STALLED_INTERVAL_MS },
  };
}
