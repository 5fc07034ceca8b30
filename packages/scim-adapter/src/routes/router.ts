// Case-insensitive dispatch (`/users` works: Microsoft's Postman collection sends it) without
// depending on the host's router options: the plugin routes /:endpoint[/:id] and looks the
// endpoint name up here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound, ScimError } from '../errors.js';
import { scimContext } from './context.js';
import type { Endpoint, Operation, ScimCall, ScimReply } from './endpoint.js';

/** Endpoints by lower-cased name ('users', 'serviceproviderconfig', '.search', ...). */
export type EndpointTable = ReadonlyMap<string, Endpoint>;

type Shape = Readonly<Partial<Record<string, Operation>>>;

const COLLECTION: Shape = { GET: 'list', HEAD: 'list', POST: 'create' };
const SEARCH: Shape = { POST: 'search' };
const MEMBER: Shape = { GET: 'get', HEAD: 'get', PUT: 'replace', PATCH: 'patch', DELETE: 'delete' };

const endpointNotFound = (): ScimError => notFound('No SCIM endpoint at this URL.');

export function createDispatcher(table: EndpointTable) {
  return async function dispatch(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const { endpoint: name, id: rawId } = request.params as { endpoint: string; id?: string };
    const endpoint = table.get(name.toLowerCase());
    if (!endpoint) throw endpointNotFound();

    // A trailing slash (`/Users/?filter=...`, sent by the Postman collection) means the collection.
    const id = rawId === '' ? undefined : rawId;
    const shape = id === undefined ? COLLECTION : id.toLowerCase() === '.search' ? SEARCH : MEMBER;
    const operation = shape[request.method];
    const handler = operation === undefined ? undefined : endpoint[operation];
    if (!handler) throw methodNotAllowed(request.method, shape, endpoint);

    const call: ScimCall = {
      ctx: scimContext(request),
      query: (request.query ?? {}) as Record<string, unknown>,
      body: request.body,
      headers: request.headers,
      log: request.log,
    };
    if (id !== undefined && shape === MEMBER) call.id = id;
    return send(reply, await handler(call));
  };
}

/** 405 with Allow when the URL exists for other methods; 404 when it exists for none. */
function methodNotAllowed(method: string, shape: Shape, endpoint: Endpoint): ScimError {
  const allowed = Object.entries(shape)
    .filter(([verb, op]) => verb !== 'HEAD' && op !== undefined && endpoint[op] !== undefined)
    .map(([verb]) => verb);
  if (allowed.length === 0) return endpointNotFound();
  return new ScimError(405, `${method} is not supported on this URL.`, undefined, {
    Allow: allowed.join(', '),
  });
}

function send(reply: FastifyReply, result: ScimReply): FastifyReply {
  void reply.code(result.status).headers(result.headers ?? {});
  return result.body === undefined ? reply.send() : reply.send(result.body);
}
