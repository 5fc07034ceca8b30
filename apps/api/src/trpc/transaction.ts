// Settings changes (not provisioning writes) call domain services directly, in one transaction
// on a fresh fork so the request's identity map never sees half-applied state.
import type { ServiceContext } from '@repo/domain';
import type { OrganizationContext } from './context.js';

export function inTransaction<T>(
  ctx: OrganizationContext,
  fn: (svc: ServiceContext) => Promise<T>,
): Promise<T> {
  return ctx.em.fork().transactional((em) =>
    fn({
      em,
      organizationId: ctx.organizationId,
      actor: 'admin',
      actorId: ctx.principal.tokenId,
      requestId: ctx.requestId,
    }),
  );
}
