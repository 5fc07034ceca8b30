// Set-based membership SQL: the cost of a change depends on the ids in the change, never on the
// group's size. Every statement runs in the caller's transaction. The group row is read and
// updated in plain SQL too: a single add on a 100k group was mostly ORM work (find, flush).
import type { EntityManager } from '@mikro-orm/core';
import { lower } from '../member/member.rules.js';
import { withInserts, type TableRows } from '../shared/insert-rows.js';
import { forUpdate, isPostgres } from '../shared/locking.js';
import { asJson, textOrNull } from '../shared/row-values.js';
import { CHUNK_SIZE, chunks, execute, executeRun, placeholders } from '../shared/sql.js';

/** What a membership change reads and answers of its group. */
export interface GroupHead {
  id: string;
  displayName: string;
  version: number;
  memberCount: number;
}

const HEAD = 'id, display_name, version, member_count';
const toHead = (row: Record<string, unknown>): GroupHead => ({
  id: String(row['id']),
  displayName: String(row['display_name']),
  version: Number(row['version']),
  memberCount: Number(row['member_count']),
});

/** The group's row (these columns), row-locked on PostgreSQL (SQLite has a single writer). */
async function lockGroupColumns(em: EntityManager, organizationId: string, groupId: string, columns: string) {
  const rows = await execute(
    em,
    `select ${columns} from member_group where id = ? and organization_id = ?${forUpdate(em)}`,
    [groupId, organizationId],
  );
  return rows[0];
}

/** The group of the organization, row-locked: what a membership change needs of it. */
export async function lockGroupHead(
  em: EntityManager,
  organizationId: string,
  groupId: string,
): Promise<GroupHead | null> {
  const row = await lockGroupColumns(em, organizationId, groupId, HEAD);
  return row ? toHead(row) : null;
}

/** A group as a rename or delete reads it: its head and the columns a SCIM PUT replaces. */
export interface GroupRow extends GroupHead {
  externalId: string | null;
  document: Record<string, unknown>;
}

/** lockGroupHead with the externalId and the stored document. */
export async function lockGroupRow(
  em: EntityManager,
  organizationId: string,
  groupId: string,
): Promise<GroupRow | null> {
  const row = await lockGroupColumns(em, organizationId, groupId, `${HEAD}, external_id, document`);
  if (!row) return null;
  return {
    ...toHead(row),
    externalId: textOrNull(row['external_id']),
    document: asJson<Record<string, unknown>>(row['document']),
  };
}

/**
 * Updates the locked group row with its audit events, in one statement: each assignment is SQL
 * with one `?` for its value; the version and updated_at move on.
 */
export async function updateGroupRow(
  em: EntityManager,
  groupId: string,
  assignments: readonly (readonly [string, unknown])[],
  now: Date,
  audits: TableRows,
): Promise<GroupHead> {
  const rows = await withInserts(
    em,
    [audits],
    `update member_group set ${assignments.map(([sql]) => `${sql}, `).join('')}version = version + 1,
      updated_at = ? where id = ? returning ${HEAD}`,
    [...assignments.map(([, value]) => value), now, groupId],
  );
  if (!rows[0]) throw new Error(`group ${groupId} vanished under its row lock`);
  return toHead(rows[0]);
}

/** Deletes the group (its memberships go with it: FK cascade), with its audit events. */
export async function deleteGroupRow(em: EntityManager, groupId: string, audits: TableRows): Promise<void> {
  await withInserts(em, [audits], 'delete from member_group where id = ?', [groupId]);
}

/** A new group's row for insertRows (its counter and version as the caller computed them). */
export function groupRows(
  organizationId: string,
  group: GroupHead,
  fields: { externalId: string | null; document: Record<string, unknown>; createdAt: Date },
): TableRows {
  return {
    table: 'member_group',
    columns: [
      'id',
      'organization_id',
      'display_name',
      'display_name_lower',
      'external_id',
      'document',
      'member_count',
      'version',
      'created_at',
      'updated_at',
    ],
    rows: [
      [
        group.id,
        organizationId,
        group.displayName,
        lower(group.displayName),
        fields.externalId,
        JSON.stringify(fields.document),
        group.memberCount,
        group.version,
        fields.createdAt,
        fields.createdAt,
      ],
    ],
  };
}

/** The given ids that are members of the organization (others are reported by the caller). */
export async function existingMemberIds(em: EntityManager, organizationId: string, ids: readonly string[]) {
  const found = new Set<string>();
  for (const part of chunks(ids)) {
    const rows = await execute(
      em,
      `select id from member where organization_id = ? and id in (${placeholders(part.length)})`,
      [organizationId, ...part],
    );
    for (const r of rows) found.add(String(r['id']));
  }
  return found;
}

/** Inserts the memberships of those ids that are members of the organization and not yet of the group. */
function membershipInsertSql(em: EntityManager, n: number): string {
  // PostgreSQL types the selected parameters as text unless told; SQLite has no `::`.
  const [uuid, timestamp] = isPostgres(em) ? ['?::uuid', '?::timestamptz'] : ['?', '?'];
  return `insert into group_membership (group_id, member_id, created_at)
    select ${uuid}, id, ${timestamp} from member
     where organization_id = ? and id in (${placeholders(n)})
    on conflict do nothing`;
}

/** Deletes n memberships of one group (parameters: the group id, then the member ids). */
const membershipDeleteSql = (n: number): string =>
  `delete from group_membership where group_id = ? and member_id in (${placeholders(n)})`;

/**
 * Inserts the memberships (membershipInsertSql) in chunks; returns how many. Ids must be UUIDs
 * (PostgreSQL refuses others in a uuid comparison).
 */
export async function insertMemberships(
  em: EntityManager,
  organizationId: string,
  groupId: string,
  memberIds: readonly string[],
  now: Date,
) {
  let added = 0;
  for (const part of chunks(memberIds)) {
    added += await executeRun(em, membershipInsertSql(em, part.length), [
      groupId,
      now,
      organizationId,
      ...part,
    ]);
  }
  return added;
}

/**
 * A new group's rows (group, audit events) and its memberships, 1 to CHUNK_SIZE ids: one
 * statement on PostgreSQL. Returns how many memberships were inserted.
 */
export async function insertGroupWithMemberships(
  em: EntityManager,
  inserts: readonly TableRows[],
  organizationId: string,
  groupId: string,
  memberIds: readonly string[],
  now: Date,
): Promise<number> {
  const rows = await withInserts(em, inserts, `${membershipInsertSql(em, memberIds.length)} returning 1`, [
    groupId,
    now,
    organizationId,
    ...memberIds,
  ]);
  return rows.length;
}

/**
 * PostgreSQL, 1 to CHUNK_SIZE ids, the group row locked by the caller: adds or removes the
 * memberships and, when any changed, moves the group's counter and version and writes its audit
 * event (`audit`: auditFromSelect over `n`, the count of rows changed) — one statement instead of two. Returns the rows changed
 * and the group's new head (null when nothing changed: no new version, no event).
 */
export async function changeMembershipsWithRecord(
  em: EntityManager,
  change: 'add' | 'remove',
  organizationId: string,
  groupId: string,
  memberIds: readonly string[],
  now: Date,
  audit: { sql: string; params: unknown[] },
): Promise<{ changed: number; head: GroupHead | null }> {
  const [changed, changedParams] =
    change === 'add'
      ? [
          `${membershipInsertSql(em, memberIds.length)} returning 1`,
          [groupId, now, organizationId, ...memberIds],
        ]
      : [`${membershipDeleteSql(memberIds.length)} returning 1`, [groupId, ...memberIds]];
  const rows = await execute(
    em,
    `with changed as (${changed}),
       n as (select count(*)::int as n from changed),
       audit as (${audit.sql}),
       head as (update member_group set member_count = member_count ${change === 'add' ? '+' : '-'} (select n from n),
                  version = version + 1, updated_at = ? where id = ? and (select n from n) > 0 returning ${HEAD})
     select n.n as changed, head.* from n left join head on true`,
    [...changedParams, ...audit.params, now, groupId],
  );
  const row = rows[0]!;
  return { changed: Number(row['changed']), head: row['id'] == null ? null : toHead(row) };
}

export async function deleteMemberships(em: EntityManager, groupId: string, memberIds: readonly string[]) {
  let removed = 0;
  for (const part of chunks(memberIds)) {
    removed += await executeRun(em, membershipDeleteSql(part.length), [groupId, ...part]);
  }
  return removed;
}

/** Deletes every membership of the group except `keep` (replace = delete the rest, insert the new). */
export async function deleteMembershipsExcept(em: EntityManager, groupId: string, keep: readonly string[]) {
  if (keep.length === 0) return executeRun(em, 'delete from group_membership where group_id = ?', [groupId]);
  // A temporary VALUES list would be neater; NOT IN over the kept ids is portable to SQLite.
  if (keep.length <= CHUNK_SIZE) {
    return executeRun(
      em,
      `delete from group_membership where group_id = ? and member_id not in (${placeholders(keep.length)})`,
      [groupId, ...keep],
    );
  }
  const keepSet = new Set(keep);
  const current = await execute(em, 'select member_id from group_membership where group_id = ?', [groupId]);
  return deleteMemberships(
    em,
    groupId,
    current.map((r) => String(r['member_id'])).filter((id) => !keepSet.has(id)),
  );
}
