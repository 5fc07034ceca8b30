// Ties generic list parameters to one resource type: validates sortBy, builds the projection and
// decides whether the store must load memberships.
import { invalidValue } from '../errors.js';
import { printAttrPath } from '../filter/index.js';
import type { ListQuery, ResourceType } from '../ports.js';
import { resolveAttribute } from '../schemas/resolve.js';
import type { ListParams } from './list-params.js';
import { needsAttribute, parseProjection, type Projection } from './projection.js';

export interface TypedListQuery {
  query: ListQuery;
  projection: Projection;
}

/** The attribute a store may skip loading: Group.members, User.groups. */
export const membershipAttribute = (type: ResourceType): string => (type === 'Group' ? 'members' : 'groups');

export function toListQuery(params: ListParams, type: ResourceType): TypedListQuery {
  if (params.sortBy !== undefined && !resolveAttribute(type, params.sortBy)) {
    throw invalidValue(`'sortBy' names no ${type} attribute: '${printAttrPath(params.sortBy)}'`);
  }
  const projection = parseProjection(params.attributes, params.excludedAttributes, type);
  const query: ListQuery = {
    startIndex: params.startIndex,
    count: params.count,
    sortOrder: params.sortOrder,
    includeMembers: needsAttribute(projection, membershipAttribute(type)),
  };
  if (params.filter !== undefined) query.filter = params.filter;
  if (params.sortBy !== undefined) query.sortBy = params.sortBy;
  if (params.cursor !== undefined) query.cursor = params.cursor;
  return { query, projection };
}
