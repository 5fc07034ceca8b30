// Safety net for the outbox and the digests, run periodically by the worker (e.g. every minute).
// Enqueueing after commit can be lost (crash between commit and enqueue, Redis down, a digest
// re-add swallowed by deduplication while that digest job is still active): these queries find
// what is overdue so it can be enqueued again. Re-enqueueing is harmless: 'mail.send' is keyed
// by outbox id and skips sent rows; a digest with nothing un-notified sends nothing.
import type { EntityManager } from '@mikro-orm/core';
import { OutboxEmail } from '../outbox/outbox-email.entity.js';
import { execute } from '../shared/sql.js';
import { SyncFailure } from '../sync-failure/sync-failure.entity.js';

export interface OverdueNotifications {
  /** Pending outbox rows older than the grace period: enqueue 'mail.send' for each. */
  outboxIds: string[];
  /** Organizations whose digest should have run: enqueue 'failure.digest' for each. */
  digestOrganizationIds: string[];
}

export async function findOverdueNotifications(
  em: EntityManager,
  now: Date = new Date(),
  opts: { graceMs?: number; limit?: number } = {},
): Promise<OverdueNotifications> {
  const graceMs = opts.graceMs ?? 60_000;
  const limit = opts.limit ?? 500;
  const unsent = await em.find(
    OutboxEmail,
    { status: 'pending', createdAt: { $lt: new Date(now.getTime() - graceMs) } },
    { fields: ['id'], orderBy: { createdAt: 'asc' }, limit },
  );
  // Organizations with recipients and at least one un-notified open failure (few, normally none).
  const candidates = await execute(
    em,
    `select o.id, o.digest_window_minutes from organization o
     where cast(o.notification_recipients as text) <> '[]'
       and exists (select 1 from sync_failure s
                   where s.organization_id = o.id and s.status = 'open' and s.notified_at is null)
     limit ?`,
    [limit],
  );
  const digestOrganizationIds: string[] = [];
  for (const c of candidates) {
    const organizationId = String(c['id']);
    // A failure seen at t was promised a digest by t + window at the latest.
    const cutoff = new Date(now.getTime() - Number(c['digest_window_minutes']) * 60_000 - graceMs);
    const overdue = await em.count(SyncFailure, {
      organization: organizationId,
      status: 'open',
      notifiedAt: null,
      lastSeenAt: { $lt: cutoff },
    });
    if (overdue > 0) digestOrganizationIds.push(organizationId);
  }
  return { outboxIds: unsent.map((e) => e.id), digestOrganizationIds };
}
