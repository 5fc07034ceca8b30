// The one error mapping of the SCIM scope: everything leaves as a SCIM Error message (RFC 7644 §3.12).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { invalidSyntax, notFound, ScimError } from '../errors.js';

/** instanceof alone fails when two copies of this module are loaded (source vs. built). */
export function isScimError(error: unknown): error is ScimError {
  if (error instanceof ScimError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Partial<ScimError>;
  return (
    candidate.name === 'ScimError' &&
    typeof candidate.status === 'number' &&
    typeof candidate.toBody === 'function'
  );
}

export function createErrorHandler(maxPayloadBytes: number) {
  return function scimErrorHandler(
    error: FastifyError,
    request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply {
    const scim = toScimError(error, maxPayloadBytes);
    if (scim.status >= 500 && !isScimError(error)) {
      // The client gets no internals; the log has them, keyed by the request id it can quote.
      request.log.error({ err: error, requestId: request.id }, 'SCIM request failed');
    }
    return reply.code(scim.status).headers(scim.headers).send(scim.toBody());
  };
}

function toScimError(error: FastifyError, maxPayloadBytes: number): ScimError {
  if (isScimError(error)) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ScimError(
      413,
      `The request body exceeds the maximum payload size of ${maxPayloadBytes} bytes.`,
    );
  }
  if (error.validation !== undefined) return invalidSyntax(error.message);
  // Fastify's own request errors (bad Content-Length, media type, ...) carry safe messages.
  const status = error.statusCode ?? 500;
  if (error.code?.startsWith('FST_') && status >= 400 && status < 500) {
    return new ScimError(status, error.message, status === 400 ? 'invalidSyntax' : undefined);
  }
  return new ScimError(500, 'Internal error');
}

export function scimNotFoundHandler(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error = notFound('No SCIM endpoint at this URL.');
  return reply.code(404).send(error.toBody());
}
