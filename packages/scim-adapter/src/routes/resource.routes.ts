// /Users and /Groups: list, .search, read, create, replace, patch, delete. Reads go to the host's
// reader; writes go through executeWrite and are answered with the committed state: as the writer
// returned it, or else read back.
import { applyProjection, needsAttribute, parseProjection, type Projection } from '../list/projection.js';
import { listParam, type RawParams } from '../list/params.js';
import { membershipAttribute } from '../list/list-query.js';
import type { ScimPorts } from '../ports.js';
import { header, type Endpoint, type ScimCall, type ScimReply } from './endpoint.js';
import { etagMatches, formatEtag } from './etag.js';
import { isUuid } from './ids.js';
import { listResources, searchBody } from './list.js';
import type { ResourceKind } from './resource-kind.js';
import { executeWrite, resourceNotFound, type WriteMethod } from './write.js';

export function resourceEndpoint(kind: ResourceKind, ports: ScimPorts): Endpoint {
  const write = (method: WriteMethod) => (call: ScimCall) => writeAndRespond(ports, kind, method, call);
  return {
    list: (call) => listResources(ports, kind, call.ctx, call.query),
    search: (call) => listResources(ports, kind, call.ctx, searchBody(call.body)),
    get: (call) => getResource(ports, kind, call),
    create: write('POST'),
    replace: write('PUT'),
    patch: write('PATCH'),
    delete: write('DELETE'),
  };
}

/** attributes / excludedAttributes from the query string (RFC 7644 §3.9: also on write responses). */
function projectionOf(call: ScimCall, kind: ResourceKind): Projection {
  const query: RawParams = call.query;
  return parseProjection(listParam(query, 'attributes'), listParam(query, 'excludedAttributes'), kind.type);
}

async function getResource(ports: ScimPorts, kind: ResourceKind, call: ScimCall): Promise<ScimReply> {
  const id = call.id ?? '';
  const projection = projectionOf(call, kind);
  if (!isUuid(id)) throw resourceNotFound(id);
  const includeMembers = needsAttribute(projection, membershipAttribute(kind.type));
  const stored = await kind.reader(ports).get(call.ctx, id, { includeMembers });
  if (!stored) throw resourceNotFound(id);

  const etag = formatEtag(stored.version);
  const ifNoneMatch = header(call, 'if-none-match');
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, stored.version)) {
    return { status: 304, headers: { ETag: etag } };
  }
  return {
    status: 200,
    body: applyProjection(stored.resource, projection, kind.type),
    headers: { ETag: etag },
  };
}

async function writeAndRespond(
  ports: ScimPorts,
  kind: ResourceKind,
  method: WriteMethod,
  call: ScimCall,
): Promise<ScimReply> {
  const projection = projectionOf(call, kind); // a bad attributes list is a 400 before writing
  const done = await executeWrite(ports, call.ctx, kind, {
    method,
    id: call.id,
    body: call.body,
    ifMatch: header(call, 'if-match'),
  });

  if (method === 'DELETE') return { status: 204 };
  // RFC 7644 §3.5.2: with `attributes` the client asked for a body, so Groups answer 200 then too.
  const wantsBody =
    method !== 'PATCH' || kind.patchReturnsResource || listParam(call.query, 'attributes') !== undefined;
  if (!wantsBody) return { status: 204 };

  const includeMembers = needsAttribute(projection, membershipAttribute(kind.type));
  const stored = done.stored ?? (await kind.reader(ports).get(call.ctx, done.id, { includeMembers }));
  // Deleted by a concurrent request between the write and the read.
  if (!stored) throw resourceNotFound(done.id);
  return {
    status: done.status,
    body: applyProjection(stored.resource, projection, kind.type),
    headers: {
      ...(method === 'POST' ? { Location: done.location } : {}),
      ETag: formatEtag(stored.version),
    },
  };
}
