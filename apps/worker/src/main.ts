// Worker process: provisioning and mail queues, outbox sweeper, planner statistics, activity counts,
// graceful shutdown.
import {
  ANALYZE_CHECK_INTERVAL_MS,
  analyzeChangedTables,
  initOrm,
  pruneAppliedJobs,
  rollUpActivity,
} from '@repo/domain';
import { createProducer, startWorkers } from '@repo/jobs';
import { loadConfig } from './config.js';
import { createHandlers } from './handlers/index.js';
import { createLogger } from './logger.js';
import { createWorkerMetrics, serveMetrics, timedHandlers } from './metrics.js';
import { createMailTransport } from './mail/mail-transport.js';
import { runNotificationSweep } from './mail/notification-sweep.js';
import { every } from './periodic.js';
import { installShutdown } from './shutdown.js';

const config = loadConfig();
const logger = createLogger(config.logLevel, 'worker');
process.on('unhandledRejection', (e) => logger.error({ err: e }, 'unhandled rejection'));

const orm = await initOrm({ url: config.db.url, pool: { max: config.db.pool.max } });
const producer = createProducer({
  connection: config.redis.url,
  prefix: config.redis.prefix,
  pendingLimitPerOrg: Number.MAX_SAFE_INTEGER,
  waitTimeoutMs: 30_000,
  logger,
});
const transport = createMailTransport({
  smtpUrl: config.mail.smtpUrl,
  outboxDir: config.mail.outboxDir,
  from: config.mail.from,
  connections: config.concurrency.mail,
});
const metrics = createWorkerMetrics();
const metricsServer =
  config.metrics.port === 0
    ? null
    : serveMetrics(metrics.registry, config.metrics.port, config.metrics.host, (e) =>
        logger.warn({ err: e }, 'worker metrics endpoint unavailable'),
      );
const running = startWorkers({
  connection: config.redis.url,
  prefix: config.redis.prefix,
  handlers: timedHandlers(
    createHandlers({ orm, producer, transport, publicUrl: config.publicUrl }),
    metrics.duration,
  ),
  concurrency: config.concurrency,
  logger,
  workerOptions: config.locks,
});

const sweeper = every(30_000, () => runNotificationSweep(orm, producer), {
  logger,
  failure: 'notification sweep failed',
});

// Keeps the planner's statistics up with an initial sync (see analyzeChangedTables).
const statistics = every(
  ANALYZE_CHECK_INTERVAL_MS,
  async () => {
    const tables = await analyzeChangedTables(orm.em.fork());
    if (tables.length) logger.debug({ tables }, 'analyzed tables that grew');
  },
  { logger, failure: 'could not analyze tables' },
);

// The activity report's hourly counts, a minute or so behind each hour's close (see rollUpActivity),
// from start-up on.
const activityRollup = every(
  60_000,
  async () => {
    const { hours } = await rollUpActivity(orm.em.fork());
    if (hours) logger.debug({ hours }, 'counted audit events of closed hours');
  },
  { logger, failure: 'could not count audit events of closed hours', runNow: true },
);

// applied_job rows only matter while their job can still run again (minutes); keep a day.
const pruner = every(3_600_000, () => pruneAppliedJobs(orm.em.fork(), new Date(Date.now() - 86_400_000)), {
  logger,
  failure: 'could not prune applied jobs',
});

logger.info(
  {
    concurrency: config.concurrency,
    database: config.db.url.startsWith('postgres') ? 'postgresql' : 'sqlite',
  },
  'worker started',
);

installShutdown(
  [
    async () => {
      clearInterval(sweeper);
      clearInterval(statistics);
      clearInterval(pruner);
      clearInterval(activityRollup);
      metricsServer?.close();
    },
    async () => {
      const { drained } = await running.close(config.shutdownTimeoutMs - 2_000);
      logger.info({ drained }, 'workers closed');
    },
    () => producer.close(),
    () => transport.close(),
    () => orm.close(),
  ],
  { timeoutMs: config.shutdownTimeoutMs, log: (msg) => logger.info(msg) },
);
