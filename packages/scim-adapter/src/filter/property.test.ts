// Property tests: print/parse round trip, and parseFilter never throws anything but a 400 ScimError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import type { AttrPath, Filter, FilterValue } from './ast.js';
import { COMPARE_OPS } from './keywords.js';
import { MAX_FILTER_LENGTH, parseFilter, parsePatchPath } from './parser.js';
import { printFilter } from './print.js';
import { ENTERPRISE, CORE_USER } from './test-helpers.js';

// Parsed ASTs are plain objects; fast-check would otherwise sometimes build null-prototype ones.
const NO_NULL_PROTO = { noNullPrototype: true } as const;

// Includes names that collide with keywords: the parser resolves them by position.
const name = fc
  .oneof(
    fc.constantFrom('userName', 'emails', 'type', 'value', '$ref', 'not', 'and', 'or', 'pr', 'eq', 'x-y_1'),
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/),
  )
  .filter((n) => !['prototype', 'constructor'].includes(n.toLowerCase())); // guarded names are rejected by design
const uri = fc.constantFrom(ENTERPRISE, CORE_USER, 'urn:example:custom:1.0');

const absolutePath: fc.Arbitrary<AttrPath> = fc.record(
  { uri, attr: name, sub: name },
  { requiredKeys: ['attr'], noNullPrototype: true },
);
const relativePath: fc.Arbitrary<AttrPath> = name.map((attr) => ({ attr }));

const value: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)), maxLength: 4 }),
  fc.constantFrom('carol and dave', 'x) or (y', '"', '\\', 'not'),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

function filterArb(pathArb: fc.Arbitrary<AttrPath>, withValuePath: boolean): fc.Arbitrary<Filter> {
  const leaf: fc.Arbitrary<Filter> = fc.oneof(
    fc.record(
      { kind: fc.constant('compare' as const), path: pathArb, op: fc.constantFrom(...COMPARE_OPS), value },
      NO_NULL_PROTO,
    ),
    fc.record({ kind: fc.constant('present' as const), path: pathArb }, NO_NULL_PROTO),
  );
  const { tree } = fc.letrec<{ tree: Filter }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      leaf,
      ...(withValuePath
        ? [
            fc.record(
              {
                kind: fc.constant('valuePath' as const),
                path: name.map((attr): AttrPath => ({ attr })),
                filter: filterArb(relativePath, false),
              },
              NO_NULL_PROTO,
            ),
          ]
        : []),
      fc.record({ kind: fc.constant('and' as const), left: tie('tree'), right: tie('tree') }, NO_NULL_PROTO),
      fc.record({ kind: fc.constant('or' as const), left: tie('tree'), right: tie('tree') }, NO_NULL_PROTO),
      fc.record({ kind: fc.constant('not' as const), filter: tie('tree') }, NO_NULL_PROTO),
    ),
  }));
  return tree;
}

// Fragments that hit many grammar branches when glued together at random.
const fragment = fc.constantFrom(
  'a',
  'emails',
  'name.givenName',
  `${ENTERPRISE}:manager.value`,
  'eq',
  'EQ',
  'pr',
  'co',
  'gt',
  'and',
  'or',
  'not',
  '(',
  ')',
  '[',
  ']',
  '].value',
  '"x"',
  '"',
  '\\',
  '\\u00',
  '1',
  '-1.5e3',
  '1e999',
  'true',
  'null',
  'jyoung',
  '__proto__',
  'constructor',
  ' ',
  '.',
  ':',
  "'",
);
const soup = fc.array(fragment, { maxLength: 25 }).map((parts) => parts.join(' '));
const tightSoup = fc.array(fragment, { maxLength: 25 }).map((parts) => parts.join(''));

function expectOnlyScimErrors(parse: (s: string) => unknown, input: string): void {
  try {
    parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
  }
}

describe('filter properties', () => {
  it('parseFilter(printFilter(ast)) equals ast', () => {
    fc.assert(
      fc.property(filterArb(absolutePath, true), (ast) => {
        const text = printFilter(ast);
        if (text.length > MAX_FILTER_LENGTH) {
          expect(() => parseFilter(text)).toThrow(ScimError);
          return;
        }
        expect(parseFilter(text)).toStrictEqual(ast);
      }),
      { numRuns: 300 },
    );
  });

  it('printFilter is a fixed point after one parse', () => {
    fc.assert(
      fc.property(filterArb(absolutePath, true), (ast) => {
        const text = printFilter(ast);
        fc.pre(text.length <= MAX_FILTER_LENGTH);
        expect(printFilter(parseFilter(text))).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['arbitrary strings', fc.string({ unit: 'binary', maxLength: 60 })],
    ['token soup', soup],
    ['tight token soup', tightSoup],
  ])('parseFilter and parsePatchPath only throw 400 ScimErrors on %s', (_name, arb) => {
    fc.assert(
      fc.property(arb, (input) => {
        expectOnlyScimErrors(parseFilter, input);
        expectOnlyScimErrors(parsePatchPath, input);
      }),
      { numRuns: 400 },
    );
  });
});
