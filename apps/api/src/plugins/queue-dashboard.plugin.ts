import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { MikroORM } from '@mikro-orm/core';
import { authenticateAdminToken } from '@repo/domain';
import { queueNames, toRedisOptions, type Producer } from '@repo/jobs';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { requestEntityManager } from '../request-entity-manager.js';

const BASE = '/admin/queues';

/**
 * bull-board at /admin/queues for operators: HTTP Basic auth whose password is an admin token with
 * role admin for all organizations (the queues hold every organization's jobs).
 */
export async function queueDashboardPlugin(
  app: FastifyInstance,
  // Not `prefix`: Fastify reads a registration's `prefix` option as a route prefix, which mounted
  // the dashboard at /<QUEUE_PREFIX>/admin/queues.
  opts: { orm: MikroORM; producer: Producer; redisUrl: string; queuePrefix: string },
): Promise<void> {
  const queues = queueNames.map((name) => {
    const queue = new Queue(name, { connection: toRedisOptions(opts.redisUrl), prefix: opts.queuePrefix });
    // Without a listener BullMQ console.errors every failed reconnect while Redis is down (raw
    // stack traces on stderr, outside the JSON logs); readiness already reports the outage.
    queue.on('error', (err) => app.log.debug({ err, queue: name }, 'queue dashboard connection error'));
    return queue;
  });
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BASE);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });

  await app.register(async (scoped) => {
    scoped.addHook('onRequest', async (req, reply) => {
      const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const password = match?.[1]
        ? Buffer.from(match[1], 'base64').toString('utf8').split(':').slice(1).join(':')
        : '';
      const principal = password
        ? await authenticateAdminToken(requestEntityManager(opts.orm), password)
        : null;
      if (!principal || principal.role !== 'admin' || principal.organizationId !== null) {
        return reply
          .code(401)
          .header('WWW-Authenticate', 'Basic realm="queues", charset="UTF-8"')
          .send({ error: 'An admin token for all organizations is required (as the Basic auth password).' });
      }
    });
    await scoped.register(serverAdapter.registerPlugin(), { prefix: BASE });
  });
  app.addHook('onClose', async () => {
    await Promise.all(queues.map((q) => q.close()));
  });
}
