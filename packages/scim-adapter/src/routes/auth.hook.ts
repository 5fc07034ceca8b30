// Per-organization API key authentication. Every failure — no key, malformed or unknown
// organization, wrong key, SCIM disabled — gets the same 401, so nothing leaks about which it was.
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { ScimError } from '../errors.js';
import type { ScimPorts, ScimRequestContext } from '../ports.js';
import { detectClient } from './client-detect.js';
import { setScimContext } from './context.js';
import { isUuid } from './ids.js';

export const unauthorized = (): ScimError =>
  new ScimError(401, 'Invalid or missing SCIM API key.', undefined, { 'WWW-Authenticate': 'Bearer' });

/** `Bearer <key>` (scheme case-insensitive) or the bare key, as Bitwarden accepts both. */
export function apiKeyOf(authorization: string | undefined): string | undefined {
  const value = authorization?.trim() ?? '';
  const key = /^bearer(?:\s+|$)/i.test(value) ? value.replace(/^bearer\s*/i, '') : value;
  return key === '' ? undefined : key;
}

export function createAuthHook(ports: ScimPorts, prefix: string): onRequestAsyncHookHandler {
  return async function scimAuth(request: FastifyRequest): Promise<void> {
    // The not-found handler answers 404 for URLs of no known shape; there is nothing to protect.
    if (request.is404) return;
    const { organizationId } = request.params as { organizationId?: string };
    const key = apiKeyOf(request.headers.authorization);
    // Only a well-formed id reaches the authenticator (and its database).
    if (key === undefined || !isUuid(organizationId)) throw unauthorized();
    const orgId = organizationId.toLowerCase();
    if (!(await ports.auth.authenticate(orgId, key))) throw unauthorized();

    const query = (request.query ?? {}) as Record<string, unknown>;
    const ctx: ScimRequestContext = {
      organizationId: orgId,
      requestId: request.id,
      baseUrl: `${request.protocol}://${request.host}${prefix}/${orgId}`,
      client: detectClient(request.headers, query),
    };
    setScimContext(request, ctx);
    try {
      ports.onAuthenticated?.(ctx, request.headers['user-agent']);
    } catch (error) {
      // Bookkeeping must never turn a valid request into an error.
      request.log.warn({ err: error, requestId: request.id }, 'SCIM onAuthenticated hook failed');
    }
  };
}
