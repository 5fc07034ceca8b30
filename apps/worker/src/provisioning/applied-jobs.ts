// Exactly-once application of provisioning jobs across worker crashes. BullMQ delivers a job at
// least once: a worker killed after its transaction committed but before it reported completion
// leaves the job active, and the stalled check runs it again. The run records its outcome in the
// same transaction as the change (applied_job); a later run of the same job finds it and answers
// with it instead of applying the change again (a second POST would otherwise answer 409 and be
// recorded as a sync failure).
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { findAppliedJob, recordAppliedJob } from '@repo/domain';
import { WriteOutcome, type JobContext } from '@repo/jobs';

const runKey = (job: JobContext) => `${job.jobId}@${job.enqueuedAt}`;

/** The outcome an earlier run of this job committed, or null. */
export async function committedOutcome(orm: MikroORM, job: JobContext): Promise<WriteOutcome | null> {
  const stored = await findAppliedJob(orm.em.fork(), runKey(job));
  if (!stored) return null;
  const parsed = WriteOutcome.safeParse(stored);
  if (!parsed.success) return null;
  job.log({ attempt: job.attempt }, 'job already applied; answering its committed outcome');
  return parsed.data;
}

/** Call inside the job's transaction, with the outcome it is about to commit. */
export function recordCommittedOutcome(
  tx: EntityManager,
  job: JobContext,
  organizationId: string,
  outcome: WriteOutcome,
): Promise<void> {
  return recordAppliedJob(tx, { runKey: runKey(job), organizationId, outcome });
}
