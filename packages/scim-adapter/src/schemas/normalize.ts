// Schema-typed value normalisation shared by POST/PUT parsing and the PATCH engine.
// Output uses canonical (schema-cased) names, drops nulls and unknown sub-attributes, coerces
// Entra's "True"/"False" strings for boolean attributes, and otherwise keeps values exactly as sent.
import { invalidValue } from '../errors.js';
import { managerAttribute } from './enterprise-user.js';
import { getIgnoreCase, isPlainObject, type JsonObject } from './json.js';
import { findSubAttribute } from './resolve.js';
import type { AttributeDef } from './types.js';

const describe = (value: unknown): string => (Array.isArray(value) ? 'an array' : `a ${typeof value}`);

/** Normalises a whole attribute value; `undefined` means "unassigned" (null, empty array, empty object). */
export function normalizeAttribute(def: AttributeDef, value: unknown, label: string = def.name): unknown {
  if (value === null || value === undefined) return undefined;
  if (def === managerAttribute) return normalizeManager(value, label);
  if (!def.multiValued) return normalizeSingle(def, value, label);
  // RFC 7643 §2.4 wants an array; a lone object is an obvious single element, a primitive is not.
  const items = Array.isArray(value) ? value : isPlainObject(value) ? [value] : undefined;
  if (!items) throw invalidValue(`Attribute '${label}' must be an array, got ${describe(value)}`);
  const out = items.map((item) => normalizeSingle(def, item, label)).filter((item) => item !== undefined);
  return out.length > 0 ? out : undefined;
}

/** One value of the attribute: an element of a multi-valued attribute or the single value. */
export function normalizeSingle(def: AttributeDef, value: unknown, label: string = def.name): unknown {
  if (value === null || value === undefined) return undefined;
  return def.type === 'complex' ? normalizeComplex(def, value, label) : normalizeScalar(def, value, label);
}

export function normalizeComplex(def: AttributeDef, value: unknown, label: string): JsonObject | undefined {
  if (!isPlainObject(value))
    throw invalidValue(`Attribute '${label}' must be an object, got ${describe(value)}`);
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(value)) {
    const subDef = findSubAttribute(def, key);
    if (!subDef) continue; // unknown sub-attribute: ignored like unknown attributes
    const normalized = normalizeScalar(subDef, raw, `${label}.${subDef.name}`);
    if (normalized === undefined) continue;
    if (Object.hasOwn(out, subDef.name))
      throw invalidValue(`Attribute '${label}.${subDef.name}' is given more than once`);
    out[subDef.name] = normalized;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function normalizeScalar(def: AttributeDef, value: unknown, label: string = def.name): unknown {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      // Entra's default PATCH dialect and the reference Postman tests send "True"/"False".
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalidValue(`Attribute '${label}' must be a boolean, got ${describe(value)}`);
    case 'integer':
      if (Number.isInteger(value)) return value;
      throw invalidValue(`Attribute '${label}' must be an integer, got ${describe(value)}`);
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalidValue(`Attribute '${label}' must be a number, got ${describe(value)}`);
    case 'dateTime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
      throw invalidValue(`Attribute '${label}' must be an xsd:dateTime string`);
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof value === 'string') return value;
      throw invalidValue(`Attribute '${label}' must be a string, got ${describe(value)}`);
    case 'complex':
      throw invalidValue(`Attribute '${label}' cannot hold a nested complex value`);
  }
}

/**
 * Entra writes the enterprise manager as a bare id, `{value}`, `{Value}` or `[{value,$ref}]`, and
 * clears it with "". We store only `{value: id}`, the shape Entra needs back on read.
 */
function normalizeManager(value: unknown, label: string): JsonObject | undefined {
  const candidate: unknown = Array.isArray(value) ? value.find((item) => item !== null) : value;
  const id = isPlainObject(candidate) ? getIgnoreCase(candidate, 'value') : candidate;
  if (id === undefined || id === null || id === '') return undefined;
  if (typeof id !== 'string') {
    throw invalidValue(`Attribute '${label}' must be a user id or {"value": "<id>"}, got ${describe(id)}`);
  }
  return { value: id };
}
