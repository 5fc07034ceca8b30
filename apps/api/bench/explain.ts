// Evidence for the JSON file: EXPLAIN ANALYZE of the statements behind the read-side figures, on the
// seeded data, so a slow figure can be told apart from a bad plan (seq scan, sort, wrong index).
import type { BenchDb } from './db.js';

export interface PlanEvidence {
  label: string;
  executionMs: number | null;
  /** The plan's node lines, e.g. "Index Scan using member_org_user_name_unique on member m" */
  nodes: string[];
  plan: string[];
}

async function explain(db: BenchDb, label: string, sql: string, params: unknown[]): Promise<PlanEvidence> {
  const rows = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
  const plan = rows.map((r) => r['QUERY PLAN']);
  const exec = plan.map((l) => /Execution Time: ([\d.]+) ms/.exec(l)?.[1]).find((v) => v !== undefined);
  const nodes = plan
    .filter((l) => /(Scan|Sort|Aggregate|Join|Loop)/.test(l))
    .map((l) =>
      l
        .trim()
        .replace(/^->\s*/, '')
        .replace(/\s+\(cost.*$/, ''),
    );
  return { label, executionMs: exec === undefined ? null : Number(exec), nodes, plan };
}

/** The SQL of the user lookup, the two reports and the activity series (as the api issues them). */
export async function explainReads(
  db: BenchDb,
  organizationId: string,
  userName: string,
): Promise<PlanEvidence[]> {
  const from30 = new Date(Date.now() - 30 * 86_400_000);
  return [
    await explain(
      db,
      'GET /Users?filter=userName eq (100k members)',
      `select m.id as id, m.document, m.status, m.version, m.created_at, m.updated_at from member m
       where m.organization_id = ? and (m.user_name_lower = ?) order by m.created_at asc, m.id asc limit 100 offset 0`,
      [organizationId, userName.toLowerCase()],
    ),
    await explain(
      db,
      'membershipSummary',
      'select m.status, m.scim_managed, count(*) as n from member m where m.organization_id = ? group by m.status, m.scim_managed',
      [organizationId],
    ),
    await explain(
      db,
      'syncFailureStats(CODE)',
      `select f.code as stat_key, count(*) as failures, sum(f.occurrences) as occurrences,
              sum(case when f.status = 'open' then 1 else 0 end) as open_count
       from sync_failure f where f.organization_id = ? group by f.code order by failures desc, stat_key`,
      [organizationId],
    ),
    await explain(
      db,
      'provisioningActivity(DAY, 30 days), the counted hours',
      `select date_trunc('day', h.hour at time zone 'UTC') as b, h.action, h.outcome, sum(h.events) as n from audit_activity_hour h
       where h.organization_id = ? and h.hour >= ? and h.hour < ? group by 1, h.action, h.outcome`,
      [organizationId, from30, new Date()],
    ),
  ];
}
