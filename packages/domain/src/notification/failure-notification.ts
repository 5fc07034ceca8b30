// Which failures go into which e-mail. At most one failure e-mail per organization and digest
// window: the first un-notified failure after a quiet window is mailed at once (with anything
// still un-notified), later ones wait for one digest at the end of the window. Callers hold the
// organization's row lock (PostgreSQL), so two recorders cannot both see a quiet window.
// Plain SQL throughout, like the provisioning writes it runs beside: the unit of work would enter
// an AsyncLocalStorage on every flush, and on Node 20 the first one turns on a promise hook for
// the rest of the worker's life (see plainTransaction).
import type { EntityManager } from '@mikro-orm/core';
import type { OrganizationSettings } from '../organization/organization.service.js';
import { outboxRows } from '../outbox/outbox.service.js';
import type { ServiceContext } from '../shared/context.js';
import { insertRows } from '../shared/insert-rows.js';
import { asDate } from '../shared/row-values.js';
import { execute, executeRun } from '../shared/sql.js';
import { failureEmail, type FailureLine } from '../sync-failure/failure-email.js';

/** Failures listed one by one in an e-mail; the rest are counted per code ("and N more: …"). */
export const MAX_LISTED_FAILURES = 50;

/** What deciding and writing a failure e-mail needs of the organization. */
export type NotifiedOrganization = Pick<
  OrganizationSettings,
  'id' | 'name' | 'notificationRecipients' | 'digestWindowMinutes'
>;

/** A failure as an e-mail lists it, with its id. */
export interface ListedFailure extends FailureLine {
  id: string;
}

const windowMs = (org: Pick<NotifiedOrganization, 'digestWindowMinutes'>): number =>
  org.digestWindowMinutes * 60_000;

/** When the organization's newest failure/digest e-mail inside the window was queued, or null. */
export async function lastNotificationAt(
  em: EntityManager,
  org: NotifiedOrganization,
  now: Date,
): Promise<Date | null> {
  // Every status: a failed e-mail still counts (a dead SMTP server must not cause a storm). Spelled
  // out so PostgreSQL can range-scan outbox_email_status_index on (status, created_at).
  const [last] = await execute(
    em,
    `select created_at from outbox_email
      where organization_id = ? and kind in ('failure', 'digest')
        and status in ('pending', 'sent', 'failed') and created_at > ?
      order by created_at desc limit 1`,
    [org.id, new Date(now.getTime() - windowMs(org))],
  );
  return last ? asDate(last['created_at']) : null;
}

/** End of the current window: when a digest for failures arriving now is due. */
export const digestDueAfter = (org: NotifiedOrganization, lastEmailAt: Date): Date =>
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

/** The columns a listed failure is read from, and the reading. */
export const LISTED_FAILURE_COLUMNS =
  'id, resource_type, operation, target, code, message, occurrences, last_seen_at';

export const listedFailureOf = (r: Record<string, unknown>): ListedFailure => ({
  id: String(r['id']),
  resourceType: String(r['resource_type']),
  operation: String(r['operation']),
  target: String(r['target']),
  code: String(r['code']),
  message: String(r['message']),
  occurrences: Number(r['occurrences']),
  lastSeenAt: asDate(r['last_seen_at']),
});

/**
 * Queues one e-mail covering every open, not yet notified failure of the organization (listing up
 * to MAX_LISTED_FAILURES, `first` at the top, counting the rest) and marks them all notified, so
 * each failure is in exactly one e-mail. Returns the e-mail's id; null when there is nothing to
 * send or no recipient. `first`, when given, is already written in this transaction.
 */
export async function notifyOpenFailures(
  ctx: ServiceContext,
  org: NotifiedOrganization,
  kind: 'failure' | 'digest',
  now: Date,
  first?: ListedFailure,
): Promise<string | null> {
  const { em } = ctx;
  if (org.notificationRecipients.length === 0) return null;
  const totals = await unnotifiedTotals(em, org.id);
  if (totals.failures === 0) return null;
  const others = (
    await execute(
      em,
      `select ${LISTED_FAILURE_COLUMNS} from sync_failure
        where organization_id = ? and status = 'open' and notified_at is null${first ? ' and id <> ?' : ''}
        order by last_seen_at asc, id asc limit ?`,
      [org.id, ...(first ? [first.id] : []), first ? MAX_LISTED_FAILURES - 1 : MAX_LISTED_FAILURES],
    )
  ).map(listedFailureOf);
  const mail = failureEmail({
    organizationName: org.name,
    lines: first ? [first, ...others] : others,
    totals,
    digestWindowMinutes: org.digestWindowMinutes,
  });
  // created_at = now: the window is measured from here (and tests move `now`).
  const email = outboxRows(
    em,
    { organizationId: org.id, kind, to: org.notificationRecipients, ...mail },
    now,
  );
  await insertRows(em, [email.rows]);
  await executeRun(
    em,
    `update sync_failure set notified_at = ?
      where organization_id = ? and status = 'open' and notified_at is null`,
    [now, org.id],
  );
  return email.id;
}
