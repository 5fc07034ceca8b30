import { Organization, rotateScimKey, setScimEnabled } from '@repo/domain';
import type { OrganizationContext } from '../context.js';
import { inTransaction } from '../transaction.js';
import { adminProcedure, readerProcedure, router } from '../trpc.js';

const scimUrl = (ctx: OrganizationContext): string =>
  `${ctx.config.http.publicUrl}/scim/v2/${ctx.organizationId}`;

/** The IdP seen on the last SCIM request (user agent or Entra's headers), as the console names it. */
const IDP_NAMES: Record<string, string> = {
  entra: 'Microsoft Entra ID',
  okta: 'Okta',
  unknown: 'Unknown client',
};

export const scimRouter = router({
  status: readerProcedure.query(async ({ ctx }) => {
    const org = await ctx.em.findOneOrFail(Organization, ctx.organizationId);
    const client = org.lastScimClient ?? null;
    return {
      enabled: org.scimEnabled,
      scimUrl: scimUrl(ctx),
      keyRotatedAt: org.scimKeyRotatedAt?.toISOString() ?? null,
      lastRequestAt: org.lastScimRequestAt?.toISOString() ?? null,
      detectedIdp: client === null ? null : { id: client, name: IDP_NAMES[client] ?? client },
    };
  }),

  enable: adminProcedure.mutation(({ ctx }) =>
    inTransaction(ctx, async (svc) => ({ enabled: (await setScimEnabled(svc, true)).scimEnabled })),
  ),

  disable: adminProcedure.mutation(async ({ ctx }) => {
    const result = await inTransaction(ctx, async (svc) => ({
      enabled: (await setScimEnabled(svc, false)).scimEnabled,
    }));
    ctx.scimKeys.forget(ctx.organizationId);
    return result;
  }),

  /** A new key; the old one stops working at once. The plaintext is returned here only. */
  rotateKey: adminProcedure.mutation(async ({ ctx }) => {
    const result = await inTransaction(ctx, async (svc) => {
      const { scimApiKey, rotatedAt } = await rotateScimKey(svc);
      return { scimApiKey, scimUrl: scimUrl(ctx), rotatedAt: rotatedAt.toISOString() };
    });
    ctx.scimKeys.forget(ctx.organizationId);
    return result;
  }),
});
