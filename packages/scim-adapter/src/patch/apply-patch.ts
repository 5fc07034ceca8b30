// Schema-aware RFC 7644 §3.5.2 PATCH on a plain JSON resource, tolerant of Entra's and Okta's dialects.
import { invalidValue, mutability, noTarget } from '../errors.js';
import { assertSafeKeys, deepEqual, findKey, isPlainObject, type JsonObject } from '../schemas/json.js';
import { RESOURCE_TYPE_DEFS } from '../schemas/registry.js';
import type { ResourceTypeName } from '../schemas/types.js';
import { writeAttribute } from './elements.js';
import { resolveTarget, type Target } from './target.js';
import type { PatchOpName, PatchOperation } from './types.js';
import { updateAttribute } from './update-attribute.js';

type AttributeTarget = Extract<Target, { kind: 'attribute' }>;

/** Returns a patched copy; `resource` is never mutated. Throws ScimError on the first bad operation. */
export function applyPatch(
  resource: Readonly<JsonObject>,
  operations: readonly PatchOperation[],
  resourceType: ResourceTypeName,
): JsonObject {
  const doc = structuredClone<JsonObject>(resource);
  const patcher = new Patcher(doc, resourceType);
  for (const operation of operations) {
    assertSafeKeys(operation.value);
    if (operation.path === undefined) patcher.applyValueMap(operation.op, operation.value);
    else
      patcher.apply(
        operation.op,
        resolveTarget(resourceType, operation.path),
        operation.value,
        operation.path,
      );
  }
  return doc;
}

class Patcher {
  private readonly coreUri: string;

  constructor(
    private readonly doc: JsonObject,
    private readonly resourceType: ResourceTypeName,
  ) {
    this.coreUri = RESOURCE_TYPE_DEFS[resourceType].core.id;
  }

  /**
   * Path-less add/replace: each key is itself a path — plain (`displayName`), dotted
   * (`name.givenName`, Entra aadOptscim062020), URN-qualified, or the extension URN with an object.
   * A nested object (`name: {givenName}`) merges into the complex attribute.
   */
  applyValueMap(op: PatchOpName, value: unknown): void {
    if (op === 'remove') throw noTarget("'remove' needs a path (RFC 7644 §3.5.2.2)");
    if (!isPlainObject(value)) throw invalidValue(`'${op}' without a path needs an object value`);
    for (const [key, item] of Object.entries(value)) {
      if (key.toLowerCase() === 'schemas') continue; // recomputed on render
      const target = resolveTarget(this.resourceType, key);
      // Clients that echo the resource send id/meta back unchanged; only a real change is an error.
      if (target.kind === 'attribute' && isReadOnly(target) && deepEqual(item, this.read(target))) continue;
      this.apply(op, target, item, key);
    }
  }

  apply(op: PatchOpName, target: Target, value: unknown, label: string): void {
    switch (target.kind) {
      case 'foreign':
        // Choice: attributes of schemas we do not serve (Entra custom extensions) are ignored, as on
        // POST/PUT; rejecting them would put every update of such a user into Entra's retry escrow.
        return;
      case 'extension':
        this.applyExtension(op, target.schemaUri, value);
        return;
      case 'attribute':
        this.applyAttribute(op, target, value, label);
        return;
    }
  }

  private applyExtension(op: PatchOpName, schemaUri: string, value: unknown): void {
    if (op === 'remove' || value === null) {
      writeAttribute(this.doc, schemaUri, undefined);
      return;
    }
    if (!isPlainObject(value)) throw invalidValue(`'${schemaUri}' must be an object`);
    for (const [key, item] of Object.entries(value)) {
      this.apply(op, resolveTarget(this.resourceType, `${schemaUri}:${key}`), item, key);
    }
  }

  private applyAttribute(op: PatchOpName, target: AttributeTarget, value: unknown, label: string): void {
    if (isReadOnly(target)) throw mutability(`'${label}' is read-only`);
    const whole = !target.subDef && !target.filter;
    if (target.def.required && whole && (op === 'remove' || value === null)) {
      throw mutability(`'${label}' is required and cannot be removed`);
    }
    const container = this.container(target.schemaUri, op !== 'remove');
    if (!container) {
      if (target.filter) throw noTarget(`No value of '${label}' matches the filter`);
      return;
    }
    const key = findKey(container, target.def.name);
    const next = updateAttribute(key === undefined ? undefined : container[key], op, value, target);
    writeAttribute(container, target.def.name, next);
    if (container !== this.doc && Object.keys(container).length === 0) {
      writeAttribute(this.doc, target.schemaUri, undefined);
    }
  }

  private read(target: AttributeTarget): unknown {
    const container = this.container(target.schemaUri, false);
    const key = container && findKey(container, target.def.name);
    const value = key === undefined ? undefined : container?.[key];
    const subKey = target.subDef && isPlainObject(value) ? findKey(value, target.subDef.name) : undefined;
    return subKey === undefined ? value : (value as JsonObject)[subKey];
  }

  /** The object holding attributes of `schemaUri`: the resource itself, or its extension object. */
  private container(schemaUri: string, create: boolean): JsonObject | undefined {
    if (schemaUri === this.coreUri) return this.doc;
    const key = findKey(this.doc, schemaUri);
    const existing = key === undefined ? undefined : this.doc[key];
    if (isPlainObject(existing)) {
      if (key !== schemaUri) writeAttribute(this.doc, schemaUri, existing);
      return existing;
    }
    if (!create) return undefined;
    const fresh: JsonObject = {};
    writeAttribute(this.doc, schemaUri, fresh);
    return fresh;
  }
}

function isReadOnly(target: AttributeTarget): boolean {
  return target.def.mutability === 'readOnly' || target.subDef?.mutability === 'readOnly';
}
