import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import { parseListParams } from './list-params.js';
import { toListQuery } from './list-query.js';

const limits = { defaultCount: 20, maxResults: 100 };
const scimTypeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof ScimError ? error.scimType : 'not a ScimError';
  }
  return 'nothing thrown';
};

describe('parseListParams', () => {
  it('defaults to index pagination from 1 with the default count, ascending', () => {
    expect(parseListParams({}, limits)).toEqual({ startIndex: 1, count: 20, sortOrder: 'ascending' });
  });

  it('clamps startIndex and count as RFC 7644 §3.4.2.4 says', () => {
    expect(parseListParams({ startIndex: '0', count: '-3' }, limits)).toMatchObject({
      startIndex: 1,
      count: 0,
    });
    expect(parseListParams({ startIndex: -5, count: 500 }, limits)).toMatchObject({
      startIndex: 1,
      count: 100,
    });
    expect(parseListParams({ count: '99999999999999999999999' }, limits).count).toBe(100);
  });

  it('matches parameter names case-insensitively and treats empty values as absent', () => {
    expect(parseListParams({ startindex: '3', COUNT: '2', filter: '' }, limits)).toEqual({
      startIndex: 3,
      count: 2,
      sortOrder: 'ascending',
    });
  });

  it('parses filter, sortBy, attribute lists (query string or JSON array) and cursor', () => {
    const params = parseListParams(
      {
        filter: 'userName eq "a"',
        sortBy: 'name.familyName',
        sortOrder: 'DESCENDING',
        attributes: 'userName, emails',
        excludedAttributes: ['members', 'meta'],
        cursor: '',
      },
      limits,
    );
    expect(params).toMatchObject({
      filter: { kind: 'compare', op: 'eq', value: 'a' },
      sortBy: { attr: 'name', sub: 'familyName' },
      sortOrder: 'descending',
      attributes: ['userName', 'emails'],
      excludedAttributes: ['members', 'meta'],
      cursor: '',
    });
  });

  it('rejects what it cannot read', () => {
    expect(scimTypeOf(() => parseListParams({ filter: 'userName eq' }, limits))).toBe('invalidFilter');
    expect(scimTypeOf(() => parseListParams({ filter: ['a eq 1', 'b eq 2'] }, limits))).toBe('invalidFilter');
    expect(scimTypeOf(() => parseListParams({ count: 'many' }, limits))).toBe('invalidValue');
    expect(scimTypeOf(() => parseListParams({ count: 2.5 }, limits))).toBe('invalidValue');
    expect(scimTypeOf(() => parseListParams({ sortBy: ['a', 'b'] }, limits))).toBe('invalidValue');
    expect(scimTypeOf(() => parseListParams({ sortBy: 'emails[type eq "work"]' }, limits))).toBe(
      'invalidValue',
    );
    expect(scimTypeOf(() => parseListParams({ attributes: [1] }, limits))).toBe('invalidValue');
    expect(scimTypeOf(() => parseListParams({ cursor: 'abc', startIndex: '1' }, limits))).toBe(
      'invalidValue',
    );
  });
});

describe('toListQuery', () => {
  it('validates sortBy against the resource type', () => {
    const params = parseListParams({ sortBy: 'userName' }, limits);
    expect(toListQuery(params, 'User').query.sortBy).toEqual({ attr: 'userName' });
    expect(scimTypeOf(() => toListQuery(params, 'Group'))).toBe('invalidValue');
    expect(
      toListQuery(parseListParams({ sortBy: 'meta.lastModified' }, limits), 'Group').query.sortBy,
    ).toBeDefined();
  });

  it('loads members unless they are excluded or not among the requested attributes', () => {
    const includeMembers = (raw: Record<string, unknown>) =>
      toListQuery(parseListParams(raw, limits), 'Group').query.includeMembers;
    expect(includeMembers({})).toBe(true);
    expect(includeMembers({ excludedAttributes: 'members' })).toBe(false);
    expect(includeMembers({ excludedAttributes: 'Members' })).toBe(false);
    expect(includeMembers({ excludedAttributes: 'members.display' })).toBe(true);
    expect(includeMembers({ attributes: 'displayName' })).toBe(false);
    expect(includeMembers({ attributes: 'displayName,members.value' })).toBe(true);
    expect(includeMembers({ attributes: 'urn:ietf:params:scim:schemas:core:2.0:Group:members' })).toBe(true);
  });
});
