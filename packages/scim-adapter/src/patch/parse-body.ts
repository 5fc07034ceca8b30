// PatchOp message validation (RFC 7644 §3.5.2). Lenient where IdPs differ, strict where meaning is unclear.
import { invalidPath, invalidSyntax, invalidValue } from '../errors.js';
import { findKey, getIgnoreCase, isPlainObject } from '../schemas/json.js';
import { PATCH_OP_SCHEMA } from '../schemas/uris.js';
import type { PatchOpName, PatchOperation } from './types.js';

const isOpName = (name: string): name is PatchOpName =>
  name === 'add' || name === 'remove' || name === 'replace';

export function parsePatchBody(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) throw invalidSyntax('The PATCH body must be a JSON object');

  // A missing `schemas` is tolerated (some clients omit it); a present one must name PatchOp.
  const schemas = getIgnoreCase(body, 'schemas');
  if (schemas !== undefined && schemas !== null) {
    const list: unknown[] = Array.isArray(schemas) ? schemas : [schemas];
    const ok = list.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase());
    if (!ok) throw invalidSyntax(`The PATCH body's schemas must contain '${PATCH_OP_SCHEMA}'`);
  }

  const operations = getIgnoreCase(body, 'Operations');
  if (!Array.isArray(operations)) throw invalidSyntax("The PATCH body must have an 'Operations' array");
  // Choice: an empty list is rejected rather than treated as a no-op. RFC 7644 §3.5.2 says the body
  // "SHALL contain ... one or more" operations; a silent 200 would hide a broken client.
  if (operations.length === 0) {
    throw invalidValue('Operations must contain at least one operation (RFC 7644 §3.5.2)');
  }
  return operations.map(parseOperation);
}

function parseOperation(raw: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isPlainObject(raw)) throw invalidSyntax(`${where} must be an object`);

  const op = getIgnoreCase(raw, 'op');
  // Entra sends "Replace"/"Add"/"Remove"; compare case-insensitively.
  const name = typeof op === 'string' ? op.toLowerCase() : undefined;
  if (name === undefined || !isOpName(name)) {
    throw invalidSyntax(
      `${where}.op must be 'add', 'remove' or 'replace', got ${JSON.stringify(op) ?? 'nothing'}`,
    );
  }

  const result: PatchOperation = { op: name };
  const path = getIgnoreCase(raw, 'path');
  if (typeof path === 'string') {
    if (path.trim() !== '') result.path = path.trim();
  } else if (path !== undefined && path !== null) {
    throw invalidPath(`${where}.path must be a string`);
  }

  const valueKey = findKey(raw, 'value');
  if (valueKey !== undefined) result.value = raw[valueKey];
  if (result.value === undefined && result.op !== 'remove') {
    throw invalidValue(`${where}: '${result.op}' requires a value`);
  }
  return result;
}
