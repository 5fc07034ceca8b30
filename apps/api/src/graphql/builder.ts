// The one Pothos builder. Plugin order matters: scope-auth first, so no other plugin's resolver
// wrapper (dataloader, relay) runs before the authorization check.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import { canAccessOrganization } from '../auth/admin-auth.js';
import type { GraphQLContext } from './context.js';
import { allOrganizationsRequired, organizationNotFound } from './errors.js';

export interface AuthScopes {
  /** The token covers every organization (internal dashboards). */
  allOrganizations: boolean;
  /** The token covers this organization id. */
  organization: string;
}

function needsAllOrganizations(failure: AuthFailure): boolean {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return failure.scope === 'allOrganizations';
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.some(needsAllOrganizations);
    case AuthScopeFailureType.AuthScopeFunction:
    case AuthScopeFailureType.GrantedScope:
    case AuthScopeFailureType.Unknown:
      return false;
  }
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Connection: { totalCount: () => Promise<number> };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      allOrganizations: ctx.principal.organizationId === null,
      organization: (organizationId) => canAccessOrganization(ctx.principal, organizationId),
    }),
    // Another organization's data answers exactly like a missing organization: no oracle.
    unauthorizedError: (_parent, _ctx, _info, result) =>
      needsAllOrganizations(result.failure) ? allOrganizationsRequired() : organizationNotFound(),
  },
  relay: {
    // Plain UUID ids, not Relay global ids: no root node/nodes lookup to secure twice.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
});
