import {
  createdOutboxIds,
  SyncFailure,
  acceptInvitation,
  addMembers,
  confirmMember,
  notFound,
  plainTransaction,
  recordAppliedJob,
  removeMember,
  removeMembers,
  resendInvitation,
  restoreMember,
  revokeMember,
  setExternalId,
  type ServiceContext,
} from '@repo/domain';
import { ScimWriteData, type AdminWriteData, type JobContext, type WriteOutcome } from '@repo/jobs';
import { appliedJobRecord, committedOutcome } from '../provisioning/applied-jobs.js';
import { dispatchMail } from '../provisioning/outbox-dispatch.js';
import { rejectionOf } from '../provisioning/outcome.js';
import { createScimWriteHandler, type ProvisioningDeps } from './scim-write.handler.js';
import { isTransient } from './transient.js';
import { TransientError } from '@repo/jobs';

type Ok = WriteOutcome & { ok: true };
const ok = (resourceType: Ok['resourceType'], id: string | null, version: number | null = null): Ok => ({
  ok: true,
  status: 200,
  resourceType,
  id,
  version,
});

/** Admin console mutations: the same write path (queue → worker → domain) as SCIM. */
export function createAdminWriteHandler(deps: ProvisioningDeps) {
  const scimWrite = createScimWriteHandler(deps);
  return async (data: AdminWriteData, job: JobContext): Promise<WriteOutcome> => {
    const command = data.command;
    if (command.kind === 'syncFailure.retry')
      return retryFailure(deps, data, command.failureId, scimWrite, job);
    // Exactly once across worker crashes, as for SCIM writes (see applied-jobs.ts).
    const committed = job.firstRun ? null : await committedOutcome(deps.orm, job);
    if (committed) return committed;
    try {
      const { outcome, outboxIds } = await plainTransaction(deps.orm.em, async (tx) => {
        const ctx: ServiceContext = {
          em: tx,
          organizationId: data.organizationId,
          actor: 'admin',
          actorId: data.actor.tokenId,
          requestId: data.requestId,
        };
        const outcome = await applyCommand(ctx, data, deps);
        await recordAppliedJob(tx, appliedJobRecord(job, data.organizationId, outcome));
        return { outcome, outboxIds: createdOutboxIds(tx) };
      });
      dispatchMail(deps.producer, outboxIds);
      return outcome;
    } catch (e) {
      const raced = await committedOutcome(deps.orm, job).catch(() => null);
      if (raced) return raced;
      const rejection = rejectionOf(e);
      if (rejection) return { ok: false, error: rejection.error };
      if (isTransient(e) && !job.isFinalAttempt) throw new TransientError((e as Error).message);
      throw e;
    }
  };
}

async function applyCommand(
  ctx: ServiceContext,
  data: AdminWriteData,
  deps: ProvisioningDeps,
): Promise<WriteOutcome> {
  const c = data.command;
  switch (c.kind) {
    case 'member.revoke': {
      const m = await revokeMember(ctx, c.memberId);
      return ok('Member', m.id, m.version);
    }
    case 'member.restore': {
      const m = await restoreMember(ctx, c.memberId);
      return ok('Member', m.id, m.version);
    }
    case 'member.remove':
      await removeMember(ctx, c.memberId);
      return ok('Member', c.memberId);
    case 'member.confirm': {
      const m = await confirmMember(ctx, c.memberId);
      return ok('Member', m.id, m.version);
    }
    case 'member.setExternalId': {
      const m = await setExternalId(ctx, c.memberId, c.externalId);
      return ok('Member', m.id, m.version);
    }
    case 'invitation.resend': {
      const r = await resendInvitation(ctx, c.memberId, deps.settings);
      return ok('Invitation', r.invitationId);
    }
    case 'invitation.accept': {
      const r = await acceptInvitation(ctx, c.tokenHash);
      return ok('Member', r.memberId);
    }
    case 'group.addMembers': {
      const r = await addMembers(ctx, c.groupId, c.memberIds);
      return ok('Group', r.group.id, r.group.version);
    }
    case 'group.removeMembers': {
      const r = await removeMembers(ctx, c.groupId, c.memberIds);
      return ok('Group', r.group.id, r.group.version);
    }
    case 'syncFailure.retry':
      throw new Error('handled before the transaction');
  }
}

/** Re-applies the stored request of a sync failure and returns its outcome. */
async function retryFailure(
  deps: ProvisioningDeps,
  data: AdminWriteData,
  failureId: string,
  scimWrite: ReturnType<typeof createScimWriteHandler>,
  job: JobContext,
): Promise<WriteOutcome> {
  const failure = await deps.orm.em
    .fork()
    .findOne(SyncFailure, { id: failureId, organization: data.organizationId });
  if (!failure) return { ok: false, error: rejectionOf(notFound('Sync failure not found.'))!.error };
  const stored = failure.request ?? {};
  const replay = ScimWriteData.safeParse({
    v: 1,
    organizationId: data.organizationId,
    requestId: data.requestId,
    resource: failure.resourceType,
    method: stored['method'],
    resourceId: stored['resourceId'],
    body: stored['body'],
  });
  if (!replay.success) {
    return {
      ok: false,
      error: {
        source: 'domain',
        code: 'invalid_value',
        message: 'This failure has no request that can be retried.',
      },
    };
  }
  return scimWrite(replay.data, job);
}
