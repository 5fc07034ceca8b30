import type { EntityManager, MikroORM } from '@mikro-orm/core';

/**
 * The EntityManager of one tRPC, GraphQL or dashboard request: a fork, handed to the request's
 * code explicitly rather than through MikroORM's RequestContext. That context lives in an
 * AsyncLocalStorage, and on Node 20 the first one entered turns on a promise hook that runs for
 * every promise of the process from then on (three times the CPU of a bare `await`, measured; 8 %
 * of the api's allocations during an initial sync) — one admin request would slow every SCIM
 * request after it. SCIM itself reads with plain SQL on the shared EntityManager (no fork).
 */
export const requestEntityManager = (orm: MikroORM): EntityManager => orm.em.fork();
