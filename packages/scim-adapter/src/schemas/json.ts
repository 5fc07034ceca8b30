// Helpers for untrusted JSON: plain-object checks, case-insensitive keys, equality, key guard.
import { invalidPath } from '../errors.js';

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** First own key equal to `name` ignoring case (SCIM attribute names are case-insensitive, RFC 7643 §2.1). */
export function findKey(obj: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((key) => key.toLowerCase() === lower);
}

export function getIgnoreCase(obj: JsonObject, name: string): unknown {
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
  );
}

// JSON.parse turns "__proto__" into an own key; copying such an object with plain assignment would
// replace the target's prototype. We reject these names outright rather than reason about each copy.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key.toLowerCase());
}

/** Throws invalidPath when any object key at any depth is a prototype-polluting name. */
export function assertSafeKeys(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) assertSafeKeys(item);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (isForbiddenKey(key)) throw invalidPath(`Attribute name '${key}' is not allowed`);
      assertSafeKeys(value[key]);
    }
  }
}
