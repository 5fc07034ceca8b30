// Pure rules for sync failures: identity (fingerprint), input hygiene, advice and totals.
import { createHash } from 'node:crypto';

export const SyncFailureResourceTypes = ['User', 'Group', 'Member', 'Organization'] as const;
export type SyncFailureResourceType = (typeof SyncFailureResourceTypes)[number];

export interface SyncFailureInput {
  resourceType: SyncFailureResourceType;
  /** e.g. create, update, patch, delete, add_members */
  operation: string;
  /** What the admin recognises: userName, externalId, displayName or id. */
  target: string;
  /** seat_limit, conflict, unknown_members, invalid_value, last_owner, not_found, retries_exhausted, … */
  code: string;
  /** A sentence a person understands, ideally with what to do. */
  message: string;
  request: Record<string, unknown> | null;
  attempts: number;
}

// Column sizes of sync_failure; longer values are cut rather than failing the recording.
const LIMITS = { operation: 40, target: 300, code: 40, message: 4000 } as const;
/** A request larger than this is replaced by its top-level keys (reports stay small). */
const MAX_REQUEST_JSON = 16_384;
const MAX_DEPTH = 8;

/**
 * The same problem (what, how, on whom, why) is one record counted by occurrences. JSON keeps the
 * parts apart, so a `|` inside a userName cannot make two different failures collide.
 */
export function failureFingerprint(
  f: Pick<SyncFailureInput, 'resourceType' | 'operation' | 'target' | 'code'>,
): string {
  return createHash('sha256')
    .update(JSON.stringify([f.resourceType, f.operation, f.target, f.code]), 'utf8')
    .digest('hex');
}

const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|credential|private[-_]?key|cookie/i;

/** Replaces values under secret-looking keys, at any depth, with "[redacted]". */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v, depth + 1),
      ]),
    );
  }
  return value;
}

export function cleanRequest(request: Record<string, unknown> | null): Record<string, unknown> | null {
  if (request === null) return null;
  const redacted = redactSecrets(request) as Record<string, unknown>;
  if (JSON.stringify(redacted).length <= MAX_REQUEST_JSON) return redacted;
  return { truncated: true, keys: Object.keys(redacted).slice(0, 50) };
}

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Clips each field to its column and removes secrets; the fingerprint is taken afterwards. */
export function normalizeFailureInput(input: SyncFailureInput): SyncFailureInput {
  return {
    resourceType: input.resourceType,
    operation: clip(input.operation.trim() || 'unknown', LIMITS.operation),
    target: clip(input.target.trim() || '(none)', LIMITS.target),
    code: clip(input.code.trim() || 'unknown', LIMITS.code),
    message: clip(input.message.trim() || 'The change could not be applied.', LIMITS.message),
    request: cleanRequest(input.request),
    attempts: Number.isInteger(input.attempts) && input.attempts > 0 ? input.attempts : 1,
  };
}

const ADVICE: Record<string, string> = {
  seat_limit:
    "Raise the organization's seat limit, or revoke members who no longer need access; the next attempt from your identity provider then succeeds.",
  conflict:
    'Another member or group already uses this userName, externalId or displayName. Check the attribute mapping in your identity provider for duplicates.',
  unknown_members:
    'The group lists users that are not provisioned here. Assign and provision those users in your identity provider before adding them to groups.',
  invalid_value:
    'Your identity provider sent a value this service cannot accept. Correct the attribute or its mapping in the identity provider.',
  last_owner: 'The last confirmed owner cannot be revoked or removed. Promote another member to owner first.',
  not_found:
    'The user or group does not exist here (any more). Restart provisioning for it in your identity provider so it is created again.',
  precondition_failed:
    'The resource changed while the request was processed; the next provisioning cycle normally applies it.',
  retries_exhausted:
    'The service could not apply the change after several attempts (the database or a dependency was unavailable). Check the service status; your identity provider retries on its next cycle.',
};
const DEFAULT_ADVICE =
  'Check the message and the request in the sync failure report; contact support if it persists.';

export const adviceFor = (code: string): string => ADVICE[code] ?? DEFAULT_ADVICE;

const LABELS: Record<string, string> = {
  seat_limit: 'seat limit reached',
  conflict: 'already exists',
  unknown_members: 'unknown group members',
  invalid_value: 'invalid value',
  last_owner: 'last owner protected',
  not_found: 'not found',
  precondition_failed: 'changed concurrently',
  retries_exhausted: 'retries exhausted',
};
export const codeLabel = (code: string): string => LABELS[code] ?? code.replace(/_/g, ' ');

/** 1234 → "1,234": a fixed locale so e-mails read the same on every server. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** Counts per code that are in the totals but not among the listed lines (for "and N more: …"). */
export function unlistedByCode(
  totalByCode: Readonly<Record<string, number>>,
  listedCodes: readonly string[],
): Record<string, number> {
  const rest: Record<string, number> = { ...totalByCode };
  for (const code of listedCodes) rest[code] = (rest[code] ?? 0) - 1;
  return Object.fromEntries(Object.entries(rest).filter(([, n]) => n > 0));
}

/** "900 seat_limit, 334 conflict" — largest first, then by code for a stable order. */
export function describeByCode(byCode: Readonly<Record<string, number>>): string {
  return Object.entries(byCode)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([code, n]) => `${formatCount(n)} ${code}`)
    .join(', ');
}

/** Header-safe single line (no CR/LF or other control characters), cut to the subject column. */
export function subjectLine(s: string, max = 300): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const oneLine = s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return clip(oneLine.replace(/\s+/g, ' ').trim(), max);
}
