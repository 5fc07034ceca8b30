// Sync failures: outcomes an admin must act on. Every function writes in the caller's transaction.
import { randomUUID } from 'node:crypto';
import { appliedJobRows, type AppliedJobInput } from '../applied-job/applied-job.service.js';
import { auditFromSelect, auditRows, type AuditInput } from '../audit/audit.service.js';
import { notFound } from '../errors.js';
import {
  digestDueAfter,
  lastNotificationAt,
  LISTED_FAILURE_COLUMNS,
  listedFailureOf,
  notifyOpenFailures,
  type ListedFailure,
} from '../notification/failure-notification.js';
import { lockSettings } from '../organization/organization.service.js';
import type { ServiceContext } from '../shared/context.js';
import { insertRows, insertSql, withInserts } from '../shared/insert-rows.js';
import { forUpdate, isPostgres } from '../shared/locking.js';
import { asDate, dateOrNull } from '../shared/row-values.js';
import { execute, executeDeferred, executeRun } from '../shared/sql.js';
import {
  failureFingerprint,
  normalizeFailureInput,
  type SyncFailureInput,
  type SyncFailureResourceType,
} from './sync-failure.rules.js';

export interface RecordedSyncFailure {
  failure: ListedFailure;
  /** True when this call created the record or reopened a resolved/dismissed one. */
  isNew: boolean;
  /** Immediate notification queued in this transaction: enqueue 'mail.send' for it after commit. */
  outboxId: string | null;
  /** Enqueue 'failure.digest' for the organization to run at this time (after commit), or nothing. */
  digestDue: Date | null;
}

/** The failure with this fingerprint, row-locked (PostgreSQL), and whether it is notified. */
async function lockFailure(
  ctx: ServiceContext,
  fingerprint: string,
): Promise<{ failure: ListedFailure; status: string; notified: boolean } | null> {
  const [row] = await execute(
    ctx.em,
    `select ${LISTED_FAILURE_COLUMNS}, status, notified_at from sync_failure
      where organization_id = ? and fingerprint = ?${forUpdate(ctx.em)}`,
    [ctx.organizationId, fingerprint],
  );
  if (!row) return null;
  return {
    failure: listedFailureOf(row),
    status: String(row['status']),
    notified: row['notified_at'] != null,
  };
}

/** Inserts unless the fingerprint exists (a concurrent recorder won): the new failure, or null. */
async function insertIfAbsent(
  ctx: ServiceContext,
  f: SyncFailureInput,
  fingerprint: string,
  now: Date,
): Promise<ListedFailure | null> {
  const failure: ListedFailure = {
    id: randomUUID(),
    resourceType: f.resourceType,
    operation: f.operation,
    target: f.target,
    code: f.code,
    message: f.message,
    occurrences: 1,
    lastSeenAt: now,
  };
  // ON CONFLICT DO NOTHING works on PostgreSQL and SQLite and never aborts the transaction.
  const inserted = await executeRun(
    ctx.em,
    `insert into sync_failure (id, organization_id, fingerprint, resource_type, operation, target, code,
       message, request, attempts, occurrences, status, first_seen_at, last_seen_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'open', ?, ?)
     on conflict (organization_id, fingerprint) do nothing`,
    [
      failure.id,
      ctx.organizationId,
      fingerprint,
      f.resourceType,
      f.operation,
      f.target,
      f.code,
      f.message,
      f.request === null ? null : JSON.stringify(f.request),
      f.attempts,
      now,
      now,
    ],
  );
  return inserted > 0 ? failure : null;
}

/** Counts a repeat; a resolved or dismissed failure reopens, to be notified again. */
async function countRepeat(
  ctx: ServiceContext,
  held: { failure: ListedFailure; status: string },
  f: SyncFailureInput,
  now: Date,
): Promise<ListedFailure> {
  const reopen = held.status !== 'open';
  await executeRun(
    ctx.em,
    `update sync_failure set occurrences = occurrences + 1, last_seen_at = ?, attempts = ?, message = ?,
       request = ?${reopen ? ", status = 'open', resolved_at = null, notified_at = null" : ''}
      where id = ?`,
    [now, f.attempts, f.message, f.request === null ? null : JSON.stringify(f.request), held.failure.id],
  );
  return { ...held.failure, occurrences: held.failure.occurrences + 1, lastSeenAt: now, message: f.message };
}

/** The failure inserted or counted again; isNew when inserted or reopened. */
async function upsertFailure(
  ctx: ServiceContext,
  f: SyncFailureInput,
  fingerprint: string,
  now: Date,
): Promise<{ failure: ListedFailure; isNew: boolean; notified: boolean }> {
  let held = await lockFailure(ctx, fingerprint);
  if (!held) {
    const created = await insertIfAbsent(ctx, f, fingerprint, now);
    if (created) return { failure: created, isNew: true, notified: false };
    // A concurrent recorder inserted it first: this one is a repeat.
    held = await lockFailure(ctx, fingerprint);
    if (!held) throw new Error('sync failure neither inserted nor found');
  }
  const reopened = held.status !== 'open';
  return {
    failure: await countRepeat(ctx, held, f, now),
    isNew: reopened,
    notified: !reopened && held.notified,
  };
}

/**
 * Records a failure (upsert by fingerprint) with an audit event, and decides its notification:
 * after a quiet window an e-mail is queued now; inside the window the caller schedules a digest.
 * Plain SQL, so a worker that records a failure never enters an AsyncLocalStorage
 * (failure-notification.ts says why).
 */
export async function recordSyncFailure(
  ctx: ServiceContext,
  input: SyncFailureInput,
  now: Date = ctx.now ?? new Date(),
): Promise<RecordedSyncFailure> {
  const f = normalizeFailureInput(input);
  const fingerprint = failureFingerprint(f);
  const org = await lockSettings(ctx);

  const { failure, isNew, notified } = await upsertFailure(ctx, f, fingerprint, now);
  await insertRows(ctx.em, [
    auditRows({ ...ctx, now }, [
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
    ]),
  ]);

  const result: RecordedSyncFailure = { failure, isNew, outboxId: null, digestDue: null };
  // Already notified (an open failure seen again) or nobody to tell: counting is enough.
  if (notified || org.notificationRecipients.length === 0) return result;
  const lastEmailAt = await lastNotificationAt(ctx.em, org, now);
  if (lastEmailAt) {
    result.digestDue = digestDueAfter(org, lastEmailAt);
    return result;
  }
  result.outboxId = await notifyOpenFailures(ctx, org, 'failure', now, failure);
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

/** A sync failure as the admin API shows it. */
export interface SyncFailureRow extends ListedFailure {
  status: 'open' | 'resolved' | 'dismissed';
  attempts: number;
  firstSeenAt: Date;
  resolvedAt: Date | null;
  notifiedAt: Date | null;
}

/** Admin action: resolve or dismiss one failure of the organization (plain SQL, as recording is). */
export async function setSyncFailureStatus(
  ctx: ServiceContext,
  id: string,
  status: 'resolved' | 'dismissed',
): Promise<SyncFailureRow> {
  const [row] = await execute(
    ctx.em,
    `select ${LISTED_FAILURE_COLUMNS}, status, attempts, first_seen_at, resolved_at, notified_at
       from sync_failure where id = ? and organization_id = ?${forUpdate(ctx.em)}`,
    [id, ctx.organizationId],
  );
  if (!row) throw notFound('Sync failure not found.', { id });
  const failure: SyncFailureRow = {
    ...listedFailureOf(row),
    status: row['status'] as SyncFailureRow['status'],
    attempts: Number(row['attempts']),
    firstSeenAt: asDate(row['first_seen_at']),
    resolvedAt: dateOrNull(row['resolved_at']),
    notifiedAt: dateOrNull(row['notified_at']),
  };
  if (failure.status === status) return failure;
  const resolvedAt = ctx.now ?? new Date();
  await withInserts(
    ctx.em,
    [
      auditRows(ctx, [
        { action: `sync_failure.${status}`, targetType: 'sync_failure', targetId: failure.id },
      ]),
    ],
    'update sync_failure set status = ?, resolved_at = ? where id = ?',
    [status, resolvedAt, failure.id],
  );
  return { ...failure, status, resolvedAt };
}
