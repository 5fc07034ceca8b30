// Outbox rows are committed with the change; their 'mail.send' jobs are enqueued after commit
// (mail/notification-sweep.ts re-enqueues rows whose job was lost between commit and enqueue).
import type { Producer } from '@repo/jobs';

/**
 * Hands the committed e-mails to the mail queue without holding up the job's answer (a SCIM
 * client waits for it): a hand-off lost to a Redis error or a crash is the sweep's to redo.
 */
export function dispatchMail(producer: Pick<Producer, 'enqueue'>, outboxIds: readonly string[]): void {
  for (const outboxId of outboxIds) {
    producer.enqueue('mail.send', { v: 1, outboxId }).catch(() => undefined);
  }
}
