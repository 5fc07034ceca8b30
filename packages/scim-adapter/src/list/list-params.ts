// List parameters of GET /{type} and POST .search (RFC 7644 §3.4.2, RFC 9865), before they are
// tied to a resource type.
import { invalidFilter, invalidValue } from '../errors.js';
import { parseFilter, parsePatchPath, type AttrPath, type Filter } from '../filter/index.js';
import type { ScimLimits } from '../ports.js';
import { cursorParam, intParam, listParam, present, stringParam, type RawParams } from './params.js';

export interface ListParams {
  filter?: Filter;
  startIndex: number;
  count: number;
  sortBy?: AttrPath;
  sortOrder: 'ascending' | 'descending';
  /** RFC 9865 cursor mode when defined ('' = first page). */
  cursor?: string;
  attributes?: string[];
  excludedAttributes?: string[];
}

export type PageLimits = Pick<ScimLimits, 'defaultCount' | 'maxResults'>;

export function parseListParams(raw: RawParams, limits: PageLimits): ListParams {
  const filterText = filterParam(raw);
  const requestedStart = intParam(raw, 'startIndex');
  const cursor = cursorParam(raw);
  if (cursor !== undefined && requestedStart !== undefined) {
    throw invalidValue("'cursor' and 'startIndex' cannot be combined (RFC 9865)");
  }
  const sortByText = stringParam(raw, 'sortBy');
  const attributes = listParam(raw, 'attributes');
  const excludedAttributes = listParam(raw, 'excludedAttributes');

  const params: ListParams = {
    // RFC 7644 §3.4.2.4: a startIndex below 1 is interpreted as 1.
    startIndex: Math.max(1, requestedStart ?? 1),
    count: pageSize(intParam(raw, 'count'), limits),
    sortOrder: sortOrderOf(stringParam(raw, 'sortOrder')),
  };
  if (filterText !== undefined) params.filter = parseFilter(filterText);
  if (sortByText !== undefined) params.sortBy = sortPath(sortByText);
  if (cursor !== undefined) params.cursor = cursor;
  if (attributes !== undefined) params.attributes = attributes;
  if (excludedAttributes !== undefined) params.excludedAttributes = excludedAttributes;
  return params;
}

/** Any problem with the filter, even a repeated parameter, is invalidFilter. */
function filterParam(raw: RawParams): string | undefined {
  const value = present(raw, 'filter');
  if (value === undefined || typeof value === 'string') return value;
  throw invalidFilter(
    Array.isArray(value) ? "'filter' is given more than once" : "'filter' must be a string",
  );
}

/** RFC 7644 §3.4.2.4: negative → 0; above the advertised maximum → the maximum, not an error. */
function pageSize(requested: number | undefined, limits: PageLimits): number {
  const count = requested ?? limits.defaultCount;
  return Math.min(Math.max(0, count), limits.maxResults);
}

function sortOrderOf(value: string | undefined): 'ascending' | 'descending' {
  if (value === undefined) return 'ascending';
  const lower = value.toLowerCase();
  if (lower === 'ascending' || lower === 'descending') return lower;
  throw invalidValue("'sortOrder' must be 'ascending' or 'descending'");
}

function sortPath(text: string): AttrPath {
  let parsed;
  try {
    parsed = parsePatchPath(text);
  } catch {
    throw invalidValue(`'sortBy' is not an attribute path: '${text}'`);
  }
  if (parsed.filter !== undefined || parsed.sub !== undefined) {
    throw invalidValue(`'sortBy' must be an attribute path without a filter: '${text}'`);
  }
  return parsed.path;
}
