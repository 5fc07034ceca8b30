// attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9) applied to rendered resources.
// Paths become a tree of lower-cased names: core attributes at the top, extension attributes
// under their schema URN, exactly as resources are rendered.
import { invalidValue } from '../errors.js';
import { parsePatchPath } from '../filter/index.js';
import { findCoreAttribute, resolveAttribute } from '../schemas/resolve.js';
import { RESOURCE_TYPE_DEFS } from '../schemas/registry.js';
import { isPlainObject, type JsonObject } from '../schemas/json.js';
import type { ResourceType } from '../ports.js';

/** `true` selects the whole value; a map selects some of its sub-attributes. */
export type PathTree = Map<string, PathTree | true>;

export interface Projection {
  /** Only these (plus always-returned attributes); undefined when `attributes` was not given. */
  attributes?: PathTree;
  /** Never these (unless always returned); undefined when `excludedAttributes` was not given. */
  excluded?: PathTree;
}

// The brief and RFC 7643 §3.1 keep these on every resource whatever the client asks for.
const ALWAYS = new Set(['schemas', 'id', 'meta']);

export function parseProjection(
  attributes: readonly string[] | undefined,
  excluded: readonly string[] | undefined,
  type: ResourceType,
): Projection {
  const projection: Projection = {};
  if (attributes !== undefined) projection.attributes = buildTree(attributes, type);
  if (excluded !== undefined) projection.excluded = buildTree(excluded, type);
  return projection;
}

export const isProjected = (projection: Projection): boolean =>
  projection.attributes !== undefined || projection.excluded !== undefined;

/**
 * Whether the response needs this top-level attribute at all, so the store can skip loading it
 * (`excludedAttributes=members`, or `attributes` without `members`, never loads group members).
 */
export function needsAttribute(projection: Projection, name: string): boolean {
  const key = name.toLowerCase();
  if (projection.attributes !== undefined) return projection.attributes.has(key);
  return projection.excluded?.get(key) !== true;
}

export function applyProjection(
  resource: Record<string, unknown>,
  projection: Projection,
  type: ResourceType,
): Record<string, unknown> {
  if (!isProjected(projection)) return resource;
  // A private copy: readers may hand out objects they cache.
  let result: JsonObject = structuredClone(resource);
  if (projection.excluded) removeTree(result, projection.excluded, (key) => isAlwaysReturned(type, key));
  if (projection.attributes) {
    const selected = selectObject(result, projection.attributes) ?? {};
    const always = Object.entries(result).filter(([key]) => isAlwaysReturned(type, key));
    result = { ...Object.fromEntries(always), ...selected };
  }
  return withConsistentSchemas(result, type);
}

function isAlwaysReturned(type: ResourceType, key: string): boolean {
  return ALWAYS.has(key.toLowerCase()) || findCoreAttribute(type, key)?.returned === 'always';
}

function buildTree(paths: readonly string[], type: ResourceType): PathTree {
  const tree: PathTree = new Map();
  for (const path of paths) {
    const segments = segmentsOf(path, type);
    if (segments) addPath(tree, segments);
  }
  return tree;
}

/** Rendered-document location of an attribute path; undefined for another resource type's schema. */
function segmentsOf(text: string, type: ResourceType): string[] | undefined {
  const rt = RESOURCE_TYPE_DEFS[type];
  const extension = rt.extensions.find((ext) => ext.schema.id.toLowerCase() === text.toLowerCase());
  if (extension) return [extension.schema.id]; // the whole extension object

  let parsed;
  try {
    parsed = parsePatchPath(text);
  } catch {
    throw invalidValue(`'${text}' is not an attribute name`);
  }
  if (parsed.filter !== undefined || parsed.sub !== undefined) {
    throw invalidValue(`'${text}': attributes and excludedAttributes take attribute names, not filters`);
  }
  const { uri, attr, sub } = parsed.path;
  const schemaUri = uri === undefined ? undefined : schemaOf(type, uri);
  if (uri !== undefined && schemaUri === undefined) return undefined; // e.g. a Group URN on a User

  // Unknown names are kept as written: they select nothing, like an absent attribute.
  const resolved = resolveAttribute(type, parsed.path);
  const home = resolved?.schemaUri ?? schemaUri ?? rt.core.id;
  const names = [resolved?.def.name ?? attr, ...(sub === undefined ? [] : [resolved?.subDef?.name ?? sub])];
  return home === rt.core.id ? names : [home, ...names];
}

function schemaOf(type: ResourceType, uri: string): string | undefined {
  const rt = RESOURCE_TYPE_DEFS[type];
  return [rt.core.id, ...rt.extensions.map((ext) => ext.schema.id)].find(
    (id) => id.toLowerCase() === uri.toLowerCase(),
  );
}

function addPath(tree: PathTree, segments: readonly string[]): void {
  let node = tree;
  for (const [i, segment] of segments.entries()) {
    const key = segment.toLowerCase();
    const existing = node.get(key);
    if (existing === true) return; // already selected whole
    if (i === segments.length - 1) {
      node.set(key, true);
      return;
    }
    const child: PathTree = existing ?? new Map<string, PathTree | true>();
    node.set(key, child);
    node = child;
  }
}

function selectObject(value: JsonObject, tree: PathTree): JsonObject | undefined {
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const node = tree.get(key.toLowerCase());
    if (node === undefined) continue;
    const picked = node === true ? item : selectValue(item, node);
    if (picked !== undefined) out[key] = picked;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Sub-attribute selection: on an object, or on each element of a multi-valued attribute. */
function selectValue(value: unknown, tree: PathTree): unknown {
  if (isPlainObject(value)) return selectObject(value, tree);
  if (!Array.isArray(value)) return undefined;
  const items = value.flatMap((item) => {
    const picked = isPlainObject(item) ? selectObject(item, tree) : undefined;
    return picked === undefined ? [] : [picked];
  });
  return items.length > 0 ? items : undefined;
}

function removeTree(value: JsonObject, tree: PathTree, keep: (key: string) => boolean = () => false): void {
  for (const key of Object.keys(value)) {
    const node = tree.get(key.toLowerCase());
    if (node === undefined || keep(key)) continue;
    const item = value[key];
    if (node === true) {
      delete value[key];
    } else if (isPlainObject(item)) {
      removeTree(item, node);
    } else if (Array.isArray(item)) {
      for (const element of item) if (isPlainObject(element)) removeTree(element, node);
    }
  }
}

/** A projected-away extension must not stay listed in `schemas` (RFC 7643 §3). */
function withConsistentSchemas(resource: JsonObject, type: ResourceType): JsonObject {
  const { schemas } = resource;
  if (!Array.isArray(schemas)) return resource;
  const extensions = new Set(RESOURCE_TYPE_DEFS[type].extensions.map((ext) => ext.schema.id.toLowerCase()));
  const present = new Set(Object.keys(resource).map((key) => key.toLowerCase()));
  const kept = schemas.filter(
    (uri) => typeof uri !== 'string' || !extensions.has(uri.toLowerCase()) || present.has(uri.toLowerCase()),
  );
  return { ...resource, schemas: kept };
}
