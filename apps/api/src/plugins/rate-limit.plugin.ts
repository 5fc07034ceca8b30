// Abuse limits, shared by every process through Redis (request counts in batches, rate-limit-store.ts):
// - requests per minute per credential (SCIM key or admin token; the client IP without one);
// - failed authentications per minute per client IP, so SCIM keys and admin tokens can't be guessed.
// Redis down: limits are skipped (fail open) — writes answer 503 anyway, reads stay available.
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { createFailFastClient } from '@repo/jobs';
import { ScimError } from '@repo/scim-adapter';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createBatchedStore } from './rate-limit-store.js';

export interface RateLimitOptions {
  redisUrl: string;
  prefix: string;
  perMinute: number;
  authFailuresPerMinute: number;
}

const WINDOW_MS = 60_000;
const UNLIMITED = new Set(['/healthz', '/readyz', '/metrics']);

/** Never the credential itself: a short hash is enough to tell credentials apart. */
const credentialKey = (req: FastifyRequest): string => {
  const auth = req.headers.authorization;
  return auth ? `c:${createHash('sha256').update(auth).digest('base64url').slice(0, 22)}` : `ip:${req.ip}`;
};

const tooMany = (req: FastifyRequest, detail: string, retryAfterSeconds: number) =>
  req.url.startsWith('/scim/')
    ? new ScimError(429, detail, undefined, { 'Retry-After': String(retryAfterSeconds) })
    : Object.assign(new Error(detail), {
        statusCode: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
      });

export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app: FastifyInstance, opts) => {
    // A short command timeout: the limiter fails open, and it sits on the path of every request,
    // reads included — with the default 1 s a hung (not refused) Redis added 2 s to each of them.
    const redis = createFailFastClient(opts.redisUrl, 'rate-limit', 250);
    const counts = createBatchedStore(redis, { namespace: `${opts.prefix}:rl:`, windowMs: WINDOW_MS });
    app.addHook('onClose', async () => {
      counts.close();
      redis.disconnect();
    });

    await app.register(rateLimit, {
      global: true,
      max: opts.perMinute,
      timeWindow: WINDOW_MS,
      store: counts.Store,
      skipOnError: true,
      keyGenerator: credentialKey,
      allowList: (req) => UNLIMITED.has(req.url.split('?')[0] ?? ''),
      errorResponseBuilder: (req, ctx) =>
        tooMany(
          req,
          `Rate limit of ${ctx.max} requests per minute exceeded; retry after ${Math.ceil(ctx.ttl / 1000)} s.`,
          Math.ceil(ctx.ttl / 1000),
        ),
    });

    // Failed authentications are counted in Redis (shared by every api process) only when a 401 is
    // sent; an IP over the limit is then blocked in memory for the window, so successful requests
    // pay no extra Redis round trip. Once blocked, even a correct credential waits out the window.
    const failuresKey = (req: FastifyRequest) => `${opts.prefix}:authfail:${req.ip}`;
    const blockedUntil = new Map<string, number>();
    // Failures of an address still being counted: its next request waits for them, since a tRPC
    // 401 is counted only after it was sent and the client may already be asking again.
    const counting = new Map<string, Promise<void>>();
    app.addHook('onRequest', async (req) => {
      await counting.get(req.ip);
      const until = blockedUntil.get(req.ip);
      if (until === undefined) return;
      if (until > Date.now())
        throw tooMany(
          req,
          'Too many failed authentication attempts; retry later.',
          Math.ceil((until - Date.now()) / 1000),
        );
      blockedUntil.delete(req.ip);
    });
    const counted = new WeakSet<FastifyRequest>();
    const countFailure = (req: FastifyRequest): Promise<void> => {
      counted.add(req);
      const done = (counting.get(req.ip) ?? Promise.resolve())
        .then(() =>
          redis
            .multi()
            .incr(failuresKey(req))
            .pexpire(failuresKey(req), 60_000, 'NX')
            .pttl(failuresKey(req))
            .exec(),
        )
        .catch(() => null)
        .then((result) => {
          const count = Number(result?.[0]?.[1] ?? 0);
          const ttl = Number(result?.[2]?.[1] ?? 60_000);
          if (count >= opts.authFailuresPerMinute) blockedUntil.set(req.ip, Date.now() + Math.max(ttl, 1000));
        })
        .finally(() => {
          if (counting.get(req.ip) === done) counting.delete(req.ip);
        });
      counting.set(req.ip, done);
      return done;
    };
    // Counted in onSend where the status is known there (SCIM, GraphQL), so the next guess already
    // sees the block; replies sent as web Responses (tRPC) only show their status in onResponse.
    app.addHook('onSend', async (req, reply, payload) => {
      if (reply.statusCode === 401) await countFailure(req);
      return payload;
    });
    app.addHook('onResponse', async (req, reply) => {
      if (reply.statusCode === 401 && !counted.has(req)) await countFailure(req);
    });
  },
  { name: 'rate-limit' },
);
