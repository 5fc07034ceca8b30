// POST /.search at the root (RFC 7644 §3.4.3): Users and Groups in one index-paginated result.
import { invalidValue } from '../errors.js';
import { parseListParams, type ListParams } from '../list/list-params.js';
import { membershipAttribute } from '../list/list-query.js';
import { listResponse } from '../list/list-response.js';
import { applyProjection, needsAttribute, parseProjection } from '../list/projection.js';
import { filterForType } from '../list/root-filter.js';
import { searchAcross, type PageSource } from '../list/root-search.js';
import type { ListQuery, ScimPorts, ScimRequestContext } from '../ports.js';
import { resolveAttribute } from '../schemas/resolve.js';
import type { Endpoint } from './endpoint.js';
import { searchBody } from './list.js';
import type { ResourceKind } from './resource-kind.js';
import { groupKind } from './groups.routes.js';
import { userKind } from './users.routes.js';

const KINDS: readonly ResourceKind[] = [userKind, groupKind];

export function rootSearchEndpoint(ports: ScimPorts): Endpoint {
  return {
    create: async ({ ctx, body }) => {
      const params = parseListParams(searchBody(body), ports.limits);
      // A cursor over two stores would need a combined cursor format; index pagination only here.
      if (params.cursor !== undefined) throw invalidValue("'cursor' is not supported on the root /.search");
      const { sortBy } = params;
      if (sortBy !== undefined && !KINDS.some((kind) => resolveAttribute(kind.type, sortBy))) {
        throw invalidValue("'sortBy' names no User or Group attribute");
      }
      const sources = KINDS.map((kind) => source(ports, kind, ctx, params));
      const page = await searchAcross(sources, params.startIndex, params.count);
      return {
        status: 200,
        body: listResponse({
          totalResults: page.totalResults,
          startIndex: params.startIndex,
          resources: page.resources,
        }),
      };
    },
  };
}

function source(
  ports: ScimPorts,
  kind: ResourceKind,
  ctx: ScimRequestContext,
  params: ListParams,
): PageSource {
  const filter = params.filter === undefined ? true : filterForType(params.filter, kind.type);
  const projection = parseProjection(params.attributes, params.excludedAttributes, kind.type);
  return {
    list: async (startIndex, count) => {
      if (filter === false) return { totalResults: 0, resources: [] }; // nothing of this type can match
      const query: ListQuery = {
        startIndex,
        count,
        sortOrder: params.sortOrder,
        includeMembers: needsAttribute(projection, membershipAttribute(kind.type)),
      };
      if (filter !== true) query.filter = filter;
      // Sorting applies within each type; a sortBy one type lacks leaves that type unsorted.
      if (params.sortBy !== undefined && resolveAttribute(kind.type, params.sortBy)) {
        query.sortBy = params.sortBy;
      }
      const result = await kind.reader(ports).list(ctx, query);
      const resources = count === 0 ? [] : result.resources.slice(0, count);
      return {
        totalResults: result.totalResults,
        resources: resources.map((resource) => applyProjection(resource, projection, kind.type)),
      };
    },
  };
}
