// Member id extraction shared by group POST/PUT parsing and the PATCH planner.
import type { Filter } from '../filter/index.js';
import { invalidValue } from '../errors.js';
import { getIgnoreCase, isPlainObject } from '../schemas/json.js';

/** `[{value}]`, a single `{value}`, or (Postman's garbage tests) a bare id string; duplicates collapse. */
export function memberIds(value: unknown, label = 'members'): string[] {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const ids = items.filter((item) => item !== null).map((item, i) => memberId(item, `${label}[${i}]`));
  return [...new Set(ids)];
}

function memberId(item: unknown, label: string): string {
  const id = isPlainObject(item) ? getIgnoreCase(item, 'value') : item;
  if (typeof id !== 'string' || id === '') throw invalidValue(`${label}.value must be a non-empty string id`);
  return id;
}

/** Ids named by `members[value eq "a"]` or `members[value eq "a" or value eq "b"]`; else undefined. */
export function memberIdsFromFilter(filter: Filter): string[] | undefined {
  if (filter.kind === 'or') {
    const left = memberIdsFromFilter(filter.left);
    const right = memberIdsFromFilter(filter.right);
    return left && right ? [...new Set([...left, ...right])] : undefined;
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.path.attr.toLowerCase() !== 'value')
    return undefined;
  return typeof filter.value === 'string' && filter.value !== '' ? [filter.value] : undefined;
}
