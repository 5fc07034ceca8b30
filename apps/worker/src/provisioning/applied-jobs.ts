// Exactly-once application of provisioning jobs across worker crashes. BullMQ delivers a job at
// least once: a worker killed after its transaction committed but before it reported completion
// leaves the job active, and the stalled check runs it again. The run records its outcome in the
// same transaction as the change (applied_job); a later run of the same job finds it and answers
// with it instead of applying the change again (a second POST would otherwise answer 409 and be
// recorded as a sync failure).
import type { MikroORM } from '@mikro-orm/core';
import { findAppliedJob, type AppliedJobInput } from '@repo/domain';
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

/**
 * The row that records this run's outcome; commit it in the job's transaction, with the change.
 * Without the committed User (a re-run's answer reads it back): it would double the row's size.
 */
export function appliedJobRecord(
  job: JobContext,
  organizationId: string,
  outcome: WriteOutcome,
): AppliedJobInput {
  const recorded: Record<string, unknown> = { ...outcome };
  delete recorded['user'];
  return { runKey: runKey(job), organizationId, outcome: recorded };
}
