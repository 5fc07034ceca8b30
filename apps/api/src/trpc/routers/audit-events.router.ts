import { AuditEvent } from '@repo/domain';
import { z } from 'zod';
import { Cursor, decodeId, encodeId, PageSize, toPage } from '../pagination.js';
import { readerProcedure, router } from '../trpc.js';
import { auditEventView } from '../views.js';
import { Since } from './sync-failures.schema.js';

const AuditEventListInput = z.object({
  /** Exact action, e.g. member.revoked */
  action: z.string().trim().min(1).max(60).optional(),
  /** The changed object's id (member, group, token, failure or organization). */
  targetId: z.string().trim().min(1).max(64).optional(),
  targetType: z
    .enum(['member', 'group', 'organization', 'invitation', 'admin_token', 'sync_failure'])
    .optional(),
  actor: z.enum(['scim', 'admin', 'system']).optional(),
  since: Since.optional(),
  limit: PageSize,
  cursor: Cursor.optional(),
});

export const auditEventsRouter = router({
  /** Newest first, keyset-paginated on id. */
  list: readerProcedure.input(AuditEventListInput).query(async ({ ctx, input }) => {
    const rows = await ctx.em.find(
      AuditEvent,
      {
        organization: ctx.organizationId,
        ...(input.action ? { action: input.action } : {}),
        ...(input.targetId ? { targetId: input.targetId } : {}),
        ...(input.targetType ? { targetType: input.targetType } : {}),
        ...(input.actor ? { actor: input.actor } : {}),
        ...(input.since ? { createdAt: { $gte: input.since } } : {}),
        ...(input.cursor ? { id: { $lt: decodeId(input.cursor) } } : {}),
      },
      { orderBy: { id: 'desc' }, limit: input.limit + 1 },
    );
    return toPage(rows, input.limit, (e) => encodeId(e.id), auditEventView);
  }),
});
