// The api's only reader of process.env: parsed once with zod into a structured Config.
import path from 'node:path';
import { z } from 'zod';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w-]+$/)
    .default('scim'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long a SCIM write waits for its job before answering 503 + Retry-After. */
  SCIM_WRITE_WAIT_MS: z.coerce.number().int().min(100).max(55_000).default(20_000),
  /** More writes than this pending for one organization → 429. */
  SCIM_PENDING_LIMIT: z.coerce.number().int().min(1).default(2_000),
  SCIM_MAX_RESULTS: z.coerce.number().int().min(1).max(10_000).default(1_000),
  SCIM_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  SCIM_MAX_BULK_OPERATIONS: z.coerce.number().int().min(1).default(1_000),
  /** A SCIM key that checked out is trusted this long without a database read (0: check every time). */
  SCIM_KEY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** Requests per minute per credential (SCIM key or admin token) before 429. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(180_000),
  /** Failed authentications per minute per client IP before 429 (key guessing). */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** A client must finish sending its request (headers and body) within this time, else 408. */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).default(65_000),
  /** An idle socket (no bytes either way) is closed after this time. */
  HTTP_CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(500).default(70_000),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  http: { port: number; host: string; publicUrl: string };
  db: { url: string; pool: { max: number } };
  redis: { url: string; prefix: string };
  scim: {
    writeWaitMs: number;
    pendingLimit: number;
    maxResults: number;
    maxBodyBytes: number;
    maxBulkOperations: number;
    keyCacheMs: number;
  };
  rateLimit: { perMinute: number; authFailuresPerMinute: number };
  timeouts: { requestMs: number; connectionMs: number };
  logLevel: string;
  dataDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host: e.HOST,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    },
    db: { url: e.DATABASE_URL ?? path.join(e.DATA_DIR, 'scim.sqlite'), pool: { max: e.DATABASE_POOL_MAX } },
    redis: { url: e.REDIS_URL, prefix: e.QUEUE_PREFIX },
    scim: {
      writeWaitMs: e.SCIM_WRITE_WAIT_MS,
      pendingLimit: e.SCIM_PENDING_LIMIT,
      maxResults: e.SCIM_MAX_RESULTS,
      maxBodyBytes: e.SCIM_MAX_BODY_BYTES,
      maxBulkOperations: e.SCIM_MAX_BULK_OPERATIONS,
      keyCacheMs: e.SCIM_KEY_CACHE_MS,
    },
    rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE, authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE },
    timeouts: { requestMs: e.HTTP_REQUEST_TIMEOUT_MS, connectionMs: e.HTTP_CONNECTION_TIMEOUT_MS },
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
  };
}
