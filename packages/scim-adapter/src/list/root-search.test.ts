import { describe, expect, it } from 'vitest';
import { parseFilter, printFilter } from '../filter/index.js';
import { listResponse } from './list-response.js';
import { filterForType } from './root-filter.js';
import { searchAcross, type PageSource } from './root-search.js';

const specialise = (text: string, type: 'User' | 'Group') => {
  const result = filterForType(parseFilter(text), type);
  return typeof result === 'boolean' ? result : printFilter(result);
};

describe('filterForType', () => {
  it('treats attributes a type lacks as unassigned (RFC 7644 §3.4.3)', () => {
    expect(specialise('userName eq "a"', 'Group')).toBe(false);
    expect(specialise('userName pr', 'Group')).toBe(false);
    expect(specialise('userName ne "a"', 'Group')).toBe(true);
    expect(specialise('emails[type eq "work"]', 'Group')).toBe(false);
    expect(specialise('not (userName eq "a")', 'Group')).toBe(true);
  });

  it('simplifies and/or around the unassigned parts and keeps the rest', () => {
    expect(specialise('userName eq "a" or displayName eq "b"', 'Group')).toBe('displayName eq "b"');
    expect(specialise('userName eq "a" and displayName eq "b"', 'Group')).toBe(false);
    expect(specialise('userName eq "a" and displayName eq "b"', 'User')).toBe(
      'userName eq "a" and displayName eq "b"',
    );
    expect(specialise('userName ne "a" or displayName eq "b"', 'Group')).toBe(true);
    expect(specialise('id eq "x"', 'Group')).toBe('id eq "x"');
  });
});

describe('searchAcross', () => {
  const source = (n: number, tag: string, calls: [number, number][]): PageSource => ({
    list: async (startIndex, count) => {
      calls.push([startIndex, count]);
      const all = Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}` }));
      return { totalResults: n, resources: all.slice(startIndex - 1, startIndex - 1 + count) };
    },
  });

  it('pages over the concatenation of the sources', async () => {
    const userCalls: [number, number][] = [];
    const groupCalls: [number, number][] = [];
    const page = await searchAcross([source(3, 'u', userCalls), source(4, 'g', groupCalls)], 3, 3);
    expect(page).toEqual({ totalResults: 7, resources: [{ id: 'u2' }, { id: 'g0' }, { id: 'g1' }] });
    expect(userCalls).toEqual([[3, 3]]);
    expect(groupCalls).toEqual([[1, 2]]);
  });

  it('asks later sources for totals only once the page is full, and skips into them', async () => {
    const calls: [number, number][] = [];
    expect(await searchAcross([source(5, 'u', []), source(4, 'g', calls)], 1, 2)).toMatchObject({
      totalResults: 9,
    });
    expect(calls).toEqual([[1, 0]]);
    const late: [number, number][] = [];
    const page = await searchAcross([source(2, 'u', []), source(4, 'g', late)], 5, 10);
    expect(page.resources).toEqual([{ id: 'g2' }, { id: 'g3' }]);
    expect(late).toEqual([[3, 10]]);
  });
});

describe('listResponse', () => {
  it('reports the number of resources returned and always carries Resources', () => {
    expect(listResponse({ totalResults: 10, startIndex: 1, resources: [] })).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 10,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    });
    expect(listResponse({ totalResults: 3, resources: [{}], nextCursor: 'c' })).toMatchObject({
      itemsPerPage: 1,
      nextCursor: 'c',
    });
  });
});
