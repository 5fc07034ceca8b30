import { Group, GroupMembership, notFound } from '@repo/domain';
import { z } from 'zod';
import { applyAdminCommand } from '../admin-write.js';
import type { OrganizationContext } from '../context.js';
import { createdAfter, Cursor, decodePosition, encodePosition, PageSize, toPage } from '../pagination.js';
import { likePrefixSql, prefixPattern, queryBuilder } from '../search.js';
import { adminProcedure, readerProcedure, router } from '../trpc.js';
import { groupView, memberView } from '../views.js';

const GroupMembersInput = z.object({
  groupId: z.uuid(),
  memberIds: z.array(z.uuid()).min(1).max(1000),
});

async function loadGroup(ctx: OrganizationContext, groupId: string, fresh = false): Promise<Group> {
  const em = fresh ? ctx.em.fork() : ctx.em;
  const group = await em.findOne(Group, { id: groupId, organization: ctx.organizationId });
  if (!group) throw notFound('Group not found.', { groupId });
  return group;
}

export const groupsRouter = router({
  /** Oldest first, keyset-paginated on (createdAt, id); `search` is a display-name prefix. */
  list: readerProcedure
    .input(
      z.object({
        search: z.string().trim().min(1).max(300).optional(),
        limit: PageSize,
        cursor: Cursor.optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const qb = queryBuilder(ctx.em, Group, 'g').where({ organization: ctx.organizationId });
      if (input.search)
        qb.andWhere(likePrefixSql('g.display_name_lower'), [prefixPattern(input.search.toLowerCase())]);
      if (input.cursor) qb.andWhere(createdAfter(decodePosition(input.cursor)));
      const rows = await qb
        .orderBy({ createdAt: 'asc', id: 'asc' })
        .limit(input.limit + 1)
        .getResultList();
      return toPage(rows, input.limit, (g) => encodePosition({ at: g.createdAt, id: g.id }), groupView);
    }),

  /** The group and one page of its members, in member-id order (the membership primary key). */
  get: readerProcedure
    .input(
      z.object({
        groupId: z.uuid(),
        membersLimit: PageSize,
        /** The `members.nextCursor` of the previous page. */
        membersCursor: z.uuid().optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const group = await loadGroup(ctx, input.groupId);
      const rows = await ctx.em.find(
        GroupMembership,
        { group: group.id, ...(input.membersCursor ? { member: { $gt: input.membersCursor } } : {}) },
        { populate: ['member'], orderBy: { member: 'asc' }, limit: input.membersLimit + 1 },
      );
      const members = toPage(
        rows,
        input.membersLimit,
        (gm) => gm.member.id,
        (gm) => memberView(gm.member.getEntity()),
      );
      return { group: groupView(group), members };
    }),

  /** Adds members (a set operation: members already in the group are fine; unknown ids are refused). */
  addMembers: adminProcedure.input(GroupMembersInput).mutation(async ({ ctx, input }) => {
    const command = { kind: 'group.addMembers', groupId: input.groupId, memberIds: input.memberIds } as const;
    await applyAdminCommand(ctx, {
      organizationId: ctx.organizationId,
      actorId: ctx.principal.tokenId,
      command,
    });
    return groupView(await loadGroup(ctx, input.groupId, true));
  }),

  removeMembers: adminProcedure.input(GroupMembersInput).mutation(async ({ ctx, input }) => {
    const command = {
      kind: 'group.removeMembers',
      groupId: input.groupId,
      memberIds: input.memberIds,
    } as const;
    await applyAdminCommand(ctx, {
      organizationId: ctx.organizationId,
      actorId: ctx.principal.tokenId,
      command,
    });
    return groupView(await loadGroup(ctx, input.groupId, true));
  }),
});
