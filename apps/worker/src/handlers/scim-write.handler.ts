import type { MikroORM } from '@mikro-orm/core';
import {
  createdOutboxIds,
  executeSql,
  plainTransaction,
  recordSyncFailure,
  resolveSyncFailures,
  type MemberServiceSettings,
  type ServiceContext,
} from '@repo/domain';
import {
  TransientError,
  type JobContext,
  type Producer,
  type ScimWriteData,
  type WriteOutcome,
} from '@repo/jobs';
import { applyScimWrite } from '../provisioning/apply-scim-write.js';
import { appliedJobRecord, committedOutcome } from '../provisioning/applied-jobs.js';
import { dispatchMail } from '../provisioning/outbox-dispatch.js';
import { redact, rejectionOf } from '../provisioning/outcome.js';
import { isTransient } from './transient.js';

export interface ProvisioningDeps {
  orm: MikroORM;
  producer: Pick<Producer, 'enqueue'>;
  settings: MemberServiceSettings;
}

/**
 * One job, one transaction: the change, its audit event and e-mails commit together. SCIM writes
 * are plain SQL throughout, so the transaction is one too (no unit of work: see plainTransaction).
 */
export function createScimWriteHandler(deps: ProvisioningDeps) {
  return async (data: ScimWriteData, job: JobContext): Promise<WriteOutcome> => {
    // A re-run of a job whose change already committed (its worker died before completing it).
    const committed = job.firstRun ? null : await committedOutcome(deps.orm, job);
    if (committed) return committed;
    try {
      const { outcome, outboxIds } = await plainTransaction(deps.orm.em, async (tx) => {
        const ctx = serviceContext(tx, data);
        const applied = await applyScimWrite(ctx, data, deps.settings);
        await resolveSyncFailures(
          ctx,
          { resourceType: applied.target.resourceType, target: applied.target.name },
          appliedJobRecord(job, data.organizationId, applied.outcome),
        );
        return { outcome: applied.outcome, outboxIds: createdOutboxIds(tx) };
      });
      // After the job's completion is on its way: the hand-off's Redis work would delay the answer.
      setImmediate(() => dispatchMail(deps.producer, outboxIds));
      return outcome;
    } catch (e) {
      // A concurrent run of the same job (its lock lapsed) committed first: this run's conflict
      // is that run's success, not a failure.
      const raced = await committedOutcome(deps.orm, job).catch(() => null);
      if (raced) return raced;
      return failureOutcome(deps, data, job, e);
    }
  };
}

const serviceContext = (em: ServiceContext['em'], data: ScimWriteData): ServiceContext => ({
  em,
  organizationId: data.organizationId,
  actor: 'scim',
  requestId: data.requestId,
});

/** The same target string a later success resolves with: the resource's current name. */
async function targetOf(em: ServiceContext['em'], data: ScimWriteData): Promise<string> {
  if (data.resourceId) {
    const [row] = await executeSql(
      em,
      data.resource === 'User'
        ? 'select user_name as name from member where id = ? and organization_id = ?'
        : 'select display_name as name from member_group where id = ? and organization_id = ?',
      [data.resourceId, data.organizationId],
    );
    if (typeof row?.['name'] === 'string') return row['name'];
  }
  const body = (data.body ?? {}) as Record<string, unknown>;
  const name = body['userName'] ?? body['displayName'];
  return typeof name === 'string' ? name : (data.resourceId ?? '(unknown)');
}

/**
 * Domain and protocol rejections are final: recorded as sync failures and returned as results.
 * Transient errors are retried; anything else is retried too and recorded once attempts run out.
 */
export async function failureOutcome(
  deps: ProvisioningDeps,
  data: ScimWriteData,
  job: JobContext,
  e: unknown,
): Promise<WriteOutcome> {
  const rejection = rejectionOf(e);
  if (!rejection && !job.isFinalAttempt) {
    throw isTransient(e) ? new TransientError(String((e as Error).message)) : e;
  }
  const code = rejection?.code ?? 'retries_exhausted';
  const message =
    rejection?.message ??
    `The change could not be applied after ${job.attempt} attempts (${(e as Error).message ?? 'unknown error'}).`;
  // Plain SQL like the write itself: the unit of work would turn Node 20's promise hook on for good.
  const recorded = await plainTransaction(deps.orm.em, async (tx) => {
    const result = await recordSyncFailure(serviceContext(tx, data), {
      resourceType: data.resource,
      operation: data.method.toLowerCase(),
      target: await targetOf(tx, data),
      code,
      message,
      request: redact({ method: data.method, resourceId: data.resourceId, body: data.body }) as Record<
        string,
        unknown
      >,
      attempts: job.attempt,
    });
    return { result, outboxIds: createdOutboxIds(tx) };
  });
  dispatchMail(deps.producer, recorded.outboxIds);
  if (recorded.result.digestDue) {
    const delayMs = Math.max(0, recorded.result.digestDue.getTime() - Date.now());
    const jobId = `digest-${data.organizationId}-${recorded.result.digestDue.getTime()}`;
    await deps.producer
      .enqueue('failure.digest', { v: 1, organizationId: data.organizationId }, { delayMs, jobId })
      .catch(() => undefined); // the notification sweep picks up overdue digests
  }
  return {
    ok: false,
    error: rejection?.error ?? { source: 'protocol', status: 500, detail: message },
  };
}
