// Root fields. Every one is scoped: organization(id) by the token's organization, the rest by
// an all-organization token.
import { canAccessOrganization } from '../../auth/admin-auth.js';
import { builder } from '../builder.js';
import { organizationById, organizationsConnection } from '../data/organizations.data.js';
import { organizationNotFound } from '../errors.js';
import { OrganizationRef } from './refs.js';

builder.queryType({
  fields: (t) => ({
    organization: t.field({
      type: OrganizationRef,
      nullable: true,
      description:
        'NOT_FOUND when the organization does not exist or the token does not cover it (same error).',
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_root, { id }, ctx) => {
        // Checked before the lookup, so another organization's id costs the same as a missing one.
        if (!canAccessOrganization(ctx.principal, id.toLowerCase())) throw organizationNotFound();
        const org = await organizationById(ctx.em, ctx.dialect, id);
        if (!org) throw organizationNotFound();
        return org;
      },
    }),
    organizations: t.connection(
      {
        type: OrganizationRef,
        description: 'Every organization, oldest first (all-organization tokens only).',
        authScopes: { allOrganizations: true },
        resolve: (_root, page, ctx) => organizationsConnection(ctx.em, ctx.dialect, page),
      },
      { name: 'OrganizationConnection' },
      { name: 'OrganizationEdge' },
    ),
  }),
});
