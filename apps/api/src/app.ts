// buildApp(deps): the Fastify instance with every surface; never listens (main.ts and tests do).
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { verifyScimKey } from '@repo/domain';
import type { Producer } from '@repo/jobs';
import { scimPlugin, type ScimPorts, type ScimWriter } from '@repo/scim-adapter';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { graphqlPlugin } from './graphql/yoga.plugin.js';
import { healthPlugin } from './plugins/health.plugin.js';
import { invitationPagePlugin } from './plugins/invitation-page.plugin.js';
import { metricsPlugin } from './plugins/metrics.plugin.js';
import { queueDashboardPlugin } from './plugins/queue-dashboard.plugin.js';
import { rateLimitPlugin } from './plugins/rate-limit.plugin.js';
import { createGroupReader } from './scim/group-reader.js';
import { withDatabaseOutages } from './scim/outage-ports.js';
import { createScimActivityRecorder } from './scim/scim-activity.js';
import { createScimKeyCache } from './scim/scim-key-cache.js';
import { createScimWriter } from './scim/scim-writer.js';
import { createUserReader } from './scim/user-reader.js';
import { trpcPlugin } from './trpc/trpc.plugin.js';

export interface AppDeps {
  config: Config;
  orm: MikroORM;
  producer: Producer;
  logger: FastifyBaseLogger;
  /** Where SCIM writes go: the queue unless given (the benchmark's in-process baseline). */
  scimWriter?: ScimWriter;
}

const SCIM_PREFIX = '/scim/v2';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, orm, producer } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    // The request id follows the request into its job (ScimWriteData.requestId) and the logs.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    routerOptions: { maxParamLength: 5000, caseSensitive: true },
    bodyLimit: config.scim.maxBodyBytes,
    connectionTimeout: config.timeouts.connectionMs,
    requestTimeout: config.timeouts.requestMs,
    // Slow clients: Node checks request timeouts on this interval (default 30 s: a client trickling
    // its body would hold the socket that much past requestTimeout), and (Node 20) does not enforce
    // requestTimeout while headersTimeout (default 60 s) is longer: all three given at construction.
    http: {
      connectionsCheckingInterval: Math.min(1_000, config.timeouts.requestMs),
      requestTimeout: config.timeouts.requestMs,
      headersTimeout: Math.min(60_000, config.timeouts.requestMs),
    },
  });
  // While closing, responses to in-flight requests end their connection: an idle keep-alive socket
  // would otherwise hold server.close() — and the graceful shutdown — until keepAliveTimeout (72 s).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (closing) reply.header('connection', 'close');
  });

  await app.register(rateLimitPlugin, {
    redisUrl: config.redis.url,
    prefix: config.redis.prefix,
    perMinute: config.rateLimit.perMinute,
    authFailuresPerMinute: config.rateLimit.authFailuresPerMinute,
  });
  await app.register(healthPlugin, { orm, producer });
  await app.register(metricsPlugin, { producer });
  await app.register(invitationPagePlugin);
  await app.register(queueDashboardPlugin, {
    orm,
    producer,
    redisUrl: config.redis.url,
    queuePrefix: config.redis.prefix,
  });

  // SCIM touches the database in plain SQL only (readers, key check): the shared EntityManager
  // serves it, with no per-request fork (only tRPC, GraphQL and the dashboard make one). An ORM
  // find here would fail loudly (MikroORM refuses the global context), not share an identity map.
  const scimEm = () => orm.em;
  const scimKeys = createScimKeyCache((organizationId, key) => verifyScimKey(scimEm(), organizationId, key), {
    ttlMs: config.scim.keyCacheMs,
  });
  const scimPorts: ScimPorts = withDatabaseOutages({
    users: createUserReader({ em: scimEm }),
    groups: createGroupReader({ em: scimEm }),
    writer: deps.scimWriter ?? createScimWriter(producer),
    auth: { authenticate: scimKeys.authenticate },
    limits: {
      maxResults: config.scim.maxResults,
      defaultCount: 100,
      maxPayloadBytes: config.scim.maxBodyBytes,
      maxBulkOperations: config.scim.maxBulkOperations,
    },
    onAuthenticated: createScimActivityRecorder(orm),
  });
  await app.register(scimPlugin(scimPorts), { prefix: SCIM_PREFIX });
  await app.register(graphqlPlugin, { orm, config, producer });
  await app.register(trpcPlugin, { prefix: '/trpc', orm, producer, config, scimKeys });
  return app;
}
