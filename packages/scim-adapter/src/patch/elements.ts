// Small mutators for the working copy. Keys written are always schema names, never client input.
import { deepEqual, findKey, isPlainObject, type JsonObject } from '../schemas/json.js';

/** Sets (or with `undefined` deletes) `name`, replacing any differently-cased spelling of it. */
export function writeAttribute(container: JsonObject, name: string, value: unknown): void {
  const key = findKey(container, name);
  if (key !== undefined) delete container[key];
  if (value !== undefined) container[name] = value;
}

export function elementsOf(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isPlainObject);
  return isPlainObject(value) ? [value] : [];
}

export function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** Appends values not already present (deep equality), so repeated adds are no-ops. */
export function appendDistinct(list: JsonObject[], incoming: readonly JsonObject[]): JsonObject[] {
  const added: JsonObject[] = [];
  for (const item of incoming) {
    if (![...list, ...added].some((existing) => deepEqual(existing, item))) added.push(item);
  }
  list.push(...added);
  return added;
}

/**
 * RFC 7644 §3.5.2: setting "primary" to true on one value makes the server set it to false on the
 * others. Values that never had "primary" are left as they are.
 */
export function keepSinglePrimary(list: readonly JsonObject[], changed: readonly JsonObject[]): void {
  if (!changed.some((el) => el.primary === true)) return;
  for (const el of list) {
    if (!changed.includes(el) && el.primary === true) el.primary = false;
  }
}

/** Whether `candidate` is one of the values listed for removal: compared by `value` when given. */
export function isListedValue(listed: JsonObject, candidate: JsonObject): boolean {
  return Object.hasOwn(listed, 'value') ? listed.value === candidate.value : deepEqual(listed, candidate);
}
