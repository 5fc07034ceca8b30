// Membership counts in ONE aggregate over the organization's members (by status and SCIM-managed),
// from which seat use follows with the domain's own rule (consumesSeat) — no second count.
import { consumesSeat, MEMBER_STATUSES, type MemberStatus } from '@repo/domain';
import { fragment, runSql, type EntityManager } from '../../sql/read-sql.js';
import { bool, integer, oneOf } from './row.js';

export interface StatusCount {
  status: MemberStatus;
  total: number;
  scimManaged: number;
  notScimManaged: number;
}

export interface MembershipSummaryDto {
  total: number;
  scimManaged: number;
  notScimManaged: number;
  byStatus: StatusCount[];
  seatsUsed: number;
  /** null: unlimited */
  seatLimit: number | null;
  seatsAvailable: number | null;
}

export async function membershipSummary(
  em: EntityManager,
  organization: { id: string; seats: number | null },
): Promise<MembershipSummaryDto> {
  const rows = await runSql(
    em,
    fragment(
      'select m.status, m.scim_managed, count(*) as n from member m where m.organization_id = ? group by m.status, m.scim_managed',
      [organization.id],
    ),
  );
  const byStatus = new Map<MemberStatus, StatusCount>(
    MEMBER_STATUSES.map((status) => [status, { status, total: 0, scimManaged: 0, notScimManaged: 0 }]),
  );
  for (const row of rows) {
    const entry = byStatus.get(oneOf(row, 'status', MEMBER_STATUSES));
    if (!entry) continue;
    const n = integer(row, 'n');
    entry.total += n;
    if (bool(row, 'scim_managed')) entry.scimManaged += n;
    else entry.notScimManaged += n;
  }
  const counts = [...byStatus.values()];
  const sum = (pick: (c: StatusCount) => number, only: (c: StatusCount) => boolean = () => true) =>
    counts.filter(only).reduce((acc, c) => acc + pick(c), 0);
  const seatsUsed = sum(
    (c) => c.total,
    (c) => consumesSeat(c.status),
  );
  return {
    total: sum((c) => c.total),
    scimManaged: sum((c) => c.scimManaged),
    notScimManaged: sum((c) => c.notScimManaged),
    byStatus: counts,
    seatsUsed,
    seatLimit: organization.seats,
    seatsAvailable: organization.seats === null ? null : Math.max(0, organization.seats - seatsUsed),
  };
}
