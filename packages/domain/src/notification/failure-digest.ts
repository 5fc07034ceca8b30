// The 'failure.digest' job's domain side: one e-mail for everything collected during the window.
import { auditRows } from '../audit/audit.service.js';
import type { ServiceContext } from '../shared/context.js';
import { insertRows } from '../shared/insert-rows.js';
import { lockOrganizationSettings } from '../organization/organization.service.js';
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
 * Plain SQL, like failure recording (failure-notification.ts says why).
 */
export async function buildFailureDigest(
  ctx: ServiceContext,
  now: Date = ctx.now ?? new Date(),
): Promise<FailureDigestResult> {
  // Same lock as the recorders: a failure is either in this digest or sees its e-mail afterwards.
  const org = await lockOrganizationSettings(ctx);
  if (!org) return { emails: 0, outboxId: null }; // organization deleted meanwhile: nothing to tell
  const outboxId = await notifyOpenFailures(ctx, org, 'digest', now);
  if (!outboxId) return { emails: 0, outboxId: null };
  await insertRows(ctx.em, [
    auditRows({ ...ctx, now }, [
      { action: 'notifications.digest_queued', targetType: 'organization', targetId: org.id },
    ]),
  ]);
  return { emails: 1, outboxId };
}
