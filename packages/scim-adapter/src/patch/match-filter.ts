// Evaluates a PATCH value filter (`emails[type eq "work"]`) against one element of a multi-valued
// attribute, and derives the element to create when an add/replace finds no match.
import type { CompareOp, Filter, FilterValue } from '../filter/index.js';
import { invalidPath } from '../errors.js';
import { getIgnoreCase, type JsonObject } from '../schemas/json.js';
import { normalizeScalar } from '../schemas/normalize.js';
import { findSubAttribute } from '../schemas/resolve.js';
import type { AttributeDef } from '../schemas/types.js';

export function matchesFilter(element: JsonObject, filter: Filter, parent: AttributeDef): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesFilter(element, filter.left, parent) && matchesFilter(element, filter.right, parent);
    case 'or':
      return matchesFilter(element, filter.left, parent) || matchesFilter(element, filter.right, parent);
    case 'not':
      return !matchesFilter(element, filter.filter, parent);
    case 'present':
      return isPresent(getIgnoreCase(element, filter.path.attr));
    case 'compare': {
      // Sub-attributes of multi-valued attributes are simple, so a relative path is just {attr}.
      const caseExact = findSubAttribute(parent, filter.path.attr)?.caseExact ?? false;
      return compare(getIgnoreCase(element, filter.path.attr), filter.op, filter.value, caseExact);
    }
    case 'valuePath':
      throw invalidPath('Nested value filters are not supported in PATCH paths');
  }
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !Array.isArray(value) || value.length > 0;
}

function compare(actual: unknown, op: CompareOp, expected: FilterValue, caseExact: boolean): boolean {
  if (expected === null) {
    if (op === 'eq') return !isPresent(actual);
    return op === 'ne' && isPresent(actual);
  }
  if (actual === undefined || actual === null) return op === 'ne';
  if (typeof actual === 'boolean') {
    // Accept `primary eq "true"` as well as `primary eq true`.
    const want = typeof expected === 'string' ? expected.toLowerCase() === 'true' : expected;
    if (op === 'eq') return actual === want;
    return op === 'ne' && actual !== want;
  }
  if (typeof actual === 'number' && typeof expected === 'number') return ordered(actual, op, expected);
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = caseExact ? actual : actual.toLowerCase();
    const e = caseExact ? expected : expected.toLowerCase();
    if (op === 'co') return a.includes(e);
    if (op === 'sw') return a.startsWith(e);
    if (op === 'ew') return a.endsWith(e);
    return ordered(a, op, e);
  }
  return op === 'ne';
}

function ordered<T extends string | number>(a: T, op: CompareOp, b: T): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    case 'co':
    case 'sw':
    case 'ew':
      return false;
  }
}

/**
 * The element implied by an equality filter: `type eq "work"` → {type:"work"}, `and` merges both
 * sides. Anything else (or, ne, co, ...) implies nothing and yields undefined.
 */
export function filterTemplate(filter: Filter, parent: AttributeDef): JsonObject | undefined {
  if (filter.kind === 'and') {
    const left = filterTemplate(filter.left, parent);
    const right = filterTemplate(filter.right, parent);
    if (!left || !right) return undefined;
    const clash = Object.keys(right).some((k) => Object.hasOwn(left, k) && left[k] !== right[k]);
    return clash ? undefined : { ...left, ...right };
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return undefined;
  const subDef = findSubAttribute(parent, filter.path.attr);
  if (!subDef || subDef.mutability === 'readOnly') return undefined;
  return { [subDef.name]: normalizeScalar(subDef, filter.value, `${parent.name}.${subDef.name}`) };
}
