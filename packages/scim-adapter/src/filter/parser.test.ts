import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import type { Filter } from './ast.js';
import { parseFilter } from './parser.js';
import { and, cmp, CORE_USER, ENTERPRISE, not, or, pr, vp } from './test-helpers.js';

// Every example filter from RFC 7644 §3.4.2.2.
const rfcExamples: [string, Filter][] = [
  ['userName Eq "john"', cmp('userName', 'eq', 'john')],
  ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
  ['userName sw "J"', cmp('userName', 'sw', 'J')],
  [`${CORE_USER}:userName sw "J"`, cmp('userName', 'sw', 'J', CORE_USER)],
  ['title pr', pr('title')],
  ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
  ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
  ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
  ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
  ['title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
  ['title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
  [
    'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
    cmp('schemas', 'eq', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'),
  ],
  [
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    and(
      cmp('userType', 'eq', 'Employee'),
      or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')),
    ),
  ],
  [
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    and(
      cmp('userType', 'ne', 'Employee'),
      not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
    ),
  ],
  [
    'userType eq "Employee" and (emails.type eq "work")',
    and(cmp('userType', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work')),
  ],
  [
    'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    and(
      cmp('userType', 'eq', 'Employee'),
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
    ),
  ],
  [
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    or(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
      vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
    ),
  ],
];

const a1 = cmp('a', 'eq', 1);
const b2 = cmp('b', 'eq', 2);
const c3 = cmp('c', 'eq', 3);

const precedence: [string, Filter][] = [
  ['a eq 1 or b eq 2 and c eq 3', or(a1, and(b2, c3))],
  ['a eq 1 and b eq 2 or c eq 3', or(and(a1, b2), c3)],
  ['(a eq 1 or b eq 2) and c eq 3', and(or(a1, b2), c3)],
  ['a eq 1 or b eq 2 or c eq 3', or(or(a1, b2), c3)],
  ['a eq 1 and b eq 2 and c eq 3', and(and(a1, b2), c3)],
  ['a eq 1 or (b eq 2 or c eq 3)', or(a1, or(b2, c3))],
  ['not (a eq 1) and b eq 2', and(not(a1), b2)],
  ['not (a eq 1 and b eq 2)', not(and(a1, b2))],
  ['not(not(a eq 1))', not(not(a1))],
  ['((((a eq 1))))', a1],
];

const syntax: [string, Filter][] = [
  // operators, keywords and literals are case-insensitive; attribute names keep their case
  ['UserName EQ "x"', cmp('UserName', 'eq', 'x')],
  ['a eq 1 And b eq 2 OR c eq 3', or(and(a1, b2), c3)],
  ['NOT (a eq 1)', not(a1)],
  ['title PR', pr('title')],
  ['active eq TRUE', cmp('active', 'eq', true)],
  ['active eq False', cmp('active', 'eq', false)],
  ['manager eq NULL', cmp('manager', 'eq', null)],
  // numbers
  ['n eq 0', cmp('n', 'eq', 0)],
  ['n gt -12.5e3', cmp('n', 'gt', -12500)],
  ['n lt 1E-2', cmp('n', 'lt', 0.01)],
  // strings: JSON escapes, keywords inside quotes
  ['userName eq "carol and dave"', cmp('userName', 'eq', 'carol and dave')],
  ['userName eq "not (x) or [y]"', cmp('userName', 'eq', 'not (x) or [y]')],
  ['displayName eq "say \\"hi\\""', cmp('displayName', 'eq', 'say "hi"')],
  ['displayName eq "back\\\\slash"', cmp('displayName', 'eq', 'back\\slash')],
  ['displayName eq "caf\\u00e9"', cmp('displayName', 'eq', 'café')],
  ['displayName eq "a\\/b\\n\\t"', cmp('displayName', 'eq', 'a/b\n\t')],
  ['displayName eq ""', cmp('displayName', 'eq', '')],
  ['displayName eq "ünïcödé 😀"', cmp('displayName', 'eq', 'ünïcödé 😀')],
  // whitespace tolerance
  ['  userName   eq\t"x"\n', cmp('userName', 'eq', 'x')],
  ['( a eq 1 )', a1],
  ['(a eq 1)and(b eq 2)', and(a1, b2)],
  ['emails[ type eq "work" ]', vp('emails', cmp('type', 'eq', 'work'))],
  ['emails [type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
  // URN-qualified paths: split at the last colon
  [`${ENTERPRISE}:manager.value eq "26118915"`, cmp('manager.value', 'eq', '26118915', ENTERPRISE)],
  [`${ENTERPRISE}:employeeNumber pr`, pr('employeeNumber', ENTERPRISE)],
  [`${CORE_USER}:emails[type eq "work"]`, vp('emails', cmp('type', 'eq', 'work'), CORE_USER)],
  // $ref is a real attribute name in the core schemas
  ['members.$ref pr', pr('members.$ref')],
  // value paths
  ['emails[not (type eq "work")]', vp('emails', not(cmp('type', 'eq', 'work')))],
  [
    'emails[type eq "work" or (primary eq true and value pr)]',
    vp('emails', or(cmp('type', 'eq', 'work'), and(cmp('primary', 'eq', true), pr('value')))),
  ],
  ['emails[type eq "work"] and not (x pr)', and(vp('emails', cmp('type', 'eq', 'work')), not(pr('x')))],
  // attributes that happen to be named like keywords are resolved by position
  ['not pr', pr('not')],
  ['and eq 1 or or pr', or(cmp('and', 'eq', 1), pr('or'))],
];

// Entra's `valuePath.sub op value` form folds into the value filter.
const entra: [string, Filter][] = [
  [
    'emails[type eq "work"].value eq "x"',
    vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))),
  ],
  [
    'emails[type eq "work"].value co "@x.com"',
    vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@x.com'))),
  ],
  ['emails[type eq "work"].value pr', vp('emails', and(cmp('type', 'eq', 'work'), pr('value')))],
  [
    'emails[type eq "work" or type eq "home"].value eq "x" and active eq true',
    and(
      vp('emails', and(or(cmp('type', 'eq', 'work'), cmp('type', 'eq', 'home')), cmp('value', 'eq', 'x'))),
      cmp('active', 'eq', true),
    ),
  ],
  // Leniency: unquoted bare values are strings.
  ['externalId eq jyoung', cmp('externalId', 'eq', 'jyoung')],
  ['id eq 54D382A4-2050-4C03-94D1-E769F1D15682', cmp('id', 'eq', '54D382A4-2050-4C03-94D1-E769F1D15682')],
  ['userName eq jo.young@example.com', cmp('userName', 'eq', 'jo.young@example.com')],
  ['employeeNumber eq 007', cmp('employeeNumber', 'eq', '007')],
  ['(externalId eq jyoung)', cmp('externalId', 'eq', 'jyoung')],
];

describe('parseFilter', () => {
  describe.each([
    ['RFC 7644 §3.4.2.2 examples', rfcExamples],
    ['precedence', precedence],
    ['syntax', syntax],
    ['Entra forms and leniency', entra],
  ])('%s', (_name, cases) => {
    it.each(cases)('%s', (input, expected) => {
      expect(parseFilter(input)).toStrictEqual(expected);
    });
  });

  it('accepts a filter of exactly 4096 characters', () => {
    const input = `userName eq "${'x'.repeat(4096 - 14)}"`;
    expect(input).toHaveLength(4096);
    expect(parseFilter(input)).toMatchObject({ kind: 'compare' });
  });

  it('accepts 50 levels of nesting', () => {
    expect(parseFilter(`${'('.repeat(50)}a eq 1${')'.repeat(50)}`)).toStrictEqual(a1);
  });

  it('handles long and/or chains without recursion limits', () => {
    const input = Array.from({ length: 400 }, () => 'a eq 1').join(' or ');
    expect(parseFilter(input).kind).toBe('or');
  });
});

// [input, fragment expected in the error detail]
const invalid: [string, string][] = [
  ['', 'empty'],
  ['   ', 'empty'],
  ['(a eq 1', "close the '(' at position 1"],
  ['a eq 1)', "Unbalanced ')' at position 7"],
  ['((a eq 1)', "close the '('"],
  [')', "Unbalanced ')'"],
  ['()', "Unbalanced ')'"],
  ['emails[type eq "work"', "close the '['"],
  ['emails type eq "work"]', 'Unknown operator'],
  ['a eq 1]', "Unbalanced ']'"],
  ['userName eq', 'Missing value'],
  ['userName eq )', 'Missing value'],
  ['userName', 'Expected an operator'],
  ['userName "john"', 'Expected an operator'],
  ['userName equals "john"', "Unknown operator 'equals' at position 10"],
  ['userName eq "john" extra', "Unexpected 'extra' at position 20"],
  ['userName eq "john" and', 'ends early'],
  ['and', 'Expected an operator'],
  ['userName eq "john" "x"', 'Unexpected value "x" at position 20'],
  ['a eq 1 b eq 2', "Unexpected 'b'"],
  ['a[b[c eq 1]]', 'cannot be nested'],
  ['emails[x eq 1 and ims[type eq 1]]', 'cannot be nested'],
  ['emails[]', 'Expected an attribute name'],
  ['title pr "x"', "'pr' at position 7 takes no value"],
  ['title pr 1', 'takes no value'],
  ['title pr true', 'takes no value'],
  ['userName eq "john', 'String starting at position 13 is never closed'],
  ['userName eq "john\\"', 'never closed'],
  ['userName eq "john\\', 'never closed'],
  ['userName eq "\\x"', "Invalid escape '\\x'"],
  ['userName eq "\\u12"', 'Invalid \\u escape'],
  ['userName eq "a\u0001"', 'control character'],
  ['x'.repeat(4097), 'limit is 4096'],
  [`${'('.repeat(51)}a eq 1${')'.repeat(51)}`, 'deeper than 50'],
  [`${'not ('.repeat(51)}a eq 1${')'.repeat(51)}`, 'deeper than 50'],
  ['not a eq 1', "'not' at position 1 must be followed by a filter in parentheses"],
  ['not', 'must be followed'],
  ['a eq and', "keyword 'and'"],
  ['a eq pr', "keyword 'pr'"],
  ["a eq 'x'", 'use a string in double quotes'],
  ['a eq x,y', 'use a string in double quotes'],
  ['n eq 1e999', 'out of range'],
  ['1abc eq 1', 'Invalid attribute name'],
  ['name.givenName.x eq 1', 'Invalid attribute name'],
  ['name. eq 1', 'Missing attribute name'],
  ['userName:x eq 1', 'is not a schema URI'],
  [`${ENTERPRISE}: eq 1`, 'Missing attribute name'],
  ['name.givenName[value eq 1]', 'multi-valued attribute'],
  ['emails[type.x eq 1]', 'must not have a sub-attribute'],
  [`emails[${CORE_USER}:type eq 1]`, 'must not have a schema URI'],
  ['emails[type eq "work"].', 'Missing attribute name'],
  ['emails[type eq "work"].value', 'Expected an operator'],
  ['emails[type eq "work"] .value eq "x"', "Unexpected '.value'"],
  ['emails[type eq "work"].value eq', 'Missing value'],
  ['"john" eq userName', 'Expected an attribute name'],
];

describe('parseFilter rejects malformed input with invalidFilter', () => {
  it.each(invalid)('%s', (input, fragment) => {
    const error = catchError(() => parseFilter(input));
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    expect((error as ScimError).detail).toContain(fragment);
  });

  it('rejects non-string input', () => {
    expect(() => parseFilter(['a eq 1'] as unknown as string)).toThrow(ScimError);
  });
});

describe('prototype-pollution guard', () => {
  it.each([
    '__proto__ eq 1',
    '__PROTO__ pr',
    'constructor eq 1',
    'a.prototype eq 1',
    'name.Constructor pr',
    `${ENTERPRISE}:constructor eq 1`,
    'emails[__proto__ eq 1]',
    'emails[type eq 1].constructor eq 1',
    'prototype[type eq 1]',
  ])('%s → invalidPath', (input) => {
    expect(catchError(() => parseFilter(input))).toMatchObject({ status: 400, scimType: 'invalidPath' });
  });

  it('allows those words as values', () => {
    expect(parseFilter('a eq "__proto__"')).toStrictEqual(cmp('a', 'eq', '__proto__'));
    expect(parseFilter('a eq constructor')).toStrictEqual(cmp('a', 'eq', 'constructor'));
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
