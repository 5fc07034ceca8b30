// Weak ETags over the row version (RFC 7644 §3.14): W/"<version>".
import { ScimError } from '../errors.js';

export const formatEtag = (version: number): string => `W/"${version}"`;

/** Versions named by an If-Match / If-None-Match list; '*' matches any. Unparseable tags match nothing. */
function parseEtags(header: string): '*' | number[] {
  const tags = header.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) return '*';
  return tags.flatMap((tag) => {
    // Weak comparison (RFC 9110 §8.8.3.2): W/"3" and "3" name the same version.
    const match = /^(?:W\/)?"(\d+)"$/.exec(tag);
    return match?.[1] === undefined ? [] : [Number(match[1])];
  });
}

export function etagMatches(header: string, version: number): boolean {
  const tags = parseEtags(header);
  return tags === '*' || tags.includes(version);
}

/**
 * If-Match on PUT/PATCH/DELETE: a mismatch is 412 before anything is queued. Returns the version
 * the worker must still find (it re-checks inside its transaction), or undefined for none / '*'.
 */
export function checkIfMatch(header: string | undefined, current: number): number | undefined {
  if (header === undefined) return undefined;
  if (parseEtags(header) === '*') return undefined;
  if (!etagMatches(header, current)) {
    throw new ScimError(412, `The resource has changed: its current version is ${formatEtag(current)}.`);
  }
  return current;
}
