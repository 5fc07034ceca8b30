// The authenticated request context, kept beside the request rather than decorated onto it, so the
// host's FastifyRequest type stays untouched.
import type { FastifyRequest } from 'fastify';
import type { ScimRequestContext } from '../ports.js';

const contexts = new WeakMap<FastifyRequest, ScimRequestContext>();

export function setScimContext(request: FastifyRequest, ctx: ScimRequestContext): void {
  contexts.set(request, ctx);
}

export function scimContext(request: FastifyRequest): ScimRequestContext {
  const ctx = contexts.get(request);
  // Only reachable if a route skipped the auth hook: a bug, answered as a 500.
  if (!ctx) throw new Error('SCIM request context missing: the auth hook did not run');
  return ctx;
}
