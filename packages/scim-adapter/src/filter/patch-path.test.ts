import { describe, expect, it } from 'vitest';
import type { PatchPath } from './ast.js';
import { parsePatchPath } from './parser.js';
import { printPatchPath } from './print.js';
import { and, cmp, ENTERPRISE, path } from './test-helpers.js';

const valid: [string, PatchPath][] = [
  ['active', { path: path('active') }],
  ['name.givenName', { path: path('name.givenName') }],
  ['emails[type eq "work"].value', { path: path('emails'), filter: cmp('type', 'eq', 'work'), sub: 'value' }],
  ['members[value eq "2819c223"]', { path: path('members'), filter: cmp('value', 'eq', '2819c223') }],
  [
    'addresses[type eq "work"].streetAddress',
    { path: path('addresses'), filter: cmp('type', 'eq', 'work'), sub: 'streetAddress' },
  ],
  [`${ENTERPRISE}:manager`, { path: path('manager', ENTERPRISE) }],
  [`${ENTERPRISE}:manager.value`, { path: path('manager.value', ENTERPRISE) }],
  [
    'emails[type eq "work" and primary eq true]',
    { path: path('emails'), filter: and(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true)) },
  ],
  ['members[value eq 2819c223-7f76]', { path: path('members'), filter: cmp('value', 'eq', '2819c223-7f76') }],
  ['  Active  ', { path: path('Active') }],
  ['members.$ref', { path: path('members.$ref') }],
];

describe('parsePatchPath', () => {
  it.each(valid)('%s', (input, expected) => {
    const parsed = parsePatchPath(input);
    expect(parsed).toStrictEqual(expected);
    expect(parsePatchPath(printPatchPath(parsed))).toStrictEqual(expected);
  });

  it.each([
    '',
    'active eq true',
    'emails[type eq "work"',
    'emails[type eq "work"]]',
    'emails[type eq "work"].value.display',
    'emails[type eq "work"] .value',
    'emails[type eq "work"].',
    'emails[type eq "work"]value',
    'emails[ims[type eq 1]]',
    'name.givenName[type eq 1]',
    'name..givenName',
    '1name',
    '(active)',
    'a b',
    '"active"',
    'emails[type xx "work"]',
    'emails[type eq]',
    'userName:x',
    '__proto__',
    'constructor.x',
    'x.PROTOTYPE',
    'emails[type eq 1].__proto__',
    'x'.repeat(4097),
  ])('rejects %s with invalidPath', (input) => {
    expect(() => parsePatchPath(input)).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidPath' }),
    );
  });
});
