// Deterministic ids for write jobs. An IdP retry of the same request (same organization, method,
// path, body, and the target still at the same version) maps to the same id and so joins the job
// already queued or finished, instead of applying the write twice. A later, deliberate repeat
// (disable, enable, disable) sees a new target version and becomes a new job.
import { createHash } from 'node:crypto';

export interface WriteJobIdInput {
  organizationId: string;
  method: string;
  /** Request path as received. Case is significant (ids are case-sensitive); the query is dropped. */
  path: string;
  body?: unknown;
  /** The target resource's current version, or null (create, or target not found). */
  targetVersion: number | string | null;
}

export function writeJobId(input: WriteJobIdInput): string {
  const path = input.path.replace(/[?#].*$/s, '');
  // A JSON array as framing keeps fields unambiguous (no separator can be forged by a value).
  const material = JSON.stringify([
    input.organizationId,
    input.method.toUpperCase(),
    path,
    canonicalJson(input.body ?? null),
    input.targetVersion,
  ]);
  return `w-${createHash('sha256').update(material).digest('hex')}`;
}

/** JSON with object keys sorted recursively; array order is kept (it is significant). */
export function canonicalJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (isPlainObject(v) ? sortKeys(v) : v));
  // JSON.stringify(undefined) is undefined; an absent body and null hash the same.
  return text ?? 'null';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// fromEntries defines own properties, so a "__proto__" key in a parsed body stays data.
const sortKeys = (obj: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((key) => [key, obj[key]]),
  );

/** BullMQ custom ids may not contain ':' nor be digits only ("Custom Id cannot be integers"). */
export function assertValidJobId(id: string): void {
  if (id.length === 0 || id.includes(':') || /^\d+$/.test(id)) {
    throw new Error(`invalid job id ${JSON.stringify(id)}: must be non-empty, without ':', not digits only`);
  }
}
