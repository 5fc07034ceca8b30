import { RequestContext, type MikroORM } from '@mikro-orm/core';
import fp from 'fastify-plugin';

/** One EntityManager fork per request, for SCIM, tRPC and GraphQL alike. */
export const ormContextPlugin = fp<{ orm: MikroORM }>(
  async (app, { orm }) => {
    app.addHook('onRequest', (_req, _reply, done) => {
      RequestContext.create(orm.em, done);
    });
  },
  { name: 'orm-context' },
);
