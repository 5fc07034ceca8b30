// BulkRequest parsing (RFC 7644 §3.7). Request-level faults reject the whole request; a malformed
// operation only fails itself, as the others may still run.
import { invalidSyntax, invalidValue, ScimError } from '../errors.js';
import { getIgnoreCase, isPlainObject } from '../schemas/json.js';
import { groupKind } from './groups.routes.js';
import type { ResourceKind } from './resource-kind.js';
import { userKind } from './users.routes.js';
import type { WriteMethod } from './write.js';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

export interface BulkOperation {
  /** Position in the request; the response keeps request order. */
  index: number;
  /** As sent, upper-cased, for the response. */
  method: string;
  bulkId?: string;
  kind?: ResourceKind;
  writeMethod?: WriteMethod;
  /** The id from the path; may be a `bulkId:` reference. */
  id?: string;
  /** RFC 7644 §3.7: the version a PUT/PATCH/DELETE expects (an If-Match value). */
  version?: string;
  data?: unknown;
  /** bulkIds referenced from the path or the data. */
  references: Set<string>;
  /** A malformed operation fails with this error without running. */
  error?: ScimError;
}

export interface BulkRequest {
  failOnErrors?: number;
  operations: BulkOperation[];
}

const BULK_REFERENCE = /^bulkId:(.+)$/;
const WRITE_METHODS: readonly WriteMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
const KINDS: readonly ResourceKind[] = [userKind, groupKind];

export function parseBulkRequest(body: unknown, maxOperations: number): BulkRequest {
  if (!isPlainObject(body)) throw invalidSyntax('The BulkRequest body must be a JSON object');
  const schemas = getIgnoreCase(body, 'schemas');
  if (schemas !== undefined) {
    const list: unknown[] = Array.isArray(schemas) ? schemas : [schemas];
    if (!list.some((s) => typeof s === 'string' && s.toLowerCase() === BULK_REQUEST_SCHEMA.toLowerCase())) {
      throw invalidSyntax(`The BulkRequest body's schemas must contain '${BULK_REQUEST_SCHEMA}'`);
    }
  }
  const operations = getIgnoreCase(body, 'Operations');
  if (!Array.isArray(operations)) throw invalidSyntax("The BulkRequest must have an 'Operations' array");
  // RFC 7644 §3.7.4: more operations than maxOperations is 413.
  if (operations.length > maxOperations) {
    throw new ScimError(
      413,
      `The bulk request has ${operations.length} operations; the maximum (maxOperations) is ${maxOperations}.`,
    );
  }

  const failOnErrors = getIgnoreCase(body, 'failOnErrors');
  if (failOnErrors !== undefined && !(Number.isSafeInteger(failOnErrors) && (failOnErrors as number) >= 1)) {
    throw invalidValue("'failOnErrors' must be an integer of at least 1");
  }

  const seenBulkIds = new Set<string>();
  const parsed = operations.map((raw: unknown, index) => parseOperation(raw, index, seenBulkIds));
  return {
    operations: parsed,
    ...(failOnErrors === undefined ? {} : { failOnErrors: failOnErrors as number }),
  };
}

function parseOperation(raw: unknown, index: number, seenBulkIds: Set<string>): BulkOperation {
  const operation: BulkOperation = { index, method: '', references: new Set() };
  try {
    readOperation(raw, operation, seenBulkIds);
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    operation.error = error;
  }
  return operation;
}

function readOperation(raw: unknown, op: BulkOperation, seenBulkIds: Set<string>): void {
  const where = `Operations[${op.index}]`;
  if (!isPlainObject(raw)) throw invalidSyntax(`${where} must be an object`);

  const method = getIgnoreCase(raw, 'method');
  op.method = typeof method === 'string' ? method.toUpperCase() : '';
  const bulkId = getIgnoreCase(raw, 'bulkId');
  if (typeof bulkId === 'string' && bulkId !== '') op.bulkId = bulkId;
  else if (bulkId !== undefined) throw invalidSyntax(`${where}.bulkId must be a non-empty string`);

  const writeMethod = WRITE_METHODS.find((m) => m === op.method);
  if (!writeMethod) throw invalidValue(`${where}.method must be POST, PUT, PATCH or DELETE`);
  op.writeMethod = writeMethod;

  if (writeMethod === 'POST') {
    if (op.bulkId === undefined) throw invalidSyntax(`${where}: bulkId is required for POST (RFC 7644 §3.7)`);
    if (seenBulkIds.has(op.bulkId)) throw invalidValue(`${where}: bulkId '${op.bulkId}' is used twice`);
    seenBulkIds.add(op.bulkId);
  }

  readPath(getIgnoreCase(raw, 'path'), op, where);
  const version = getIgnoreCase(raw, 'version');
  if (typeof version === 'string') op.version = version;
  op.data = getIgnoreCase(raw, 'data');
  collectReferences(op.id, op.references);
  collectReferences(op.data, op.references);
}

/** `/Users`, `/Groups` for POST; `/Users/{id}`, `/Groups/{id}` (or `bulkId:x`) otherwise. */
function readPath(path: unknown, op: BulkOperation, where: string): void {
  if (typeof path !== 'string') throw invalidSyntax(`${where}.path must be a string`);
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  const [name, id, ...rest] = segments;
  const kind = KINDS.find((k) => k.endpoint.toLowerCase() === name?.toLowerCase());
  const wantsId = op.writeMethod !== 'POST';
  if (!kind || rest.length > 0 || (id !== undefined) !== wantsId || id === '') {
    throw invalidValue(
      `${where}.path must be ${wantsId ? '/Users/{id} or /Groups/{id}' : '/Users or /Groups'}`,
    );
  }
  op.kind = kind;
  if (id !== undefined) op.id = id;
}

function collectReferences(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    const bulkId = BULK_REFERENCE.exec(value)?.[1];
    if (bulkId !== undefined) into.add(bulkId);
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) collectReferences(item, into);
  }
}

/** Replaces every `bulkId:x` string with the id created for x; undefined when one is unresolved. */
export function resolveReferences(
  value: unknown,
  created: ReadonlyMap<string, string>,
): { value: unknown } | undefined {
  if (typeof value === 'string') {
    const bulkId = BULK_REFERENCE.exec(value)?.[1];
    if (bulkId === undefined) return { value };
    const id = created.get(bulkId);
    return id === undefined ? undefined : { value: id };
  }
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const resolved = resolveReferences(item, created);
      if (!resolved) return undefined;
      items.push(resolved.value);
    }
    return { value: items };
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = resolveReferences(item, created);
      if (!resolved) return undefined;
      out[key] = resolved.value;
    }
    return { value: out };
  }
  return { value };
}
