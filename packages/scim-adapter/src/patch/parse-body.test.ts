import { describe, expect, it } from 'vitest';
import { parsePatchBody } from './parse-body.js';
import { PATCH_SCHEMAS, scimErrorThrown, scimTypeThrown } from './test-helpers.js';

describe('parsePatchBody', () => {
  it.each([
    [
      'Entra legacy capitalised op',
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'replace', path: 'active', value: 'False' },
    ],
    ['upper-case op', { op: 'REMOVE', path: 'title' }, { op: 'remove', path: 'title' }],
    [
      'path-less replace',
      { op: 'replace', value: { active: false } },
      { op: 'replace', value: { active: false } },
    ],
    [
      'empty path means path-less',
      { op: 'add', path: ' ', value: { title: 'x' } },
      { op: 'add', value: { title: 'x' } },
    ],
    [
      'case-insensitive keys',
      { OP: 'add', Path: 'nickName', Value: 'Babs' },
      { op: 'add', path: 'nickName', value: 'Babs' },
    ],
    [
      'null value kept (means unassign)',
      { op: 'replace', path: 'title', value: null },
      { op: 'replace', path: 'title', value: null },
    ],
  ])('%s', (_name, operation, expected) => {
    expect(parsePatchBody({ schemas: PATCH_SCHEMAS, Operations: [operation] })).toEqual([expected]);
  });

  it('accepts Operations before schemas and a missing schemas list', () => {
    const ops = [{ op: 'Replace', path: 'active', value: false }];
    expect(parsePatchBody({ Operations: ops, schemas: PATCH_SCHEMAS })).toHaveLength(1);
    expect(parsePatchBody({ Operations: ops })).toHaveLength(1);
  });

  it('rejects an empty Operations list with invalidValue (RFC 7644 §3.5.2: one or more)', () => {
    const error = scimErrorThrown(() => parsePatchBody({ schemas: PATCH_SCHEMAS, Operations: [] }));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe('Operations must contain at least one operation (RFC 7644 §3.5.2)');
  });

  it.each([
    ['a non-object body', 'nope', 'invalidSyntax'],
    ['an array body', [], 'invalidSyntax'],
    [
      'a wrong schema',
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        Operations: [{ op: 'add', path: 'a', value: 1 }],
      },
      'invalidSyntax',
    ],
    ['Operations not an array', { schemas: PATCH_SCHEMAS, Operations: { op: 'add' } }, 'invalidSyntax'],
    ['missing Operations', { schemas: PATCH_SCHEMAS }, 'invalidSyntax'],
    ['an operation that is not an object', { Operations: ['add'] }, 'invalidSyntax'],
    ['an unknown op', { Operations: [{ op: 'move', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['a missing op', { Operations: [{ path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['a non-string path', { Operations: [{ op: 'add', path: 5, value: 'x' }] }, 'invalidPath'],
    ['add without value', { Operations: [{ op: 'add', path: 'title' }] }, 'invalidValue'],
    ['replace without value', { Operations: [{ op: 'replace', path: 'title' }] }, 'invalidValue'],
  ])('rejects %s', (_name, body, scimType) => {
    expect(scimTypeThrown(() => parsePatchBody(body))).toBe(scimType);
  });
});
