// What an endpoint handler sees and returns. Handlers return plain replies, so the dispatcher alone
// talks to Fastify's reply and Bulk can reuse the write path.
import type { FastifyBaseLogger } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { ScimRequestContext } from '../ports.js';

export interface ScimCall {
  ctx: ScimRequestContext;
  /** Query string parameters, names as sent. */
  query: Record<string, unknown>;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The path segment after the endpoint name (a resource id, a schema URN); undefined on the collection. */
  id?: string;
  log: FastifyBaseLogger;
}

export interface ScimReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * list: GET /X · create: POST /X · search: POST /X/.search ·
 * get / replace / patch / delete: GET / PUT / PATCH / DELETE /X/{id}
 */
export type Operation = 'list' | 'create' | 'search' | 'get' | 'replace' | 'patch' | 'delete';

export type ScimHandler = (call: ScimCall) => Promise<ScimReply>;

export type Endpoint = Partial<Record<Operation, ScimHandler>>;

/** Header lookup for single-valued request headers (Node joins or drops duplicates). */
export function header(call: ScimCall, name: string): string | undefined {
  const value = call.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
