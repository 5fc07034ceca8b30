import { adviceFor, notFound, setSyncFailureStatus, SyncFailure } from '@repo/domain';
import { executeAdminCommand } from '../admin-write.js';
import type { OrganizationContext } from '../context.js';
import { decodePosition, encodePosition, toPage } from '../pagination.js';
import { inTransaction } from '../transaction.js';
import { adminProcedure, readerProcedure, router } from '../trpc.js';
import { syncFailureView } from '../views.js';
import { SyncFailureIdInput, SyncFailureListInput } from './sync-failures.schema.js';

async function loadFailure(ctx: OrganizationContext, failureId: string, fresh = false): Promise<SyncFailure> {
  const em = fresh ? ctx.em.fork() : ctx.em;
  const failure = await em.findOne(SyncFailure, { id: failureId, organization: ctx.organizationId });
  if (!failure) throw notFound('Sync failure not found.', { failureId });
  return failure;
}

const setStatus = (status: 'resolved' | 'dismissed') =>
  adminProcedure
    .input(SyncFailureIdInput)
    .mutation(({ ctx, input }) =>
      inTransaction(ctx, async (svc) =>
        syncFailureView(await setSyncFailureStatus(svc, input.failureId, status)),
      ),
    );

export const syncFailuresRouter = router({
  /** Most recently seen first, keyset-paginated on (lastSeenAt, id). */
  list: readerProcedure.input(SyncFailureListInput).query(async ({ ctx, input }) => {
    const before = input.cursor ? decodePosition(input.cursor) : null;
    const rows = await ctx.em.find(
      SyncFailure,
      {
        organization: ctx.organizationId,
        ...(input.status ? { status: input.status } : {}),
        ...(input.code ? { code: input.code } : {}),
        ...(input.since ? { lastSeenAt: { $gte: input.since } } : {}),
        ...(before
          ? { $or: [{ lastSeenAt: { $lt: before.at } }, { lastSeenAt: before.at, id: { $lt: before.id } }] }
          : {}),
      },
      { orderBy: { lastSeenAt: 'desc', id: 'desc' }, limit: input.limit + 1 },
    );
    return toPage(rows, input.limit, (f) => encodePosition({ at: f.lastSeenAt, id: f.id }), syncFailureView);
  }),

  /** One failure with the request that failed (secrets removed) and what to do about it. */
  get: readerProcedure.input(SyncFailureIdInput).query(async ({ ctx, input }) => {
    const failure = await loadFailure(ctx, input.failureId);
    return { ...syncFailureView(failure), request: failure.request ?? null, advice: adviceFor(failure.code) };
  }),

  resolve: setStatus('resolved'),
  dismiss: setStatus('dismissed'),

  /**
   * Re-applies the failed request through the queue, under the same rules as SCIM, and returns its
   * outcome (a refusal is an outcome here, not an error) with the failure as it is now.
   */
  retry: adminProcedure.input(SyncFailureIdInput).mutation(async ({ ctx, input }) => {
    await loadFailure(ctx, input.failureId);
    const result = await executeAdminCommand(ctx, {
      organizationId: ctx.organizationId,
      actorId: ctx.principal.tokenId,
      command: { kind: 'syncFailure.retry', failureId: input.failureId },
    });
    const outcome = result.ok
      ? { ok: true as const, resourceType: result.resourceType, id: result.id }
      : {
          ok: false as const,
          code:
            result.error.source === 'domain'
              ? result.error.code
              : (result.error.scimType ?? `http_${result.error.status}`),
          message: result.error.source === 'domain' ? result.error.message : result.error.detail,
        };
    return { outcome, failure: syncFailureView(await loadFailure(ctx, input.failureId, true)) };
  }),
});
