// Set-based seeding straight into the service's database: 100k members in seconds instead of the
// ~minutes the SCIM path would take. Rows look like what the worker writes (same document shape as
// parseUser(entraUserCreate(…)), statuses and SCIM flags mixed), then VACUUM ANALYZE so the planner
// and the visibility map are in the steady state a long-running database would have.
import type { BenchDb } from './db.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** userName of the i-th seeded member (1-based) of the organization seeded with `tag`. */
export const seededUserName = (tag: string, i: number): string => `u${i}@${tag}`;

/** A random one of the `members` users seeded under `tag`. */
export const randomSeededUserName = (tag: string, members: number): string =>
  seededUserName(tag, 1 + Math.floor(Math.random() * members));

export async function seedMembers(
  db: BenchDb,
  organizationId: string,
  count: number,
  tag: string,
): Promise<void> {
  await db.query(
    `insert into member (id, organization_id, user_name, user_name_lower, external_id, email, email_lower,
                         display_name, given_name, family_name, status, previous_status, role, scim_managed,
                         manager_id, document, version, created_at, updated_at)
     select gen_random_uuid(), ?::uuid, un, lower(un), ext, un, lower(un),
            'Bench User ' || i, 'Given' || i, 'Family' || i, st,
            case when st = 'revoked' then 'invited' end, 'user', i % 50 <> 0, null,
            jsonb_build_object(
              'externalId', ext, 'userName', un, 'active', st <> 'revoked', 'displayName', 'Bench User ' || i,
              'emails', jsonb_build_array(jsonb_build_object('primary', true, 'type', 'work', 'value', un)),
              'name', jsonb_build_object('formatted', 'Given' || i || ' Family' || i, 'familyName', 'Family' || i, 'givenName', 'Given' || i),
              '${ENTERPRISE}', jsonb_build_object('employeeNumber', i::text, 'department', 'Dept ' || (i % 20))),
            1, ts, ts
     from (select i, 'u' || i || '@' || ?::text as un, ?::text || '-' || i as ext,
                  case when i % 20 = 0 then 'revoked' when i % 7 = 0 then 'confirmed'
                       when i % 3 = 0 then 'accepted' else 'invited' end as st,
                  now() - make_interval(secs => ?::int - i) as ts
           from generate_series(1, ?::int) as i) s`,
    [organizationId, tag, tag, count, count],
  );
}

/** A group holding every member of the organization; returns its id. */
export async function seedGroupOfAll(
  db: BenchDb,
  organizationId: string,
  displayName: string,
): Promise<string> {
  const [group] = await db.query<{ id: string }>(
    `insert into member_group (id, organization_id, display_name, display_name_lower, external_id, document,
                               member_count, version, created_at, updated_at)
     values (gen_random_uuid(), ?::uuid, ?, lower(?), ?, jsonb_build_object('displayName', ?::text), 0, 1, now(), now())
     returning id`,
    [organizationId, displayName, displayName, `ext-${displayName}`, displayName],
  );
  if (!group) throw new Error('group insert returned no row');
  await db.query(
    `insert into group_membership (group_id, member_id, created_at)
     select ?::uuid, m.id, m.created_at from member m where m.organization_id = ?::uuid`,
    [group.id, organizationId],
  );
  await db.query(
    `update member_group set member_count = (select count(*) from group_membership where group_id = ?::uuid) where id = ?::uuid`,
    [group.id, group.id],
  );
  return group.id;
}

/** `count` audit events spread evenly over the last `days` days, mostly SCIM successes. */
export async function seedAuditEvents(
  db: BenchDb,
  organizationId: string,
  count: number,
  days: number,
): Promise<void> {
  const spacing = (days * 86_400) / count;
  await db.query(
    `insert into audit_event (organization_id, actor, actor_id, action, outcome, target_type, target_id, data, request_id, created_at)
     select ?::uuid,
            case when i % 100 = 0 then 'system' when i % 25 = 0 then 'admin' else 'scim' end,
            null,
            (array['member.invited', 'member.updated', 'member.revoked', 'group.members_added',
                   'group.members_removed', 'member.restored', 'group.created', 'group.updated'])[1 + i % 8],
            case when i % 50 = 0 then 'failure' else 'success' end,
            'member', (i % 100000)::text, jsonb_build_object('userName', 'u' || (i % 100000)), null,
            now() - make_interval(secs => i * ?::float8)
     from generate_series(1, ?::int) as i`,
    [organizationId, spacing, count],
  );
}

/** `count` sync failures (codes, resource types and statuses mixed) last seen over `days` days. */
export async function seedSyncFailures(
  db: BenchDb,
  organizationId: string,
  count: number,
  days: number,
): Promise<void> {
  const spacing = (days * 86_400) / count;
  await db.query(
    `insert into sync_failure (id, organization_id, fingerprint, resource_type, operation, target, code, message,
                               request, attempts, occurrences, status, first_seen_at, last_seen_at, resolved_at, notified_at)
     select gen_random_uuid(), ?::uuid, md5('bench' || i), case when i % 5 = 0 then 'Group' else 'User' end,
            (array['post', 'patch', 'put', 'delete'])[1 + i % 4], 'u' || i || '@failures.bench.test',
            (array['seat_limit', 'conflict', 'invalid_value', 'not_found', 'retries_exhausted'])[1 + i % 5],
            'Bench failure ' || i, null, 1 + i % 3, 1 + i % 7,
            case when i % 3 = 0 then 'resolved' when i % 11 = 0 then 'dismissed' else 'open' end,
            ts - interval '1 hour', ts, case when i % 3 = 0 then ts end, null
     from (select i, now() - make_interval(secs => i * ?::float8) as ts from generate_series(1, ?::int) as i) s`,
    [organizationId, spacing, count],
  );
}

export async function vacuumAnalyze(db: BenchDb): Promise<void> {
  for (const table of [
    'member',
    'member_group',
    'group_membership',
    'audit_event',
    'sync_failure',
    'organization',
  ]) {
    await db.query(`vacuum analyze ${table}`);
  }
  // Seeding writes about a gigabyte of WAL; without this, the checkpoint it triggers runs during
  // the measurements and a commit waits behind its writes (seen: a 300 ms COMMIT in item 3).
  await db.query('checkpoint');
}
