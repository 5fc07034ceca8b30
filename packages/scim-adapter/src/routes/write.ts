// The one write path of the plugin, used by the single-resource routes and by /Bulk: validate,
// check existence and If-Match, then hand the write to the host's writer (the queue).
import { notFound } from '../errors.js';
import type { ScimPorts, ScimRequestContext, StoredResource, WriteRequest } from '../ports.js';
import { joinUrl } from '../schemas/base-url.js';
import { checkIfMatch } from './etag.js';
import { isUuid } from './ids.js';
import type { ResourceKind } from './resource-kind.js';

export type WriteMethod = WriteRequest['method'];

export interface WriteCommand {
  method: WriteMethod;
  /** Required except for POST. */
  id?: string;
  body?: unknown;
  /** An If-Match header value (or a Bulk operation's `version`). */
  ifMatch?: string;
}

export interface WriteDone {
  status: 200 | 201 | 204;
  id: string;
  location: string;
  /** The committed resource, when the writer returned it (all attributes, groups included). */
  stored?: StoredResource;
}

/** Same answer for a malformed and an unknown id: no oracle. */
export const resourceNotFound = (id: string) => notFound(`Resource ${id} not found.`);

/** Throws ScimError for every rejection: validation (400), 404, 412, and the writer's own errors. */
export async function executeWrite(
  ports: ScimPorts,
  ctx: ScimRequestContext,
  kind: ResourceKind,
  command: WriteCommand,
): Promise<WriteDone> {
  const { method } = command;
  const body =
    method === 'POST' || method === 'PUT'
      ? kind.normalizeResource(command.body)
      : method === 'PATCH'
        ? kind.normalizePatch(command.body)
        : undefined;

  const request: WriteRequest = { resource: kind.type, method, body, targetVersion: null };
  if (method !== 'POST') {
    const id = command.id ?? '';
    if (!isUuid(id)) throw resourceNotFound(id);
    const version = await kind.reader(ports).version(ctx, id);
    if (version === null) throw resourceNotFound(id);
    request.id = id;
    request.targetVersion = version;
    const ifMatch = checkIfMatch(command.ifMatch, version);
    if (ifMatch !== undefined) request.ifMatch = ifMatch;
  }

  const result = await ports.writer.write(ctx, request);
  if (result.kind === 'error') throw result.error;

  const id = result.id ?? request.id;
  if (id === undefined) throw new Error(`The writer returned no id for ${method} ${kind.endpoint}`);
  // POST may be answered 200 by the writer (e.g. an existing resource reactivated); else by method.
  const status = method === 'POST' ? (result.status === 200 ? 200 : 201) : method === 'DELETE' ? 204 : 200;
  const location = joinUrl(ctx.baseUrl, kind.endpoint, id);
  return { status, id, location, ...(result.stored ? { stored: result.stored } : {}) };
}
