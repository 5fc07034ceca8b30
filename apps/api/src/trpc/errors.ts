// The ONE mapping from what can go wrong behind a procedure to tRPC error codes:
// domain rejections (thrown by services, or returned by the worker as a WriteOutcome), protocol
// rejections of a replayed SCIM request, and the queue's states (failed, timeout, busy, unavailable).
//
//   not_found → NOT_FOUND          conflict → CONFLICT            invalid_value → BAD_REQUEST
//   seat_limit, last_owner, precondition_failed → PRECONDITION_FAILED
//     (the organization's state, not the input, blocks the change; `data.reason` tells which)
//   job failed → INTERNAL_SERVER_ERROR   timeout, unavailable → SERVICE_UNAVAILABLE (503, retryable)
//   busy → TOO_MANY_REQUESTS
//
// Every error carries `data.reason` (a stable lower-case code) and, where it applies,
// `data.retryAfterSeconds` and `data.details`, added by the error formatter in trpc.ts.
import { isDomainError, type DomainError, type DomainErrorCode } from '@repo/domain';
import type { ExecuteOutcome, WriteError, WriteOutcome } from '@repo/jobs';
import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE,
  isDatabaseUnavailable,
} from '../db-unavailable.js';

const DOMAIN_TO_TRPC: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  invalid_value: 'BAD_REQUEST',
  // Out of seats is not bad input and not an authorization matter: raise seats or revoke members.
  seat_limit: 'PRECONDITION_FAILED',
  last_owner: 'PRECONDITION_FAILED',
  precondition_failed: 'PRECONDITION_FAILED',
};

/** Extra facts for the client, exposed in the error's `data` by the formatter. */
export interface ErrorHints {
  reason: string;
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
}

/** The cause attached to every TRPCError built here; the formatter reads its hints. */
export class HintedCause extends Error {
  override readonly name = 'HintedCause';

  constructor(
    message: string,
    readonly hints: ErrorHints,
  ) {
    super(message);
  }
}

export function trpcError(code: TRPC_ERROR_CODE_KEY, message: string, hints: ErrorHints): TRPCError {
  return new TRPCError({ code, message, cause: new HintedCause(message, hints) });
}

export function domainErrorToTrpc(e: DomainError): TRPCError {
  return trpcError(DOMAIN_TO_TRPC[e.code], e.message, {
    reason: e.code,
    ...(e.details ? { details: e.details } : {}),
  });
}

export const databaseUnavailable = (): TRPCError =>
  trpcError('SERVICE_UNAVAILABLE', DATABASE_UNAVAILABLE, {
    reason: 'database_unavailable',
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  });

/** A known failure as a TRPCError, or null for anything unexpected (left as INTERNAL_SERVER_ERROR). */
export function toTrpcError(e: unknown): TRPCError | null {
  if (isDomainError(e)) return domainErrorToTrpc(e);
  return isDatabaseUnavailable(e) ? databaseUnavailable() : null;
}

const PROTOCOL_TO_TRPC: Partial<Record<number, TRPC_ERROR_CODE_KEY>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
};

export function writeErrorToTrpc(error: WriteError): TRPCError {
  if (error.source === 'domain') {
    return trpcError(DOMAIN_TO_TRPC[error.code], error.message, {
      reason: error.code,
      ...(error.details ? { details: error.details } : {}),
    });
  }
  const code =
    PROTOCOL_TO_TRPC[error.status] ?? (error.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
  return trpcError(code, error.detail, { reason: error.scimType ?? `http_${error.status}` });
}

export type AppliedWrite = WriteOutcome & { ok: true };

/** What the queue said, as the applied write or a thrown TRPCError. */
export function settledOutcome(outcome: ExecuteOutcome<'admin.write'>): WriteOutcome {
  switch (outcome.kind) {
    case 'done':
      return outcome.result;
    case 'failed':
      throw trpcError(
        'INTERNAL_SERVER_ERROR',
        'The change could not be applied after several attempts; try again later.',
        {
          reason: 'job_failed',
        },
      );
    case 'timeout':
      throw trpcError(
        'SERVICE_UNAVAILABLE',
        'The change is still being applied. Reload to see it, or repeat the call with the same x-request-id header to get its outcome.',
        { reason: 'timeout', retryAfterSeconds: outcome.retryAfterSeconds },
      );
    case 'busy':
      throw trpcError(
        'TOO_MANY_REQUESTS',
        `Too many changes are pending for this organization; retry in ${outcome.retryAfterSeconds} s.`,
        { reason: 'busy', retryAfterSeconds: outcome.retryAfterSeconds },
      );
    case 'unavailable':
      throw trpcError('SERVICE_UNAVAILABLE', 'The provisioning queue is unavailable; retry later.', {
        reason: 'queue_unavailable',
        retryAfterSeconds: outcome.retryAfterSeconds,
      });
  }
}

/** The applied write, or the rejection as a TRPCError. */
export function appliedOrThrow(outcome: ExecuteOutcome<'admin.write'>): AppliedWrite {
  const result = settledOutcome(outcome);
  if (!result.ok) throw writeErrorToTrpc(result.error);
  return result;
}
