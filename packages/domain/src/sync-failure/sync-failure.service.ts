// Sync failures: outcomes an admin must act on. Every function writes in the caller's transaction.
import { randomUUID } from 'node:crypto';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { appliedJobRows, type AppliedJobInput } from '../applied-job/applied-job.service.js';
import { auditFromSelect, auditRows, recordAudit, type AuditInput } from '../audit/audit.service.js';
import { notFound } from '../errors.js';
import {
  digestDueAfter,
  lastNotificationAt,
  notifyOpenFailures,
} from '../notification/failure-notification.js';
import { Organization } from '../organization/organization.entity.js';
import type { ServiceContext } from '../shared/context.js';
import { insertRows, insertSql, withInserts } from '../shared/insert-rows.js';
import { isPostgres, writeLock } from '../shared/locking.js';
import { executeDeferred } from '../shared/sql.js';
import { SyncFailure } from './sync-failure.entity.js';
import {
  failureFingerprint,
  normalizeFailureInput,
  type SyncFailureInput,
  type SyncFailureResourceType,
} from './sync-failure.rules.js';

export interface RecordedSyncFailure {
  failure: SyncFailure;
  /** True when this call created the record or reopened a resolved/dismissed one. */
  isNew: boolean;
  /** Immediate notification queued in this transaction: enqueue 'mail.send' for it after commit. */
  outboxId: string | null;
  /** Enqueue 'failure.digest' for the organization to run at this time (after commit), or nothing. */
  digestDue: Date | null;
}

async function lockOrganization(ctx: ServiceContext): Promise<Organization> {
  // The org row lock serialises the notification decision of concurrent recorders (PostgreSQL).
  const org = await ctx.em.findOne(Organization, ctx.organizationId, writeLock(ctx.em));
  if (!org) throw notFound('Organization not found.');
  return org;
}

/** Inserts unless the fingerprint exists (a concurrent recorder won): true when inserted. */
async function insertIfAbsent(
  ctx: ServiceContext,
  f: SyncFailureInput,
  fingerprint: string,
  now: Date,
): Promise<boolean> {
  const em = ctx.em as unknown as SqlEntityManager;
  // ON CONFLICT DO NOTHING works on PostgreSQL and SQLite and never aborts the transaction.
  const res = await em
    .createQueryBuilder(SyncFailure)
    .insert({
      id: randomUUID(),
      organization: ctx.organizationId,
      fingerprint,
      resourceType: f.resourceType,
      operation: f.operation,
      target: f.target,
      code: f.code,
      message: f.message,
      request: f.request,
      attempts: f.attempts,
      occurrences: 1,
      status: 'open',
      firstSeenAt: now,
      lastSeenAt: now,
    })
    .onConflict(['organization', 'fingerprint'])
    .ignore()
    .execute<{ affectedRows: number }>('run');
  return res.affectedRows > 0;
}

/** Counts a repeat; a resolved or dismissed failure reopens (and is notified again). */
function countRepeat(failure: SyncFailure, f: SyncFailureInput, now: Date): boolean {
  failure.occurrences += 1;
  failure.lastSeenAt = now;
  failure.attempts = f.attempts;
  failure.message = f.message;
  failure.request = f.request;
  if (failure.status === 'open') return false;
  failure.status = 'open';
  failure.resolvedAt = null;
  failure.notifiedAt = null;
  return true;
}

/**
 * Records a failure (upsert by fingerprint) with an audit event, and decides its notification:
 * after a quiet window an e-mail is queued now; inside the window the caller schedules a digest.
 */
export async function recordSyncFailure(
  ctx: ServiceContext,
  input: SyncFailureInput,
  now: Date = ctx.now ?? new Date(),
): Promise<RecordedSyncFailure> {
  const { em } = ctx;
  const f = normalizeFailureInput(input);
  const fingerprint = failureFingerprint(f);
  const org = await lockOrganization(ctx);
  const key = { organization: ctx.organizationId, fingerprint };

  let failure = await em.findOne(SyncFailure, key, writeLock(em));
  let isNew: boolean;
  if (failure) {
    isNew = countRepeat(failure, f, now);
  } else {
    const inserted = await insertIfAbsent(ctx, f, fingerprint, now);
    failure = await em.findOneOrFail(SyncFailure, key, writeLock(em));
    isNew = inserted || countRepeat(failure, f, now);
  }
  recordAudit(
    { ...ctx, now },
    {
      action: `${f.resourceType.toLowerCase()}.${f.operation}`.slice(0, 60),
      outcome: 'failure',
      targetType: 'sync_failure',
      targetId: failure.id,
      data: {
        code: f.code,
        target: f.target,
        message: f.message,
        occurrences: failure.occurrences,
        attempts: f.attempts,
      },
    },
  );
  await em.flush();

  const result: RecordedSyncFailure = { failure, isNew, outboxId: null, digestDue: null };
  // Already notified (an open failure seen again) or nobody to tell: counting is enough.
  if (failure.notifiedAt !== null || org.notificationRecipients.length === 0) return result;
  const lastEmailAt = await lastNotificationAt(em, org, now);
  if (lastEmailAt) {
    result.digestDue = digestDueAfter(org, lastEmailAt);
    return result;
  }
  const email = await notifyOpenFailures(ctx, org, 'failure', now, failure);
  result.outboxId = email?.id ?? null;
  return result;
}

/**
 * Resolves the open failures of a target after a successful write, with an audit event when any
 * were; a provisioning job records its outcome (applied_job) here too. Nothing is read back: on
 * PostgreSQL it is one statement, deferred to the transaction's COMMIT under plainTransaction.
 */
export async function resolveSyncFailures(
  ctx: ServiceContext,
  input: { resourceType: SyncFailureResourceType; target: string },
  appliedJob?: AppliedJobInput,
): Promise<void> {
  const now = ctx.now ?? new Date();
  // Every successful write runs this: plain SQL rather than the query builder (most find nothing).
  const update = `update sync_failure set status = 'resolved', resolved_at = ?
      where organization_id = ? and resource_type = ? and target = ? and status = 'open'`;
  const params = [now, ctx.organizationId, input.resourceType, input.target];
  const applied = appliedJob ? [appliedJobRows(appliedJob)] : [];
  const event: AuditInput = {
    action: 'sync_failure.auto_resolved',
    targetType: 'sync_failure',
    targetId: null,
    data: { resourceType: input.resourceType, target: input.target, resolved: 0 },
  };
  if (isPostgres(ctx.em)) {
    // The event's count is known only once the update ran: set from it.
    const audit = auditFromSelect(
      ctx,
      event,
      { key: 'resolved', value: 'count(*)' },
      'resolved having count(*) > 0',
    );
    const inserts = applied.map((t, i) => `w${i} as (${insertSql(t)}), `).join('');
    await executeDeferred(ctx.em, `with ${inserts}resolved as (${update} returning 1) ${audit.sql}`, [
      ...applied.flatMap((t) => t.rows.flat()),
      ...params,
      ...audit.params,
    ]);
    return;
  }
  // SQLite: no data-modifying CTEs; the same writes one statement each.
  const resolved = (await withInserts(ctx.em, applied, `${update} returning 1`, params)).length;
  if (resolved > 0) {
    await insertRows(ctx.em, [auditRows(ctx, [{ ...event, data: { ...event.data, resolved } }])]);
  }
}

/** Admin action: resolve or dismiss one failure of the organization. */
export async function setSyncFailureStatus(
  ctx: ServiceContext,
  id: string,
  status: 'resolved' | 'dismissed',
): Promise<SyncFailure> {
  const failure = await ctx.em.findOne(
    SyncFailure,
    { id, organization: ctx.organizationId },
    writeLock(ctx.em),
  );
  if (!failure) throw notFound('Sync failure not found.', { id });
  if (failure.status !== status) {
    failure.status = status;
    failure.resolvedAt = ctx.now ?? new Date();
    recordAudit(ctx, { action: `sync_failure.${status}`, targetType: 'sync_failure', targetId: failure.id });
    await ctx.em.flush();
  }
  return failure;
}
