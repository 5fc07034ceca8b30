// Organization and what hangs off it directly: members, groups, sync failures (reports live in
// their own modules). Every nested query is scoped by the organization's id.
import { groupById, groupsConnection } from '../data/groups.data.js';
import { memberById, membersConnection } from '../data/members.data.js';
import { syncFailuresConnection } from '../data/sync-failures.data.js';
import { ProvisionModeEnum } from './enums.js';
import { MemberFilterInput, SyncFailureFilterInput } from './inputs.js';
import { GroupRef, MemberConnectionRef, MemberRef, OrganizationRef, SyncFailureRef } from './refs.js';

OrganizationRef.implement({
  // Checked for every Organization object, however it was reached.
  authScopes: (org) => ({ organization: org.id }),
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    seats: t.exposeInt('seats', { nullable: true, description: 'Seat limit; null means unlimited.' }),
    scimEnabled: t.exposeBoolean('scimEnabled'),
    provisionMode: t.expose('provisionMode', { type: ProvisionModeEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastScimRequestAt: t.expose('lastScimRequestAt', { type: 'DateTime', nullable: true }),
    lastScimClient: t.exposeString('lastScimClient', { nullable: true }),

    members: t.connection(
      {
        type: MemberRef,
        description: 'Members in provisioning order (oldest first).',
        args: { filter: t.arg({ type: MemberFilterInput, required: false }) },
        resolve: (org, { filter, ...page }, ctx) =>
          membersConnection(ctx.em, ctx.dialect, org.id, filter ?? {}, page),
      },
      MemberConnectionRef,
    ),
    member: t.field({
      type: MemberRef,
      nullable: true,
      description: 'A member of this organization; null when there is none with this id.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (org, { id }, ctx) => memberById(ctx.em, ctx.dialect, org.id, id),
    }),

    groups: t.connection(
      {
        type: GroupRef,
        description: 'Groups by display name.',
        args: {
          search: t.arg.string({ required: false, description: 'Case-insensitive display name prefix.' }),
        },
        resolve: (org, { search, ...page }, ctx) =>
          groupsConnection(ctx.em, ctx.dialect, org.id, { search }, page),
      },
      { name: 'GroupConnection' },
      { name: 'GroupEdge' },
    ),
    group: t.field({
      type: GroupRef,
      nullable: true,
      description: 'A group of this organization; null when there is none with this id.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (org, { id }, ctx) => groupById(ctx.em, ctx.dialect, org.id, id),
    }),

    syncFailures: t.connection(
      {
        type: SyncFailureRef,
        description: 'Sync failures, most recently seen first.',
        args: { filter: t.arg({ type: SyncFailureFilterInput, required: false }) },
        resolve: (org, { filter, ...page }, ctx) =>
          syncFailuresConnection(ctx.em, ctx.dialect, org.id, filter ?? {}, page),
      },
      { name: 'SyncFailureConnection' },
      { name: 'SyncFailureEdge' },
    ),
  }),
});
