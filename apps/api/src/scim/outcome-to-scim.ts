// The one mapping from job outcomes (domain and protocol rejections, queue states) to SCIM errors.
import type { ExecuteOutcome, WriteError } from '@repo/jobs';
import { ScimError, type ScimType, type WriteResult } from '@repo/scim-adapter';

const DOMAIN_TO_SCIM: Record<
  Extract<WriteError, { source: 'domain' }>['code'],
  [number, ScimType | undefined]
> = {
  conflict: [409, 'uniqueness'],
  not_found: [404, undefined],
  // Not a protocol error: the organization is out of seats. 403 tells the IdP not to retry blindly.
  seat_limit: [403, undefined],
  last_owner: [400, 'mutability'],
  invalid_value: [400, 'invalidValue'],
  precondition_failed: [412, undefined],
};

export function writeErrorToScim(error: WriteError): ScimError {
  if (error.source === 'protocol')
    return new ScimError(error.status, error.detail, error.scimType as ScimType | undefined);
  const [status, scimType] = DOMAIN_TO_SCIM[error.code];
  return new ScimError(status, error.message, scimType);
}

const retryAfter = (seconds: number) => ({ 'Retry-After': String(seconds) });

export function executeOutcomeToWriteResult(outcome: ExecuteOutcome<'scim.write'>): WriteResult {
  switch (outcome.kind) {
    case 'done': {
      const r = outcome.result;
      if (r.ok) return { kind: 'ok', status: r.status, id: r.id };
      return { kind: 'error', error: writeErrorToScim(r.error) };
    }
    case 'failed':
      return {
        kind: 'error',
        error: new ScimError(500, 'The change could not be applied; it is recorded as a sync failure.'),
      };
    case 'timeout':
      return {
        kind: 'error',
        error: new ScimError(
          503,
          'The change is still being applied; retry the same request to get its outcome.',
          undefined,
          retryAfter(outcome.retryAfterSeconds),
        ),
      };
    case 'busy':
      return {
        kind: 'error',
        error: new ScimError(
          429,
          'Too many changes are pending for this organization; retry later.',
          undefined,
          retryAfter(outcome.retryAfterSeconds),
        ),
      };
    case 'unavailable':
      return {
        kind: 'error',
        error: new ScimError(
          503,
          'The provisioning queue is unavailable; retry later.',
          undefined,
          retryAfter(outcome.retryAfterSeconds),
        ),
      };
  }
}
