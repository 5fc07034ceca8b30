import { AdminRole, AdminToken, createAdminToken, plainTransaction, revokeAdminToken } from '@repo/domain';
import { z } from 'zod';
import { createdAfter, Cursor, decodePosition, encodePosition, PageSize, toPage } from '../pagination.js';
import { adminProcedure, readerProcedure, router } from '../trpc.js';
import { adminTokenView } from '../views.js';

// Tokens are always created for the organization named in the input, which the scope middleware
// has already checked: a token scoped to one organization can only mint tokens for it, and
// all-organization tokens are made with the CLI only.
export const tokensRouter = router({
  /** The organization's tokens (never their secrets), oldest first. */
  list: readerProcedure
    .input(
      z.object({ includeRevoked: z.boolean().default(false), limit: PageSize, cursor: Cursor.optional() }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.em.find(
        AdminToken,
        {
          organization: ctx.organizationId,
          ...(input.includeRevoked ? {} : { revokedAt: null }),
          ...(input.cursor ? createdAfter(decodePosition(input.cursor)) : {}),
        },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: input.limit + 1 },
      );
      return toPage(rows, input.limit, (t) => encodePosition({ at: t.createdAt, id: t.id }), adminTokenView);
    }),

  /** The plaintext token is in this answer only; it is stored hashed. */
  create: adminProcedure
    .input(z.object({ role: z.enum(AdminRole), name: z.string().trim().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const { token, id } = await plainTransaction(ctx.em, (em) =>
        createAdminToken(em, {
          organizationId: ctx.organizationId,
          role: input.role,
          name: input.name,
          createdBy: ctx.principal.tokenId,
        }),
      );
      return { id, token, role: input.role, name: input.name, organizationId: ctx.organizationId };
    }),

  /** Revoked tokens stop authenticating at once. */
  revoke: adminProcedure.input(z.object({ tokenId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const row = await plainTransaction(ctx.em, (em) =>
      revokeAdminToken(em, input.tokenId, ctx.organizationId, ctx.principal.tokenId),
    );
    return adminTokenView(row);
  }),
});
