// Which failures go into which e-mail. At most one failure e-mail per organization and digest
// window: the first un-notified failure after a quiet window is mailed at once (with anything
// still un-notified), later ones wait for one digest at the end of the window. Callers hold the
// organization's row lock (PostgreSQL), so two recorders cannot both see a quiet window.
import type { EntityManager } from '@mikro-orm/core';
import type { Organization } from '../organization/organization.entity.js';
import { OutboxEmail } from '../outbox/outbox-email.entity.js';
import { queueEmail } from '../outbox/outbox.service.js';
import type { ServiceContext } from '../shared/context.js';
import { execute } from '../shared/sql.js';
import { failureEmail, type FailureLine } from '../sync-failure/failure-email.js';
import { SyncFailure } from '../sync-failure/sync-failure.entity.js';

/** Failures listed one by one in an e-mail; the rest are counted per code ("and N more: …"). */
export const MAX_LISTED_FAILURES = 50;

const windowMs = (org: Pick<Organization, 'digestWindowMinutes'>): number => org.digestWindowMinutes * 60_000;

/** When the organization's newest failure/digest e-mail inside the window was queued, or null. */
export async function lastNotificationAt(
  em: EntityManager,
  org: Organization,
  now: Date,
): Promise<Date | null> {
  const last = await em.findOne(
    OutboxEmail,
    {
      organization: org.id,
      kind: { $in: ['failure', 'digest'] },
      // Every status: a failed e-mail still counts (a dead SMTP server must not cause a storm).
      // Spelled out so PostgreSQL can range-scan outbox_email_status_index on (status, created_at).
      status: { $in: ['pending', 'sent', 'failed'] },
      createdAt: { $gt: new Date(now.getTime() - windowMs(org)) },
    },
    { orderBy: { createdAt: 'desc' }, fields: ['createdAt'] },
  );
  return last?.createdAt ?? null;
}

/** End of the current window: when a digest for failures arriving now is due. */
export const digestDueAfter = (org: Organization, lastEmailAt: Date): Date =>
  new Date(lastEmailAt.getTime() + windowMs(org));

interface Totals {
  failures: number;
  occurrences: number;
  byCode: Record<string, number>;
}

async function unnotifiedTotals(em: EntityManager, organizationId: string): Promise<Totals> {
  // Grouped in SQL: a burst of thousands of failures is counted without loading them.
  const rows = await execute(
    em,
    `select code, count(*) as failures, sum(occurrences) as occurrences from sync_failure
     where organization_id = ? and status = 'open' and notified_at is null group by code`,
    [organizationId],
  );
  const totals: Totals = { failures: 0, occurrences: 0, byCode: {} };
  for (const r of rows) {
    const n = Number(r['failures']);
    totals.failures += n;
    totals.occurrences += Number(r['occurrences']);
    totals.byCode[String(r['code'])] = n;
  }
  return totals;
}

const toLine = (f: SyncFailure): FailureLine => ({
  resourceType: f.resourceType,
  operation: f.operation,
  target: f.target,
  code: f.code,
  message: f.message,
  occurrences: f.occurrences,
  lastSeenAt: f.lastSeenAt,
});

/**
 * Queues one e-mail covering every open, not yet notified failure of the organization (listing up
 * to MAX_LISTED_FAILURES, `first` at the top, counting the rest) and marks them all notified, so
 * each failure is in exactly one e-mail. Null when there is nothing to send or no recipient.
 */
export async function notifyOpenFailures(
  ctx: ServiceContext,
  org: Organization,
  kind: 'failure' | 'digest',
  now: Date,
  first?: SyncFailure,
): Promise<OutboxEmail | null> {
  const { em } = ctx;
  if (org.notificationRecipients.length === 0) return null;
  await em.flush(); // the counts below must see this transaction's changes
  const totals = await unnotifiedTotals(em, org.id);
  if (totals.failures === 0) return null;
  const pending = { organization: org.id, status: 'open', notifiedAt: null } as const;
  const others = await em.find(SyncFailure, first ? { ...pending, id: { $ne: first.id } } : pending, {
    orderBy: { lastSeenAt: 'asc', id: 'asc' },
    limit: first ? MAX_LISTED_FAILURES - 1 : MAX_LISTED_FAILURES,
  });
  const listed = first ? [first, ...others] : others;
  const mail = failureEmail({
    organizationName: org.name,
    lines: listed.map(toLine),
    totals,
    digestWindowMinutes: org.digestWindowMinutes,
  });
  const email = queueEmail(em, { organizationId: org.id, kind, to: org.notificationRecipients, ...mail });
  email.createdAt = now; // the window is measured from here (and tests move `now`)
  await em.nativeUpdate(SyncFailure, pending, { notifiedAt: now });
  // Keep the loaded entities in step with the row update (nativeUpdate bypasses the identity map).
  for (const f of listed) f.notifiedAt = now;
  await em.flush();
  return email;
}
