import { writeJobId, type CommittedUser, type Producer } from '@repo/jobs';
import {
  renderUser,
  type ScimRequestContext,
  type ScimWriter,
  type StoredResource,
  type WriteRequest,
} from '@repo/scim-adapter';
import { executeOutcomeToWriteResult } from './outcome-to-scim.js';

/**
 * SCIM writes become 'scim.write' jobs whose outcome the request awaits. The job id covers
 * (organization, method, path, body, target version): a client's retry of the same request joins
 * the existing job, while a deliberate repeat after the resource changed is a new job.
 */
export function createScimWriter(producer: Producer): ScimWriter {
  return {
    async write(ctx: ScimRequestContext, req: WriteRequest) {
      const path = `/${req.resource === 'User' ? 'Users' : 'Groups'}${req.id ? `/${req.id}` : ''}`;
      const jobId = writeJobId({
        organizationId: ctx.organizationId,
        method: req.method,
        path,
        body: req.body ?? null,
        targetVersion: req.targetVersion,
      });
      const outcome = await producer.execute(
        'scim.write',
        {
          v: 1,
          organizationId: ctx.organizationId,
          requestId: ctx.requestId,
          resource: req.resource,
          method: req.method,
          ...(req.id ? { resourceId: req.id } : {}),
          ...(req.body === undefined ? {} : { body: req.body as never }),
          ...(req.ifMatch === undefined ? {} : { ifMatch: String(req.ifMatch) }),
        },
        { jobId, organizationId: ctx.organizationId },
      );
      const result = executeOutcomeToWriteResult(outcome);
      if (result.kind !== 'ok' || outcome.kind !== 'done' || !outcome.result.ok) return result;
      const { id, version, user } = outcome.result;
      if (!user || id === null || version === null) return result;
      return { ...result, stored: renderCommittedUser(ctx, id, version, user) };
    },
  };
}

/** The same rendering as the User reader's, from the worker's committed row instead of a read. */
export function renderCommittedUser(
  ctx: ScimRequestContext,
  id: string,
  version: number,
  user: CommittedUser,
): StoredResource {
  const resource = renderUser({
    id,
    groups: user.groups,
    document: user.document,
    active: user.active,
    created: new Date(user.created),
    lastModified: new Date(user.lastModified),
    version,
    location: `${ctx.baseUrl}/Users/${id}`,
  });
  return { resource, version };
}
