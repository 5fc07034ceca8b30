// Group and its members (a keyset page of the organization's members filtered by the group).
import { membersConnection } from '../data/members.data.js';
import { costs } from '../limits.js';
import { GroupRef, MemberConnectionRef, MemberRef } from './refs.js';

GroupRef.implement({
  authScopes: (group) => ({ organization: group.organizationId }),
  fields: (t) => ({
    id: t.exposeID('id'),
    displayName: t.exposeString('displayName'),
    externalId: t.exposeString('externalId', { nullable: true }),
    memberCount: t.exposeInt('memberCount', {
      description: 'Maintained on every membership change; not counted per request.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    members: t.connection(
      {
        type: MemberRef,
        description: 'Members of the group in provisioning order.',
        // One statement per group: nested under a page of groups it is priced accordingly.
        ...costs({ cost: 10 }),
        resolve: (group, page, ctx) =>
          membersConnection(ctx.em, ctx.dialect, group.organizationId, { groupId: group.id }, page),
      },
      MemberConnectionRef,
    ),
  }),
});
