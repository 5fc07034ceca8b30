// /trpc in its own encapsulated scope: the adapter swaps the JSON and multipart parsers, and that
// must not leak to SCIM, GraphQL or health routes (so no fastify-plugin wrapper here).
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyPluginAsync } from 'fastify';
import { createContextFactory, type TrpcPluginDeps } from './context.js';
import { appRouter, type AppRouter } from './router.js';

export const trpcPlugin: FastifyPluginAsync<TrpcPluginDeps> = async (app, deps) => {
  await app.register(fastifyTRPCPlugin, {
    trpcOptions: {
      router: appRouter,
      createContext: createContextFactory(deps),
      onError({ error, path, req }) {
        // Expected outcomes (auth, validation, domain rules) are answers, not incidents.
        if (error.code === 'INTERNAL_SERVER_ERROR')
          req.log.error({ err: error.cause ?? error, path }, 'tRPC procedure failed');
        else req.log.debug({ code: error.code, path, message: error.message }, 'tRPC error');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
};
