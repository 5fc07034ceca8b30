import { randomUUID } from 'node:crypto';
import { auditFromSelect, auditRows, type AuditInput } from '../audit/audit.service.js';
import { conflict, invalidValue, notFound, preconditionFailed } from '../errors.js';
import { lower } from '../member/member.rules.js';
import type { ServiceContext } from '../shared/context.js';
import { insertRows } from '../shared/insert-rows.js';
import { isPostgres } from '../shared/locking.js';
import { sameJson } from '../shared/same-json.js';
import { CHUNK_SIZE, execute } from '../shared/sql.js';
import { uniquely } from '../shared/unique.js';
import { checkDisplayName, isUuid, memberIdList } from './group.rules.js';
import {
  changeMembershipsWithRecord,
  deleteGroupRow,
  deleteMemberships,
  deleteMembershipsExcept,
  existingMemberIds,
  groupRows,
  insertGroupWithMemberships,
  insertMemberships,
  lockGroupHead,
  lockGroupRow,
  updateGroupRow,
  type GroupHead,
  type GroupRow,
} from './membership.repository.js';

export interface GroupInput {
  displayName: string;
  externalId: string | null;
  document: Record<string, unknown>;
}

/** Reads a group of the organization with a row lock, so concurrent changes to it queue up. */
async function lockGroup(ctx: ServiceContext, groupId: string): Promise<GroupRow> {
  const group = await lockGroupRow(ctx.em, ctx.organizationId, groupId);
  if (!group) throw notFound('Group not found.', { groupId });
  return group;
}

/** lockGroup for membership changes: the same row lock, fewer columns. */
async function lockMembershipGroup(ctx: ServiceContext, groupId: string): Promise<GroupHead> {
  const head = await lockGroupHead(ctx.em, ctx.organizationId, groupId);
  if (!head) throw notFound('Group not found.', { groupId });
  return head;
}

/** Counter, version and audit event of a membership change that changed `delta` rows: one statement. */
async function recordMembershipChange(
  ctx: ServiceContext,
  group: GroupHead,
  delta: number,
  audit: Pick<AuditInput, 'action' | 'data'>,
): Promise<GroupHead> {
  return updateGroupRow(
    ctx.em,
    group.id,
    [['member_count = member_count + ?', delta]],
    ctx.now ?? new Date(),
    auditRows(ctx, [{ ...audit, targetType: 'group', targetId: group.id }]),
  );
}

function checkVersion(group: GroupHead, expectedVersion: number | undefined) {
  if (expectedVersion !== undefined && group.version !== expectedVersion) {
    throw preconditionFailed(
      `The group was changed since version ${expectedVersion} (now ${group.version}).`,
    );
  }
}

/** Conflict when another group of the organization holds the displayName or externalId: one read. */
async function assertUnique(
  ctx: ServiceContext,
  input: { displayName?: string | undefined; externalId?: string | null | undefined },
  selfId?: string,
) {
  const conditions: string[] = [];
  const params: unknown[] = [ctx.organizationId];
  if (input.displayName !== undefined) {
    conditions.push('display_name_lower = ?');
    params.push(lower(input.displayName));
  }
  if (input.externalId != null) {
    conditions.push('external_id = ?');
    params.push(input.externalId);
  }
  if (!conditions.length) return;
  if (selfId) params.push(selfId);
  const holders = await execute(
    ctx.em,
    `select display_name_lower, external_id from member_group
      where organization_id = ? and (${conditions.join(' or ')})${selfId ? ' and id <> ?' : ''}`,
    params,
  );
  if (
    input.displayName !== undefined &&
    holders.some((h) => h['display_name_lower'] === lower(input.displayName!))
  ) {
    throw conflict(`A group named "${input.displayName}" already exists.`, { attribute: 'displayName' });
  }
  if (input.externalId != null && holders.some((h) => h['external_id'] === input.externalId)) {
    throw conflict(`A group with externalId "${input.externalId}" already exists.`, {
      attribute: 'externalId',
    });
  }
}

/** The ids an audit event names (its count says how many there were). */
const sample = (ids: readonly string[]) => ids.slice(0, 50);

/** Unknown or foreign member ids are reported and nothing is changed. */
async function assertMembersExist(ctx: ServiceContext, ids: readonly string[]) {
  const found = await existingMemberIds(ctx.em, ctx.organizationId, ids.filter(isUuid));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length) {
    const shown = unknown.slice(0, 10).join(', ');
    throw invalidValue(
      `${unknown.length} member id(s) are not members of this organization: ${shown}${unknown.length > 10 ? ', …' : ''}.`,
      { unknownMemberIds: unknown.slice(0, 100), unknownCount: unknown.length },
    );
  }
}

/**
 * A new group with its members: one read (uniqueness) and, up to CHUNK_SIZE members, one
 * statement for the group, its audit events and its memberships. Counter, version and audit are
 * written as if every id names a member of the organization; when fewer memberships were inserted,
 * the unknown ids are refused and the caller's transaction rolls the rest back.
 */
export async function createGroup(
  ctx: ServiceContext,
  input: GroupInput,
  memberIds: readonly string[] = [],
): Promise<GroupHead> {
  const displayName = checkDisplayName(input.displayName);
  const externalId = input.externalId === '' ? null : input.externalId;
  await assertUnique(ctx, { displayName, externalId });
  const ids = memberIdList(memberIds);
  const now = ctx.now ?? new Date();
  // The version moves once for the create and once for the members, as two steps would move it.
  const group: GroupHead = {
    id: randomUUID(),
    displayName,
    version: ids.length ? 2 : 1,
    memberCount: ids.length,
  };
  const audits: AuditInput[] = [
    { action: 'group.created', targetType: 'group', targetId: group.id, data: { displayName } },
  ];
  if (ids.length) {
    audits.push({
      action: 'group.members_added',
      targetType: 'group',
      targetId: group.id,
      data: { count: ids.length, memberIds: sample(ids) },
    });
  }
  const rows = [
    groupRows(ctx.organizationId, group, { externalId, document: input.document, createdAt: now }),
    auditRows(ctx, audits),
  ];
  const valid = ids.filter(isUuid);
  const write = async () => {
    if (valid.length && valid.length <= CHUNK_SIZE) {
      return insertGroupWithMemberships(ctx.em, rows, ctx.organizationId, group.id, valid, now);
    }
    await insertRows(ctx.em, rows);
    return valid.length ? insertMemberships(ctx.em, ctx.organizationId, group.id, valid, now) : 0;
  };
  // A concurrent create of the same name or externalId that the read could not see yet.
  const added = await uniquely(`A group named "${displayName}"`, write());
  if (added < ids.length) {
    await assertMembersExist(ctx, ids);
    // Every id named a member after all: one was added or removed meanwhile. A retry sees it settled.
    throw new Error(`group ${group.id}: ${added} of ${ids.length} memberships inserted`);
  }
  return group;
}

/** Rename / change externalId / replace the stored document. Nothing changed: nothing written. */
export async function updateGroup(
  ctx: ServiceContext,
  groupId: string,
  input: Partial<GroupInput>,
  options: { expectedVersion?: number } = {},
): Promise<GroupHead> {
  const group = await lockGroup(ctx, groupId);
  checkVersion(group, options.expectedVersion);
  const displayName = input.displayName === undefined ? undefined : checkDisplayName(input.displayName);
  const externalId = input.externalId === '' ? null : input.externalId;
  await assertUnique(ctx, { displayName, externalId }, group.id);
  const changes: Record<string, unknown> = {};
  const assignments: [string, unknown][] = [];
  if (displayName !== undefined && displayName !== group.displayName) {
    changes['displayName'] = { from: group.displayName, to: displayName };
    assignments.push(['display_name = ?', displayName], ['display_name_lower = ?', lower(displayName)]);
  }
  if (externalId !== undefined && externalId !== group.externalId) {
    changes['externalId'] = { from: group.externalId, to: externalId };
    assignments.push(['external_id = ?', externalId]);
  }
  if (input.document && !sameJson(input.document, group.document)) {
    assignments.push(['document = ?', JSON.stringify(input.document)]);
  }
  if (!assignments.length) return group;
  const audits: AuditInput[] = Object.keys(changes).length
    ? [{ action: 'group.updated', targetType: 'group', targetId: group.id, data: changes }]
    : [];
  return uniquely(
    `A group named "${displayName ?? group.displayName}"`,
    updateGroupRow(ctx.em, group.id, assignments, ctx.now ?? new Date(), auditRows(ctx, audits)),
  );
}

export async function deleteGroup(
  ctx: ServiceContext,
  groupId: string,
  options: { expectedVersion?: number } = {},
) {
  const group = await lockGroup(ctx, groupId);
  checkVersion(group, options.expectedVersion);
  await deleteGroupRow(
    ctx.em,
    group.id,
    auditRows(ctx, [
      {
        action: 'group.deleted',
        targetType: 'group',
        targetId: group.id,
        data: { displayName: group.displayName },
      },
    ]),
  );
}

export async function addMembers(ctx: ServiceContext, groupId: string, memberIds: readonly string[]) {
  const group = await lockMembershipGroup(ctx, groupId);
  const ids = memberIdList(memberIds);
  if (!ids.length) return { group, added: 0 };
  const { changed: added, group: after } = await changeMemberships(ctx, group, 'add', ids, {
    action: 'group.members_added',
    data: { count: 0, memberIds: sample(ids) },
  });
  // Fewer rows than ids: some were members already, or are unknown — which refuses the whole
  // change (the caller's transaction rolls the insert back). Checked only then: one statement less.
  if (added < ids.length) await assertMembersExist(ctx, ids);
  return { group: after, added };
}

export async function removeMembers(ctx: ServiceContext, groupId: string, memberIds: readonly string[]) {
  const group = await lockMembershipGroup(ctx, groupId);
  const ids = memberIdList(memberIds);
  if (!ids.length) return { group, removed: 0 };
  const { changed: removed, group: after } = await changeMemberships(ctx, group, 'remove', ids, {
    action: 'group.members_removed',
    data: { count: 0, memberIds: sample(ids) },
  });
  return { group: after, removed };
}

/**
 * Adds or removes the memberships of a locked group and records the change (counter, version, and
 * an audit event whose data gets the `count`): one statement on PostgreSQL for up to CHUNK_SIZE ids,
 * the membership statements and then the record otherwise. Ids that are not UUIDs match nothing.
 */
async function changeMemberships(
  ctx: ServiceContext,
  group: GroupHead,
  change: 'add' | 'remove',
  ids: readonly string[],
  audit: { action: string; data: { count: number; memberIds: readonly string[] } },
): Promise<{ changed: number; group: GroupHead }> {
  const valid = ids.filter(isUuid);
  const now = ctx.now ?? new Date();
  if (!valid.length) return { changed: 0, group };
  if (isPostgres(ctx.em) && valid.length <= CHUNK_SIZE) {
    const event = auditFromSelect(
      ctx,
      { ...audit, targetType: 'group', targetId: group.id },
      { key: 'count', value: 'n.n' },
      'n where n.n > 0',
    );
    const done = await changeMembershipsWithRecord(
      ctx.em,
      change,
      ctx.organizationId,
      group.id,
      valid,
      now,
      event,
    );
    return { changed: done.changed, group: done.head ?? group };
  }
  const changed =
    change === 'add'
      ? await insertMemberships(ctx.em, ctx.organizationId, group.id, valid, now)
      : await deleteMemberships(ctx.em, group.id, valid);
  if (!changed) return { changed, group };
  const recorded = await recordMembershipChange(ctx, group, change === 'add' ? changed : -changed, {
    action: audit.action,
    data: { ...audit.data, count: changed },
  });
  return { changed, group: recorded };
}

/** Makes the membership exactly `memberIds`: deletes the others, inserts the missing. */
export async function replaceMembers(ctx: ServiceContext, groupId: string, memberIds: readonly string[]) {
  let group = await lockMembershipGroup(ctx, groupId);
  const ids = [...new Set(memberIds)];
  if (ids.length) await assertMembersExist(ctx, ids);
  const removed = await deleteMembershipsExcept(ctx.em, group.id, ids);
  const added = ids.length
    ? await insertMemberships(ctx.em, ctx.organizationId, group.id, ids, ctx.now ?? new Date())
    : 0;
  if (added || removed) {
    group = await recordMembershipChange(ctx, group, added - removed, {
      action: 'group.members_replaced',
      data: { added, removed },
    });
  }
  return { group, added, removed };
}
