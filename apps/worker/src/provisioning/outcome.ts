// Turning what went wrong into a job outcome, and deciding which failures an admin must see.
import { isDomainError } from '@repo/domain';
import type { WriteError } from '@repo/jobs';
import { ScimError } from '@repo/scim-adapter';

export interface Rejection {
  error: WriteError;
  /** Sync-failure code and a message a person can act on. */
  code: string;
  message: string;
}

/** A rejection is final: the same request would fail again. Anything else is null (retry/unexpected). */
export function rejectionOf(e: unknown): Rejection | null {
  if (isDomainError(e)) {
    const code = e.code === 'invalid_value' && e.details?.['unknownMemberIds'] ? 'unknown_members' : e.code;
    return {
      error: {
        source: 'domain',
        code: e.code,
        message: e.message,
        ...(e.details ? { details: e.details } : {}),
      },
      code,
      message: e.message,
    };
  }
  if (isDataError(e)) {
    // A value the database refuses (wrong type, out of range): retrying can't help.
    const message = 'The request contains a value that cannot be stored (wrong type or too long).';
    return { error: { source: 'domain', code: 'invalid_value', message }, code: 'invalid_value', message };
  }
  if (e instanceof ScimError) {
    return {
      error: {
        source: 'protocol',
        status: e.status,
        detail: e.detail,
        ...(e.scimType ? { scimType: e.scimType } : {}),
      },
      code: e.scimType ?? 'invalid_value',
      message: e.detail,
    };
  }
  return null;
}

/** Drops secrets (passwords) from a request before it is stored in a failure report. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, /^password$/i.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

/** SQLSTATE class 22 (data exception), e.g. invalid uuid text or a string too long for its column. */
function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}
