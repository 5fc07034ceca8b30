// Settings changes (not provisioning writes) call domain services directly, in one plain-SQL
// transaction: those services are plain SQL, and MikroORM's transactional would enter an
// AsyncLocalStorage, turning on Node 20's promise hook for the rest of the api's life.
import { plainTransaction, type ServiceContext } from '@repo/domain';
import type { OrganizationContext } from './context.js';

export function inTransaction<T>(
  ctx: OrganizationContext,
  fn: (svc: ServiceContext) => Promise<T>,
): Promise<T> {
  return plainTransaction(ctx.em, (em) =>
    fn({
      em,
      organizationId: ctx.organizationId,
      actor: 'admin',
      actorId: ctx.principal.tokenId,
      requestId: ctx.requestId,
    }),
  );
}
