import type { EntityManager } from '@mikro-orm/core';
import { insertRows, type TableRows } from '../shared/insert-rows.js';
import { AppliedJob } from './applied-job.entity.js';

/** The outcome recorded by an earlier run of this job, or null when none committed. */
export async function findAppliedJob(
  em: EntityManager,
  runKey: string,
): Promise<Record<string, unknown> | null> {
  const row = await em.findOne(AppliedJob, { runKey }, { fields: ['outcome'] });
  return row?.outcome ?? null;
}

export interface AppliedJobInput {
  runKey: string;
  organizationId: string;
  outcome: Record<string, unknown>;
}

/** The row, for a caller that writes it with a statement of its own (resolveSyncFailures). */
export const appliedJobRows = (input: AppliedJobInput): TableRows => ({
  table: 'applied_job',
  columns: ['run_key', 'organization_id', 'outcome', 'created_at'],
  rows: [[input.runKey, input.organizationId, JSON.stringify(input.outcome), new Date()]],
});

/** Recorded in the job's own transaction, so it commits exactly when the change does. */
export async function recordAppliedJob(em: EntityManager, input: AppliedJobInput): Promise<void> {
  // Every job writes one: plain SQL rather than the unit of work.
  await insertRows(em, [appliedJobRows(input)]);
}

/** Deletes rows older than `before` (a job is never re-run after a day). Returns the count. */
export async function pruneAppliedJobs(em: EntityManager, before: Date): Promise<number> {
  return em.nativeDelete(AppliedJob, { createdAt: { $lt: before } });
}
