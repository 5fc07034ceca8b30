// What every procedure sees. Built per HTTP request by the Fastify plugin, or by hand in tests
// (createCaller) from a principal, so procedures never reach for globals.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { AdminPrincipal } from '@repo/domain';
import type { Producer } from '@repo/jobs';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { adminPrincipalFrom } from '../auth/admin-auth.js';
import { requestEntityManager } from '../request-entity-manager.js';
import type { Config } from '../config.js';
import type { ScimKeyCache } from '../scim/scim-key-cache.js';
import { isDatabaseUnavailable } from '../db-unavailable.js';
import { databaseUnavailable } from './errors.js';

export interface TrpcDeps {
  producer: Producer;
  config: Pick<Config, 'http'>;
  /** Told when a SCIM key or switch changes, so this process stops trusting the old key at once. */
  scimKeys: Pick<ScimKeyCache, 'forget'>;
}

export interface TrpcContext extends TrpcDeps {
  /** The request's EntityManager fork (reads); writes fork it again per transaction. */
  em: EntityManager;
  /** null when no valid admin token was presented. */
  principal: AdminPrincipal | null;
  /** Follows the request into its jobs and audit events. */
  requestId: string;
}

/** What the Fastify plugin is given to build each request's context. */
export type TrpcPluginDeps = TrpcDeps & { orm: MikroORM };

/** The Fastify adapter's createContext. */
export function createContextFactory({ orm, ...deps }: TrpcPluginDeps) {
  return async ({ req }: CreateFastifyContextOptions): Promise<TrpcContext> => {
    const em = requestEntityManager(orm);
    // Authentication reads the database: an outage is a 503 here as in the procedures.
    const principal = await adminPrincipalFrom(em, req.headers.authorization).catch((e: unknown) => {
      throw isDatabaseUnavailable(e) ? databaseUnavailable() : e;
    });
    return { ...deps, em, principal, requestId: req.id };
  };
}

/** The context of a procedure scoped to one organization (readerProcedure / adminProcedure). */
export type OrganizationContext = TrpcContext & { principal: AdminPrincipal; organizationId: string };
