// Turns a PATCH path (or a path-less value-map key) into a schema-resolved target.
import type { Filter } from '../filter/index.js';
import { parsePatchPath } from '../filter/index.js';
import { invalidPath } from '../errors.js';
import { RESOURCE_TYPE_DEFS } from '../schemas/registry.js';
import { resolveAttribute } from '../schemas/resolve.js';
import type { AttributeDef, ResourceTypeName } from '../schemas/types.js';

export type Target =
  /** A URN-qualified path of a schema we do not serve (e.g. an Entra custom extension): skipped. */
  | { kind: 'foreign' }
  /** The extension URN itself, e.g. path-less `{"urn:...:enterprise:2.0:User": {...}}`. */
  | { kind: 'extension'; schemaUri: string }
  | { kind: 'attribute'; schemaUri: string; def: AttributeDef; subDef?: AttributeDef; filter?: Filter };

export function resolveTarget(resourceType: ResourceTypeName, rawPath: string): Target {
  const rt = RESOURCE_TYPE_DEFS[resourceType];
  const known = [rt.core.id, ...rt.extensions.map((ext) => ext.schema.id)];
  let path = rawPath.trim();
  const lower = path.toLowerCase();

  if (lower.startsWith('urn:')) {
    const uri = known.find((id) => {
      const next = lower.charAt(id.length);
      return lower.startsWith(id.toLowerCase()) && (next === '' || next === ':' || next === '.');
    });
    if (uri === undefined) return { kind: 'foreign' };
    const rest = path.slice(uri.length);
    if (rest === '') {
      if (uri === rt.core.id) throw invalidPath(`'${rawPath}' names a schema, not an attribute`);
      return { kind: 'extension', schemaUri: uri };
    }
    // Entra's inbound collection writes `...:2.0:User.manager` (the pre-2019 dot notation).
    if (rest.startsWith('.')) path = `${uri}:${rest.slice(1)}`;
  }

  const parsed = parsePatchPath(path);
  if (parsed.path.sub !== undefined && parsed.sub !== undefined) {
    throw invalidPath(`'${rawPath}' has two sub-attributes`);
  }
  const sub = parsed.path.sub ?? parsed.sub;
  const resolved = resolveAttribute(resourceType, { ...parsed.path, ...(sub === undefined ? {} : { sub }) });
  if (!resolved) throw invalidPath(`Unknown attribute path '${rawPath}'`);
  if (parsed.filter && resolved.def.type !== 'complex') {
    throw invalidPath(`'${rawPath}': a value filter needs a complex attribute`);
  }
  return {
    kind: 'attribute',
    schemaUri: resolved.schemaUri,
    def: resolved.def,
    ...(resolved.subDef ? { subDef: resolved.subDef } : {}),
    ...(parsed.filter ? { filter: parsed.filter } : {}),
  };
}
