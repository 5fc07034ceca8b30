// api process: config → ORM → producer → Fastify → listen → graceful shutdown.
import { initOrm } from '@repo/domain';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createApiLogger } from './logger.js';
import { createApiProducer } from './producer.js';
import { installShutdown } from '@repo/worker';

const config = loadConfig();
// Secrets never reach the logs: authorization headers are redacted wherever they appear.
const logger = createApiLogger(config.logLevel);
process.on('unhandledRejection', (e) => logger.error({ err: e }, 'unhandled rejection'));

const orm = await initOrm({ url: config.db.url, pool: { max: config.db.pool.max } });
const producer = createApiProducer(config, logger);
const app = await buildApp({ config, orm, producer, logger });
await app.listen({ port: config.http.port, host: config.http.host });

installShutdown([() => app.close(), () => producer.close(), () => orm.close()], {
  timeoutMs: 25_000,
  log: (msg) => logger.info(msg),
});
