// Outbox rows are committed with the change; their 'mail.send' jobs are enqueued after commit
// (mail/notification-sweep.ts re-enqueues rows whose job was lost between commit and enqueue).
import type { EntityManager } from '@mikro-orm/core';
import { OutboxEmail } from '@repo/domain';
import type { Producer } from '@repo/jobs';

/** Flushes the unit of work and returns the ids of the outbox e-mails it created. */
export async function createdOutboxIds(em: EntityManager): Promise<string[]> {
  await em.flush(); // created entities enter the identity map on flush
  const meta = em.getMetadata().get<OutboxEmail>(OutboxEmail.meta.className);
  const store = em.getUnitOfWork().getIdentityMap().getStore<OutboxEmail>(meta);
  return [...store.values()].filter((e) => e.status === 'pending').map((e) => e.id);
}

export async function enqueueMail(producer: Producer, outboxIds: readonly string[]): Promise<void> {
  await Promise.all(outboxIds.map((outboxId) => producer.enqueue('mail.send', { v: 1, outboxId })));
}
