import { Organization, ProvisionMode, seatsUsed, updateOrganization } from '@repo/domain';
import { z } from 'zod';
import { inTransaction } from '../transaction.js';
import { adminProcedure, readerProcedure, router } from '../trpc.js';
import { organizationView } from '../views.js';

const OrganizationUpdate = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    /** null = unlimited. */
    seats: z.number().int().min(1).max(10_000_000).nullable().optional(),
    provisionMode: z.enum(ProvisionMode).optional(),
  })
  .refine((u) => u.name !== undefined || u.seats !== undefined || u.provisionMode !== undefined, {
    message: 'Give at least one of name, seats, provisionMode.',
  });

export const organizationsRouter = router({
  get: readerProcedure.query(async ({ ctx }) => {
    const org = await ctx.em.findOneOrFail(Organization, ctx.organizationId);
    const used = await seatsUsed({ em: ctx.em, organizationId: ctx.organizationId, actor: 'admin' });
    return organizationView(org, used);
  }),

  /** Name, seats (null = unlimited) and whether provisioned members are invited or staged. */
  update: adminProcedure.input(OrganizationUpdate).mutation(({ ctx, input }) =>
    inTransaction(ctx, async (svc) => {
      const org = await updateOrganization(svc, input);
      return organizationView(org, await seatsUsed(svc));
    }),
  ),
});
