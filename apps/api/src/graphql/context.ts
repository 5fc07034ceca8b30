// Per-request GraphQL context: the authenticated principal and the request's EntityManager.
// A fresh object per request also gives every request its own dataloaders and auth cache.
import type { MikroORM } from '@mikro-orm/core';
import type { AdminPrincipal } from '@repo/domain';
import type { Producer } from '@repo/jobs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { adminPrincipalFrom } from '../auth/admin-auth.js';
import { requestEntityManager } from '../request-entity-manager.js';
import type { EntityManager } from '../sql/read-sql.js';
import { dialectOf, type Dialect } from '../sql/sql-dialect.js';
import { unauthenticated } from './errors.js';

export interface GraphQLContext {
  principal: AdminPrincipal;
  em: EntityManager;
  dialect: Dialect;
  queues: Pick<Producer, 'counts'>;
}

export interface ServerContext {
  req: FastifyRequest;
  reply: FastifyReply;
}

/** Unknown, revoked or missing tokens end the request with 401 before anything executes. */
export function contextFactory(orm: MikroORM, queues: Pick<Producer, 'counts'>) {
  return async ({ req }: ServerContext): Promise<GraphQLContext> => {
    const em = requestEntityManager(orm);
    const principal = await adminPrincipalFrom(em, req.headers.authorization);
    if (!principal) throw unauthenticated();
    return { principal, em, dialect: dialectOf(em), queues };
  };
}
