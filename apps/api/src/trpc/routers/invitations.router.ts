import { hashSecret, Invitation, notFound } from '@repo/domain';
import { z } from 'zod';
import { applyAdminCommand } from '../admin-write.js';
import { adminProcedure, publicProcedure, router } from '../trpc.js';

const INVALID_LINK =
  'This invitation link is not valid. Ask an admin of the organization to resend the invitation.';

export const invitationsRouter = router({
  /** A new single-use link for an invited member; the previous link stops working. */
  resend: adminProcedure.input(z.object({ memberId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const applied = await applyAdminCommand(ctx, {
      organizationId: ctx.organizationId,
      actorId: ctx.principal.tokenId,
      command: { kind: 'invitation.resend', memberId: input.memberId },
    });
    return { memberId: input.memberId, invitationId: applied.id };
  }),

  /**
   * Public: the token from the invitation e-mail. Unknown, used, replaced or expired tokens get an
   * error that says which and what to do. Only the token's hash leaves this process.
   */
  accept: publicProcedure
    .input(z.object({ token: z.string().trim().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const tokenHash = hashSecret(input.token);
      // The queue is per organization, so find the invitation's organization first.
      const invitation = await ctx.em.findOne(Invitation, { tokenHash }, { populate: ['member'] });
      if (!invitation) throw notFound(INVALID_LINK);
      const organizationId = invitation.member.getEntity().organization.id;
      const applied = await applyAdminCommand(ctx, {
        organizationId,
        actorId: 'invitee',
        command: { kind: 'invitation.accept', tokenHash },
        // A double submit joins the first attempt and gets its outcome.
        idempotencyKey: 'accept',
      });
      return { memberId: applied.id, organizationId, status: 'accepted' as const };
    }),
});
