// The api's producer, as its configuration sets it: one place for the process, the tests and the bench.
import { createProducer, type Logger, type Producer } from '@repo/jobs';
import type { Config } from './config.js';

export const createApiProducer = (config: Config, logger: Logger): Producer =>
  createProducer({
    connection: config.redis.url,
    prefix: config.redis.prefix,
    pendingLimitPerOrg: config.scim.pendingLimit,
    waitTimeoutMs: config.scim.writeWaitMs,
    logger,
  });
