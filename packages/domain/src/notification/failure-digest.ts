// The 'failure.digest' job's domain side: one e-mail for everything collected during the window.
import { recordAudit } from '../audit/audit.service.js';
import { Organization } from '../organization/organization.entity.js';
import type { ServiceContext } from '../shared/context.js';
import { writeLock } from '../shared/locking.js';
import { notifyOpenFailures } from './failure-notification.js';

export interface FailureDigestResult {
  emails: 0 | 1;
  /** Enqueue 'mail.send' for it after commit. */
  outboxId: string | null;
}

/**
 * Queues ONE digest of the organization's open, not yet notified failures (listing up to 50 and
 * counting the rest per code) and marks them notified. Sends whenever there is something to send:
 * the job is scheduled at the end of the window, and a job that runs late must not strand failures.
 */
export async function buildFailureDigest(
  ctx: ServiceContext,
  now: Date = ctx.now ?? new Date(),
): Promise<FailureDigestResult> {
  // Same lock as the recorders: a failure is either in this digest or sees its e-mail afterwards.
  const org = await ctx.em.findOne(Organization, ctx.organizationId, writeLock(ctx.em));
  if (!org) return { emails: 0, outboxId: null }; // organization deleted meanwhile: nothing to tell
  const email = await notifyOpenFailures(ctx, org, 'digest', now);
  if (!email) return { emails: 0, outboxId: null };
  recordAudit(
    { ...ctx, now },
    { action: 'notifications.digest_queued', targetType: 'organization', targetId: org.id },
  );
  await ctx.em.flush();
  return { emails: 1, outboxId: email.id };
}
