// GET /Users, GET /Groups and their POST .search twins (RFC 7644 §3.4.2, §3.4.3).
import { invalidSyntax } from '../errors.js';
import { parseListParams } from '../list/list-params.js';
import { toListQuery } from '../list/list-query.js';
import { listResponse } from '../list/list-response.js';
import type { RawParams } from '../list/params.js';
import { applyProjection } from '../list/projection.js';
import type { ScimPorts, ScimRequestContext } from '../ports.js';
import { getIgnoreCase, isPlainObject } from '../schemas/json.js';
import type { ScimReply } from './endpoint.js';
import type { ResourceKind } from './resource-kind.js';

export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

export async function listResources(
  ports: ScimPorts,
  kind: ResourceKind,
  ctx: ScimRequestContext,
  raw: RawParams,
): Promise<ScimReply> {
  const { query, projection } = toListQuery(parseListParams(raw, ports.limits), kind.type);
  const result = await kind.reader(ports).list(ctx, query);
  // count=0 asks for the total only, whatever the store returned.
  const resources = query.count === 0 ? [] : result.resources.slice(0, query.count);
  const body = listResponse({
    totalResults: result.totalResults,
    resources: resources.map((resource) => applyProjection(resource, projection, kind.type)),
    ...(query.cursor === undefined ? { startIndex: query.startIndex } : {}),
    ...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor }),
  });
  return { status: 200, body };
}

/** A SearchRequest body: the list parameters as JSON members. `schemas` may be omitted, not wrong. */
export function searchBody(body: unknown): RawParams {
  if (!isPlainObject(body)) throw invalidSyntax('The SearchRequest body must be a JSON object');
  const schemas = getIgnoreCase(body, 'schemas');
  if (schemas !== undefined) {
    const list: unknown[] = Array.isArray(schemas) ? schemas : [schemas];
    if (!list.some((s) => typeof s === 'string' && s.toLowerCase() === SEARCH_REQUEST_SCHEMA.toLowerCase())) {
      throw invalidSyntax(`The SearchRequest body's schemas must contain '${SEARCH_REQUEST_SCHEMA}'`);
    }
  }
  return body;
}
