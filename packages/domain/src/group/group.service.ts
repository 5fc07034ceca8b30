import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { insertAudit, recordAudit, type AuditInput } from '../audit/audit.service.js';
import { conflict, invalidValue, notFound, preconditionFailed } from '../errors.js';
import { lower } from '../member/member.rules.js';
import type { ServiceContext } from '../shared/context.js';
import { writeLock } from '../shared/locking.js';
import { checkDisplayName, isUuid, memberIdList } from './group.rules.js';
import { Group } from './group.entity.js';
import {
  countMembershipChange,
  deleteMemberships,
  deleteMembershipsExcept,
  existingMemberIds,
  insertMemberships,
  lockGroupHead,
  type GroupHead,
} from './membership.repository.js';

export interface GroupInput {
  displayName: string;
  externalId: string | null;
  document: Record<string, unknown>;
}

/** Loads a group of the organization with a row lock, so concurrent membership changes queue up. */
export async function lockGroup(ctx: ServiceContext, groupId: string): Promise<Group> {
  // refresh: a membership change earlier in the transaction updated the row in plain SQL.
  const group = await ctx.em.findOne(
    Group,
    { id: groupId, organization: ctx.organizationId },
    { ...writeLock(ctx.em), refresh: true },
  );
  if (!group) throw notFound('Group not found.', { groupId });
  return group;
}

/** lockGroup for membership changes: the same row lock, no entity (they are plain SQL). */
async function lockMembershipGroup(ctx: ServiceContext, groupId: string): Promise<GroupHead> {
  const head = await lockGroupHead(ctx.em, ctx.organizationId, groupId);
  if (!head) throw notFound('Group not found.', { groupId });
  return head;
}

/** Counter, version and audit event of a membership change that changed `delta` rows. */
async function recordMembershipChange(
  ctx: ServiceContext,
  group: GroupHead,
  delta: number,
  audit: Pick<AuditInput, 'action' | 'data'>,
): Promise<GroupHead> {
  const updated = await countMembershipChange(ctx.em, group.id, delta, ctx.now ?? new Date());
  await insertAudit(ctx, { ...audit, targetType: 'group', targetId: group.id });
  return updated;
}

function checkVersion(group: Group, expectedVersion: number | undefined) {
  if (expectedVersion !== undefined && group.version !== expectedVersion) {
    throw preconditionFailed(
      `The group was changed since version ${expectedVersion} (now ${group.version}).`,
    );
  }
}

async function assertUnique(
  ctx: ServiceContext,
  input: { displayName?: string; externalId?: string | null },
  selfId?: string,
) {
  const others = { organization: ctx.organizationId, ...(selfId ? { id: { $ne: selfId } } : {}) };
  if (
    input.displayName !== undefined &&
    (await ctx.em.count(Group, { ...others, displayNameLower: lower(input.displayName) }))
  ) {
    throw conflict(`A group named "${input.displayName}" already exists.`, { attribute: 'displayName' });
  }
  if (input.externalId != null && (await ctx.em.count(Group, { ...others, externalId: input.externalId }))) {
    throw conflict(`A group with externalId "${input.externalId}" already exists.`, {
      attribute: 'externalId',
    });
  }
}

async function flushUnique(ctx: ServiceContext, what: string) {
  try {
    await ctx.em.flush();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw conflict(`${what} already exists.`);
    throw e;
  }
}

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

export async function createGroup(ctx: ServiceContext, input: GroupInput, memberIds: readonly string[] = []) {
  const displayName = checkDisplayName(input.displayName);
  const externalId = input.externalId === '' ? null : input.externalId;
  await assertUnique(ctx, { displayName, externalId });
  const ids = memberIdList(memberIds);
  if (ids.length) await assertMembersExist(ctx, ids);
  const group = ctx.em.create(Group, {
    id: randomUUID(),
    organization: ctx.organizationId,
    displayName,
    displayNameLower: lower(displayName),
    externalId,
    document: input.document,
    memberCount: 0,
  });
  recordAudit(ctx, {
    action: 'group.created',
    targetType: 'group',
    targetId: group.id,
    data: { displayName },
  });
  await flushUnique(ctx, `A group named "${displayName}"`);
  if (ids.length) {
    await addMembers(ctx, group.id, ids);
    await ctx.em.refresh(group); // counter and version moved in plain SQL
  }
  return group;
}

/** Rename / change externalId / replace the stored document. */
export async function updateGroup(
  ctx: ServiceContext,
  groupId: string,
  input: Partial<GroupInput>,
  options: { expectedVersion?: number } = {},
) {
  const group = await lockGroup(ctx, groupId);
  checkVersion(group, options.expectedVersion);
  const displayName = input.displayName === undefined ? undefined : checkDisplayName(input.displayName);
  const externalId = input.externalId === '' ? null : input.externalId;
  await assertUnique(ctx, { displayName, externalId }, group.id);
  const changes: Record<string, unknown> = {};
  if (displayName !== undefined && displayName !== group.displayName) {
    changes['displayName'] = { from: group.displayName, to: displayName };
    group.displayName = displayName;
    group.displayNameLower = lower(displayName);
  }
  if (externalId !== undefined && externalId !== group.externalId) {
    changes['externalId'] = { from: group.externalId, to: externalId };
    group.externalId = externalId;
  }
  if (input.document) group.document = input.document;
  if (Object.keys(changes).length) {
    recordAudit(ctx, { action: 'group.updated', targetType: 'group', targetId: group.id, data: changes });
  }
  await flushUnique(ctx, `A group named "${displayName ?? group.displayName}"`);
  return group;
}

export async function deleteGroup(
  ctx: ServiceContext,
  groupId: string,
  options: { expectedVersion?: number } = {},
) {
  const group = await lockGroup(ctx, groupId);
  checkVersion(group, options.expectedVersion);
  recordAudit(ctx, {
    action: 'group.deleted',
    targetType: 'group',
    targetId: group.id,
    data: { displayName: group.displayName },
  });
  ctx.em.remove(group);
  await ctx.em.flush();
}

const sample = (ids: readonly string[]) => ids.slice(0, 50);

export async function addMembers(ctx: ServiceContext, groupId: string, memberIds: readonly string[]) {
  let group = await lockMembershipGroup(ctx, groupId);
  const ids = memberIdList(memberIds);
  if (!ids.length) return { group, added: 0 };
  const added = await insertMemberships(
    ctx.em,
    ctx.organizationId,
    group.id,
    ids.filter(isUuid),
    ctx.now ?? new Date(),
  );
  // Fewer rows than ids: some were members already, or are unknown — which refuses the whole
  // change (the caller's transaction rolls the insert back). Checked only then: one statement less.
  if (added < ids.length) await assertMembersExist(ctx, ids);
  if (added) {
    group = await recordMembershipChange(ctx, group, added, {
      action: 'group.members_added',
      data: { count: added, memberIds: sample(ids) },
    });
  }
  return { group, added };
}

export async function removeMembers(ctx: ServiceContext, groupId: string, memberIds: readonly string[]) {
  let group = await lockMembershipGroup(ctx, groupId);
  const ids = memberIdList(memberIds);
  if (!ids.length) return { group, removed: 0 };
  const removed = await deleteMemberships(ctx.em, group.id, ids.filter(isUuid));
  if (removed) {
    group = await recordMembershipChange(ctx, group, -removed, {
      action: 'group.members_removed',
      data: { count: removed, memberIds: sample(ids) },
    });
  }
  return { group, removed };
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
