// Turns a client-sent resource into the document we store: schema-known attributes only, canonical
// names, typed values; server-managed attributes (id, meta, groups, password) and unknown ones dropped.
import { invalidValue } from '../errors.js';
import { isPlainObject, type JsonObject } from '../schemas/json.js';
import { normalizeAttribute } from '../schemas/normalize.js';
import { findAttribute, findCoreAttribute, findExtension } from '../schemas/resolve.js';
import type { AttributeDef, ResourceTypeName, SchemaDef } from '../schemas/types.js';

// readOnly values are computed by the server; returned:"never" (password) is never stored.
const isServerManaged = (def: AttributeDef): boolean =>
  def.mutability === 'readOnly' || def.returned === 'never';

/** `omit`: attributes stored elsewhere (group members live in their own table). */
export function normalizeDocument(
  resourceType: ResourceTypeName,
  raw: JsonObject,
  omit: readonly string[] = [],
): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    const extension = findExtension(resourceType, key);
    if (extension) {
      put(out, extension.id, normalizeExtension(extension, value));
      continue;
    }
    const def = findCoreAttribute(resourceType, key);
    // Unknown attributes, including custom extension URNs we don't serve, are ignored, not stored.
    if (!def || isServerManaged(def) || omit.includes(def.name)) continue;
    put(out, def.name, normalizeAttribute(def, value));
  }
  return out;
}

function normalizeExtension(schema: SchemaDef, value: unknown): JsonObject | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isPlainObject(value)) throw invalidValue(`'${schema.id}' must be an object`);
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const def = findAttribute(schema.attributes, key);
    if (def && !isServerManaged(def)) put(out, def.name, normalizeAttribute(def, item));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Attribute names are case-insensitive, so `userName` and `UserName` in one body collide. */
function put(out: JsonObject, name: string, value: unknown): void {
  if (value === undefined) return;
  if (Object.hasOwn(out, name)) throw invalidValue(`Attribute '${name}' is given more than once`);
  out[name] = value;
}
