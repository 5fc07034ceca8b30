// Computes an attribute's new value for one PATCH operation. Returns undefined to unassign it.
import type { Filter } from '../filter/index.js';
import { noTarget } from '../errors.js';
import { findKey, isPlainObject, type JsonObject } from '../schemas/json.js';
import { normalizeAttribute, normalizeComplex, normalizeScalar } from '../schemas/normalize.js';
import type { AttributeDef } from '../schemas/types.js';
import {
  appendDistinct,
  elementsOf,
  isListedValue,
  keepSinglePrimary,
  nonEmpty,
  writeAttribute,
} from './elements.js';
import { filterTemplate, matchesFilter } from './match-filter.js';
import type { PatchOpName } from './types.js';

export interface AttributeTarget {
  def: AttributeDef;
  subDef?: AttributeDef;
  filter?: Filter;
}

export function updateAttribute(
  current: unknown,
  op: PatchOpName,
  value: unknown,
  target: AttributeTarget,
): unknown {
  const { def, subDef, filter } = target;
  // A null value on add/replace means "unassign" (RFC 7643 §2.5), like remove but never noTarget.
  const unassign = op === 'remove' || value === null;
  if (def.multiValued) {
    const list = elementsOf(current);
    if (filter) return updateFiltered(def, list, op, value, filter, subDef);
    if (subDef) return updateEverySub(list, unassign, value, subDef, def);
    return updateList(def, list, op, value);
  }
  if (def.type !== 'complex') return unassign ? undefined : normalizeAttribute(def, value);
  if (filter) {
    // Single complex value with a filter, e.g. Entra's `remove manager[value eq "id"]`.
    if (!isPlainObject(current) || !matchesFilter(current, filter, def)) {
      if (op === 'remove' || value !== null) throw noTarget(`'${def.name}' does not match the filter`);
      return current;
    }
    if (unassign && !subDef) return undefined;
  }
  return updateComplex(def, isPlainObject(current) ? current : {}, unassign, value, subDef);
}

function updateComplex(
  def: AttributeDef,
  current: JsonObject,
  unassign: boolean,
  value: unknown,
  subDef: AttributeDef | undefined,
): unknown {
  if (subDef) {
    const next = unassign ? undefined : normalizeScalar(subDef, value, `${def.name}.${subDef.name}`);
    writeAttribute(current, subDef.name, next);
    return normalizeAttribute(def, current);
  }
  if (unassign) return undefined;
  const incoming = normalizeAttribute(def, value);
  if (incoming === undefined) return undefined; // e.g. manager cleared with ""
  // RFC 7644 §3.5.2.3: sub-attributes not given in the value are left unchanged.
  return normalizeAttribute(def, { ...current, ...(incoming as JsonObject) });
}

/** add / replace / remove on the whole multi-valued attribute. */
function updateList(def: AttributeDef, list: JsonObject[], op: PatchOpName, value: unknown): unknown {
  const incoming = elementsOf(normalizeAttribute(def, value));
  if (op === 'replace') return nonEmpty(incoming);
  if (op === 'remove') {
    if (value === undefined || value === null) return undefined;
    // Entra's legacy `{"op":"Remove","path":"members","value":[{"value":"id"}]}` removes only the
    // listed values; reading it as "remove all" is the classic group-wiping bug.
    return nonEmpty(list.filter((el) => !incoming.some((listed) => isListedValue(listed, el))));
  }
  const added = appendDistinct(list, incoming);
  keepSinglePrimary(list, added);
  return nonEmpty(list);
}

/** `attr[filter]` or `attr[filter].sub`. */
function updateFiltered(
  def: AttributeDef,
  list: JsonObject[],
  op: PatchOpName,
  value: unknown,
  filter: Filter,
  subDef: AttributeDef | undefined,
): unknown {
  const matches = list.filter((el) => matchesFilter(el, filter, def));
  if (op === 'remove' || value === null) {
    if (matches.length === 0 && op === 'remove')
      throw noTarget(`No value of '${def.name}' matches the filter`);
    if (!subDef) return nonEmpty(list.filter((el) => !matches.includes(el)));
    return nonEmpty(list.flatMap((el) => (matches.includes(el) ? dropSub(el, subDef) : [el])));
  }

  const patch: JsonObject = subDef
    ? { [subDef.name]: normalizeScalar(subDef, value, `${def.name}.${subDef.name}`) }
    : (normalizeComplex(def, value, def.name) ?? {});
  if (matches.length === 0) {
    // `emails[type eq "work"].value` with no work email yet: create {type:"work", value}.
    const template = filterTemplate(filter, def);
    if (!template) throw noTarget(`No value of '${def.name}' matches the filter`);
    const created = { ...template, ...patch };
    list.push(created);
    keepSinglePrimary(list, [created]);
    return list;
  }
  // Merge into the matched values, so several ops on `addresses[type eq "work"].x` build one element.
  for (const el of matches) {
    for (const [name, sub] of Object.entries(patch)) writeAttribute(el, name, sub);
  }
  keepSinglePrimary(list, matches);
  return list;
}

/** `emails.value` without a filter addresses every value (RFC 7644 §3.5.2.3); creates one if none. */
function updateEverySub(
  list: JsonObject[],
  unassign: boolean,
  value: unknown,
  subDef: AttributeDef,
  def: AttributeDef,
): unknown {
  if (unassign) return nonEmpty(list.flatMap((el) => dropSub(el, subDef)));
  const next = normalizeScalar(subDef, value, `${def.name}.${subDef.name}`);
  if (list.length === 0) return [{ [subDef.name]: next }];
  for (const el of list) writeAttribute(el, subDef.name, next);
  return list;
}

/** Removes a sub-attribute; a value without its `value` (or left empty) is meaningless and goes too. */
function dropSub(el: JsonObject, subDef: AttributeDef): JsonObject[] {
  if (subDef.name === 'value') return [];
  const key = findKey(el, subDef.name);
  if (key !== undefined) delete el[key];
  return Object.keys(el).length > 0 ? [el] : [];
}
