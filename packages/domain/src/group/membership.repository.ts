// Set-based membership SQL: the cost of a change depends on the ids in the change, never on the
// group's size. Every statement runs in the caller's transaction.
import type { EntityManager } from '@mikro-orm/core';
import { chunks, execute, executeRun, placeholders } from '../shared/sql.js';

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

export async function insertMemberships(
  em: EntityManager,
  groupId: string,
  memberIds: readonly string[],
  now: Date,
) {
  let added = 0;
  for (const part of chunks(memberIds, 3000)) {
    const values = part.map(() => '(?, ?, ?)').join(', ');
    const params = part.flatMap((id) => [groupId, id, now]);
    added += await executeRun(
      em,
      `insert into group_membership (group_id, member_id, created_at) values ${values} on conflict do nothing`,
      params,
    );
  }
  return added;
}

export async function deleteMemberships(em: EntityManager, groupId: string, memberIds: readonly string[]) {
  let removed = 0;
  for (const part of chunks(memberIds)) {
    removed += await executeRun(
      em,
      `delete from group_membership where group_id = ? and member_id in (${placeholders(part.length)})`,
      [groupId, ...part],
    );
  }
  return removed;
}

/** Deletes every membership of the group except `keep` (replace = delete the rest, insert the new). */
export async function deleteMembershipsExcept(em: EntityManager, groupId: string, keep: readonly string[]) {
  if (keep.length === 0) return executeRun(em, 'delete from group_membership where group_id = ?', [groupId]);
  // A temporary VALUES list would be neater; NOT IN over the kept ids is portable to SQLite.
  if (keep.length <= 5000) {
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
