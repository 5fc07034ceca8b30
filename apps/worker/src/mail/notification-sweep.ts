// Periodic safety net (run every 30–60 s): re-enqueues outbox rows still pending and failure
// digests that are overdue (a crash between commit and enqueue, or a digest re-add swallowed by
// deduplication while that digest job was still running). Both re-enqueues are idempotent.
import { findOverdueNotifications } from '@repo/domain';
import type { Producer } from '@repo/jobs';
import type { Orm } from './orm-types.js';

export async function runNotificationSweep(
  orm: Orm,
  producer: Pick<Producer, 'enqueue'>,
  opts: { graceMs?: number; now?: Date } = {},
): Promise<{ mails: number; digests: number }> {
  const due = await findOverdueNotifications(orm.em.fork(), opts.now ?? new Date(), {
    graceMs: opts.graceMs ?? 60_000,
  });
  for (const outboxId of due.outboxIds) await producer.enqueue('mail.send', { v: 1, outboxId });
  // One sweep digest per organization and minute, however many sweepers run.
  const minute = Math.floor((opts.now ?? new Date()).getTime() / 60_000);
  for (const organizationId of due.digestOrganizationIds)
    await producer.enqueue(
      'failure.digest',
      { v: 1, organizationId },
      { jobId: `digest-${organizationId}-sweep-${minute}` },
    );
  return { mails: due.outboxIds.length, digests: due.digestOrganizationIds.length };
}
