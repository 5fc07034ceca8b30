import { AuditEvent, GroupMembership, Member, notFound } from '@repo/domain';
import type { AdminCommand } from '@repo/jobs';
import { applyAdminCommand } from '../admin-write.js';
import type { OrganizationContext } from '../context.js';
import { createdAfter, decodePosition, encodePosition, toPage } from '../pagination.js';
import { likePrefixSql, prefixPattern, queryBuilder } from '../search.js';
import { adminProcedure, readerProcedure, router } from '../trpc.js';
import { auditEventView, groupView, memberView } from '../views.js';
import { MemberIdInput, MemberListInput, SetExternalIdInput } from './members.schema.js';

const RECENT_EVENTS = 20;
const GROUPS_SHOWN = 100;

async function loadMember(ctx: OrganizationContext, memberId: string): Promise<Member> {
  // A fresh fork: after a queued change the worker's committed state, not the request's cache.
  const member = await ctx.em.fork().findOne(Member, { id: memberId, organization: ctx.organizationId });
  if (!member) throw notFound('Member not found.', { memberId });
  return member;
}

/** Applies a member command through the queue and returns the member as committed. */
async function changeMember(ctx: OrganizationContext, command: AdminCommand & { memberId: string }) {
  await applyAdminCommand(ctx, {
    organizationId: ctx.organizationId,
    actorId: ctx.principal.tokenId,
    command,
  });
  return memberView(await loadMember(ctx, command.memberId));
}

export const membersRouter = router({
  /** Oldest first, keyset-paginated on (createdAt, id). */
  list: readerProcedure.input(MemberListInput).query(async ({ ctx, input }) => {
    const qb = queryBuilder(ctx.em, Member, 'm').where({ organization: ctx.organizationId });
    if (input.status) qb.andWhere({ status: input.status });
    if (input.search) {
      // Prefix matches on the lower-cased, indexed columns; externalId is case-sensitive and exact.
      const prefix = prefixPattern(input.search.toLowerCase());
      qb.andWhere(
        `(${likePrefixSql('m.email_lower')} or ${likePrefixSql('m.user_name_lower')} or m.external_id = ?)`,
        [prefix, prefix, input.search],
      );
    }
    if (input.cursor) qb.andWhere(createdAfter(decodePosition(input.cursor)));
    const rows = await qb
      .orderBy({ createdAt: 'asc', id: 'asc' })
      .limit(input.limit + 1)
      .getResultList();
    return toPage(rows, input.limit, (m) => encodePosition({ at: m.createdAt, id: m.id }), memberView);
  }),

  /** The member with its groups (first 100 by name) and its most recent audit events. */
  get: readerProcedure.input(MemberIdInput).query(async ({ ctx, input }) => {
    const member = await ctx.em.findOne(Member, { id: input.memberId, organization: ctx.organizationId });
    if (!member) throw notFound('Member not found.', { memberId: input.memberId });
    const [memberships, groupCount, events] = await Promise.all([
      ctx.em.find(
        GroupMembership,
        { member: member.id },
        { populate: ['group'], orderBy: { group: { displayNameLower: 'asc' } }, limit: GROUPS_SHOWN },
      ),
      ctx.em.count(GroupMembership, { member: member.id }),
      ctx.em.find(
        AuditEvent,
        { organization: ctx.organizationId, targetId: member.id },
        { orderBy: { id: 'desc' }, limit: RECENT_EVENTS },
      ),
    ]);
    return {
      member: memberView(member),
      groups: memberships.map((gm) => groupView(gm.group.getEntity())),
      groupCount,
      recentEvents: events.map(auditEventView),
    };
  }),

  setExternalId: adminProcedure.input(SetExternalIdInput).mutation(({ ctx, input }) =>
    changeMember(ctx, {
      kind: 'member.setExternalId',
      memberId: input.memberId,
      externalId: input.externalId,
    }),
  ),

  /** Revokes access (remembering the status); the last confirmed owner can't be revoked. */
  revoke: adminProcedure
    .input(MemberIdInput)
    .mutation(({ ctx, input }) => changeMember(ctx, { kind: 'member.revoke', memberId: input.memberId })),

  /** Returns to the remembered status; needs a free seat when that status takes one. */
  restore: adminProcedure
    .input(MemberIdInput)
    .mutation(({ ctx, input }) => changeMember(ctx, { kind: 'member.restore', memberId: input.memberId })),

  /** An accepted member becomes confirmed. */
  confirm: adminProcedure
    .input(MemberIdInput)
    .mutation(({ ctx, input }) => changeMember(ctx, { kind: 'member.confirm', memberId: input.memberId })),

  /** Removes the membership and its group memberships. */
  remove: adminProcedure.input(MemberIdInput).mutation(async ({ ctx, input }) => {
    const command = { kind: 'member.remove', memberId: input.memberId } as const;
    await applyAdminCommand(ctx, {
      organizationId: ctx.organizationId,
      actorId: ctx.principal.tokenId,
      command,
    });
    return { memberId: input.memberId, removed: true as const };
  }),
});
