// POST /Bulk (RFC 7644 §3.7). Each operation goes through executeWrite, the same path as the
// single-resource routes. Operations run in request order, except that one referring to a bulkId
// created later in the request waits for it (RFC 7644 §3.7.2 lets the server resolve such order).
import type { FastifyBaseLogger } from 'fastify';
import { ScimError } from '../errors.js';
import type { ScimPorts, ScimRequestContext } from '../ports.js';
import { joinUrl } from '../schemas/base-url.js';
import { parseBulkRequest, resolveReferences, type BulkOperation } from './bulk-request.js';
import type { Endpoint } from './endpoint.js';
import { isScimError } from './error-handler.js';
import { formatEtag } from './etag.js';
import { executeWrite } from './write.js';

export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

type OperationResult = Record<string, unknown>;

export function bulkEndpoint(ports: ScimPorts): Endpoint {
  return {
    create: async ({ ctx, body, log }) => {
      const request = parseBulkRequest(body, ports.limits.maxBulkOperations);
      const creators = new Map<string, BulkOperation>();
      for (const op of request.operations) {
        if (op.writeMethod === 'POST' && op.bulkId !== undefined && !op.error) creators.set(op.bulkId, op);
      }
      const created = new Map<string, string>();
      const results = new Map<number, OperationResult>();
      const pending = [...request.operations];
      let errors = 0;

      // failOnErrors: stop once that many operations have failed; the rest are not run or reported.
      while (pending.length > 0 && (request.failOnErrors === undefined || errors < request.failOnErrors)) {
        const waitsOnPending = (op: BulkOperation) =>
          [...op.references].some((ref) => {
            const creator = creators.get(ref);
            return creator !== undefined && pending.includes(creator);
          });
        const ready = pending.findIndex((op) => !waitsOnPending(op));
        // Every pending operation waits on another: a cycle. Fail the first to break it.
        const [op] = pending.splice(ready === -1 ? 0 : ready, 1);
        if (!op) break;
        const result = await runOperation(ports, ctx, op, created, ready === -1, log);
        if (result.failed) errors++;
        results.set(op.index, result.body);
      }

      const operations = [...results.entries()].sort(([a], [b]) => a - b).map(([, result]) => result);
      return { status: 200, body: { schemas: [BULK_RESPONSE_SCHEMA], Operations: operations } };
    },
  };
}

async function runOperation(
  ports: ScimPorts,
  ctx: ScimRequestContext,
  op: BulkOperation,
  created: Map<string, string>,
  circular: boolean,
  log: FastifyBaseLogger,
): Promise<{ failed: boolean; body: OperationResult }> {
  const head = { method: op.method, ...(op.bulkId === undefined ? {} : { bulkId: op.bulkId }) };
  let id: string | undefined;
  try {
    if (op.error) throw op.error;
    const { kind, writeMethod } = op;
    if (!kind || !writeMethod) throw new Error('bulk operation parsed without kind or method');
    if (circular) throw unresolvable('the bulkId references of this operation form a cycle');

    const resolvedId = op.id === undefined ? { value: undefined } : resolveReferences(op.id, created);
    const data = resolveReferences(op.data, created);
    if (!resolvedId || !data) throw unresolvable('it refers to a bulkId that was not created');
    id = typeof resolvedId.value === 'string' ? resolvedId.value : undefined;

    const done = await executeWrite(ports, ctx, kind, {
      method: writeMethod,
      id,
      body: data.value,
      ifMatch: op.version,
    });
    id = done.id;
    if (writeMethod === 'POST' && op.bulkId !== undefined) created.set(op.bulkId, done.id);
    const version =
      writeMethod === 'DELETE'
        ? null
        : (done.stored?.version ?? (await kind.reader(ports).version(ctx, done.id)));
    return {
      failed: false,
      body: {
        ...head,
        location: done.location,
        ...(version === null ? {} : { version: formatEtag(version) }),
        status: String(done.status),
      },
    };
  } catch (caught) {
    const error = isScimError(caught) ? caught : internalError(caught, log, ctx);
    const location =
      id !== undefined && op.kind ? { location: joinUrl(ctx.baseUrl, op.kind.endpoint, id) } : {};
    return {
      failed: true,
      body: { ...head, ...location, status: String(error.status), response: error.toBody() },
    };
  }
}

/** RFC 7644 §3.7.2: an unresolvable bulkId is 409 with invalidValue. */
const unresolvable = (why: string) => new ScimError(409, `The operation cannot run: ${why}.`, 'invalidValue');

function internalError(error: unknown, log: FastifyBaseLogger, ctx: ScimRequestContext): ScimError {
  log.error({ err: error, requestId: ctx.requestId }, 'SCIM bulk operation failed');
  return new ScimError(500, 'Internal error');
}
