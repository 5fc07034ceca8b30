// Case-insensitive attribute lookup against the schemas of a resource type.
import type { AttrPath } from '../filter/index.js';
import { COMMON_ATTRIBUTES } from './common.js';
import { RESOURCE_TYPE_DEFS } from './registry.js';
import type { AttributeDef, ResourceTypeName, SchemaDef } from './types.js';

export interface ResolvedAttribute {
  /** URI of the schema defining the attribute; the core schema for common attributes (id, externalId, meta). */
  schemaUri: string;
  def: AttributeDef;
  subDef?: AttributeDef;
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function findAttribute(attributes: readonly AttributeDef[], name: string): AttributeDef | undefined {
  return attributes.find((def) => sameName(def.name, name));
}

export function findSubAttribute(def: AttributeDef, name: string): AttributeDef | undefined {
  return def.subAttributes ? findAttribute(def.subAttributes, name) : undefined;
}

/** A top-level attribute of the core schema or a common attribute; never an extension attribute. */
export function findCoreAttribute(resourceType: ResourceTypeName, name: string): AttributeDef | undefined {
  return (
    findAttribute(RESOURCE_TYPE_DEFS[resourceType].core.attributes, name) ??
    findAttribute(COMMON_ATTRIBUTES, name)
  );
}

/** The core or extension schema of this resource type with the given URI. */
export function findSchema(resourceType: ResourceTypeName, uri: string): SchemaDef | undefined {
  const rt = RESOURCE_TYPE_DEFS[resourceType];
  if (sameName(rt.core.id, uri)) return rt.core;
  return rt.extensions.find((ext) => sameName(ext.schema.id, uri))?.schema;
}

export function findExtension(resourceType: ResourceTypeName, uri: string): SchemaDef | undefined {
  return RESOURCE_TYPE_DEFS[resourceType].extensions.find((ext) => sameName(ext.schema.id, uri))?.schema;
}

/**
 * Resolves `[uri:]attr[.sub]`. Without a URI the core schema (and common attributes) win, then the
 * extensions, so Entra's bare `manager` path finds the enterprise attribute.
 */
export function resolveAttribute(
  resourceType: ResourceTypeName,
  path: AttrPath,
): ResolvedAttribute | undefined {
  const hit =
    path.uri === undefined
      ? lookupBare(resourceType, path.attr)
      : lookupQualified(resourceType, path.uri, path.attr);
  if (!hit) return undefined;
  if (path.sub === undefined) return hit;
  const subDef = findSubAttribute(hit.def, path.sub);
  return subDef ? { ...hit, subDef } : undefined;
}

function lookupQualified(
  resourceType: ResourceTypeName,
  uri: string,
  name: string,
): ResolvedAttribute | undefined {
  const schema = findSchema(resourceType, uri);
  if (!schema) return undefined;
  const isCore = schema === RESOURCE_TYPE_DEFS[resourceType].core;
  const def = isCore ? findCoreAttribute(resourceType, name) : findAttribute(schema.attributes, name);
  return def ? { schemaUri: schema.id, def } : undefined;
}

function lookupBare(resourceType: ResourceTypeName, name: string): ResolvedAttribute | undefined {
  const rt = RESOURCE_TYPE_DEFS[resourceType];
  const coreDef = findCoreAttribute(resourceType, name);
  if (coreDef) return { schemaUri: rt.core.id, def: coreDef };
  for (const { schema } of rt.extensions) {
    const def = findAttribute(schema.attributes, name);
    if (def) return { schemaUri: schema.id, def };
  }
  return undefined;
}
