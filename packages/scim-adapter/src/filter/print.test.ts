import { describe, expect, it } from 'vitest';
import type { Filter } from './ast.js';
import { parseFilter } from './parser.js';
import { printFilter } from './print.js';
import { and, cmp, ENTERPRISE, not, or, pr, vp } from './test-helpers.js';

const a = cmp('a', 'eq', 1);
const b = pr('b');
const c = cmp('c', 'ne', 'x');

const cases: [Filter, string][] = [
  [cmp('userName', 'eq', 'john'), 'userName eq "john"'],
  [cmp('manager.value', 'eq', null, ENTERPRISE), `${ENTERPRISE}:manager.value eq null`],
  [cmp('n', 'gt', -0), 'n gt -0'],
  [cmp('n', 'lt', 1e21), 'n lt 1e+21'],
  [cmp('s', 'eq', 'say "hi" \\ \n'), 's eq "say \\"hi\\" \\\\ \\n"'],
  [cmp('active', 'eq', false), 'active eq false'],
  [or(a, and(b, c)), 'a eq 1 or b pr and c ne "x"'],
  [and(or(a, b), c), '(a eq 1 or b pr) and c ne "x"'],
  [or(or(a, b), c), 'a eq 1 or b pr or c ne "x"'],
  [or(a, or(b, c)), 'a eq 1 or (b pr or c ne "x")'],
  [and(a, and(b, c)), 'a eq 1 and (b pr and c ne "x")'],
  [not(a), 'not (a eq 1)'],
  [and(not(or(a, b)), c), 'not (a eq 1 or b pr) and c ne "x"'],
  [vp('emails', and(cmp('type', 'eq', 'work'), pr('value'))), 'emails[type eq "work" and value pr]'],
];

describe('printFilter', () => {
  it.each(cases)('%j → %s', (filter, text) => {
    expect(printFilter(filter)).toBe(text);
    expect(parseFilter(text)).toStrictEqual(filter);
  });

  it('prints Entra forms canonically', () => {
    expect(printFilter(parseFilter('emails[type eq "work"].value eq "x"'))).toBe(
      'emails[type eq "work" and value eq "x"]',
    );
    expect(printFilter(parseFilter('userName EQ jyoung'))).toBe('userName eq "jyoung"');
  });
});
