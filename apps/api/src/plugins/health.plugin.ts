import type { MikroORM } from '@mikro-orm/core';
import fp from 'fastify-plugin';
import type { Producer } from '@repo/jobs';

/** /healthz: the process answers. /readyz: the database and Redis answer too. */
export const healthPlugin = fp<{ orm: MikroORM; producer: Producer }>(
  async (app, { orm, producer }) => {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) => {
      const [database, redis] = await Promise.all([
        orm.em
          .fork()
          .getConnection()
          .execute('select 1')
          .then(() => 'ok' as const)
          .catch(() => 'down' as const),
        producer
          .counts()
          .then(() => 'ok' as const)
          .catch(() => 'down' as const),
      ]);
      const ready = database === 'ok' && redis === 'ok';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', database, redis });
    });
  },
  { name: 'health' },
);
