// Reads list parameters from a query string or a SearchRequest body. Parameter names are matched
// case-insensitively: Entra's inbound delta sync sends `startindex`.
import { invalidValue } from '../errors.js';
import { getIgnoreCase } from '../schemas/json.js';

export type RawParams = Record<string, unknown>;

const INTEGER = /^[+-]?\d+$/;

/** The raw value; an empty string counts as absent (`?filter=` is what some clients send for "none"). */
export function present(raw: RawParams, name: string): unknown {
  const value = getIgnoreCase(raw, name);
  return value === '' || value === null ? undefined : value;
}

export function stringParam(raw: RawParams, name: string): string | undefined {
  const value = present(raw, name);
  if (value === undefined || typeof value === 'string') return value;
  // A repeated query parameter (?sortBy=a&sortBy=b) arrives as an array: ambiguous, so rejected.
  throw invalidValue(
    Array.isArray(value) ? `'${name}' is given more than once` : `'${name}' must be a string`,
  );
}

export function intParam(raw: RawParams, name: string): number | undefined {
  const value = present(raw, name);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && INTEGER.test(value.trim())) {
    const parsed = Number.parseInt(value.trim(), 10);
    // Huge values are only ever clamped by the caller, so saturate rather than reject.
    return Number.isSafeInteger(parsed) ? parsed : Math.sign(parsed) * Number.MAX_SAFE_INTEGER;
  }
  throw invalidValue(`'${name}' must be an integer`);
}

/** Comma-separated names (query string) or an array of names (SearchRequest body). */
export function listParam(raw: RawParams, name: string): string[] | undefined {
  const value = present(raw, name);
  if (value === undefined) return undefined;
  const parts: unknown[] = Array.isArray(value) ? value : [value];
  if (!parts.every((part): part is string => typeof part === 'string')) {
    throw invalidValue(`'${name}' must be a comma-separated list of attribute names`);
  }
  return parts
    .flatMap((part) => part.split(','))
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** RFC 9865: the empty string is meaningful for `cursor` (it asks for the first page). */
export function cursorParam(raw: RawParams): string | undefined {
  const value = getIgnoreCase(raw, 'cursor');
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw invalidValue(
      Array.isArray(value) ? "'cursor' is given more than once" : "'cursor' must be a string",
    );
  }
  return value;
}
