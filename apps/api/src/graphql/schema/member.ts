// Member, its groups (batched: one statement per page of members) and its audit trail.
import { memberAuditEvents } from '../data/audit-events.data.js';
import { groupsOfMembers } from '../data/groups.data.js';
import { costs } from '../limits.js';
import { MemberRoleEnum, MemberStatusEnum } from './enums.js';
import { AuditEventRef, GroupRef, MemberRef } from './refs.js';

MemberRef.implement({
  authScopes: (member) => ({ organization: member.organizationId }),
  fields: (t) => ({
    id: t.exposeID('id'),
    userName: t.exposeString('userName'),
    email: t.exposeString('email', { nullable: true }),
    displayName: t.exposeString('displayName', { nullable: true }),
    givenName: t.exposeString('givenName', { nullable: true }),
    familyName: t.exposeString('familyName', { nullable: true }),
    externalId: t.exposeString('externalId', { nullable: true }),
    status: t.expose('status', { type: MemberStatusEnum }),
    role: t.expose('role', { type: MemberRoleEnum }),
    scimManaged: t.exposeBoolean('scimManaged', {
      description: 'Provisioned (or linked) by the identity provider.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the member was provisioned.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),

    groups: t.loadableList({
      type: GroupRef,
      description: 'Groups the member belongs to, by display name.',
      // Every Member.groups in the response joins one dataloader batch: one `member_id in (…)` query.
      load: async (memberIds: string[], ctx) => {
        const byMember = await groupsOfMembers(ctx.em, ctx.dialect, memberIds);
        return memberIds.map((id) => byMember.get(id) ?? []);
      },
      loaderOptions: { maxBatchSize: 1000 },
      resolve: (member) => member.id,
      ...costs({ listSize: 10 }),
    }),

    auditEvents: t.connection(
      {
        type: AuditEventRef,
        description: 'Audit events about this member, newest first.',
        // One statement per member: listing it under a page of members is priced accordingly.
        ...costs({ cost: 10 }),
        resolve: (member, page, ctx) => memberAuditEvents(ctx.em, ctx.dialect, member, page),
      },
      { name: 'AuditEventConnection' },
      { name: 'AuditEventEdge' },
    ),
  }),
});
