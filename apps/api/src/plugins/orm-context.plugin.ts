import { RequestContext, type MikroORM } from '@mikro-orm/core';
import fp from 'fastify-plugin';

/**
 * One EntityManager fork per request (tRPC, GraphQL, the queue dashboard), except under the
 * `without` prefixes: SCIM reads and writes are plain SQL on the shared EntityManager (no unit of
 * work to isolate), and a fork cost 4.4 % of the api's CPU serving lookups (pnpm bench, item 2).
 */
export const ormContextPlugin = fp<{ orm: MikroORM; without?: readonly string[] }>(
  async (app, { orm, without = [] }) => {
    app.addHook('onRequest', (req, _reply, done) => {
      if (without.some((prefix) => req.url.startsWith(prefix))) return done();
      RequestContext.create(orm.em, done);
    });
  },
  { name: 'orm-context' },
);
