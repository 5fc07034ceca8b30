import { describe, expect, it } from 'vitest';
import { invalidFilter } from '../errors.js';
import { tokenize } from './lexer.js';

const kinds = (input: string) =>
  tokenize(input, invalidFilter).map((t) =>
    t.type === 'word' ? `w:${t.text}` : t.type === 'string' ? `s:${t.value}` : t.type,
  );

describe('tokenize', () => {
  it.each([
    ['a eq "b"', ['w:a', 'w:eq', 's:b', 'eof']],
    ['emails[type eq "w"].value', ['w:emails', '[', 'w:type', 'w:eq', 's:w', ']', 'w:.value', 'eof']],
    ['(a pr)and(b pr)', ['(', 'w:a', 'w:pr', ')', 'w:and', '(', 'w:b', 'w:pr', ')', 'eof']],
    ['urn:x:2.0:User:a.b', ['w:urn:x:2.0:User:a.b', 'eof']],
    ['a eq"b"', ['w:a', 'w:eq', 's:b', 'eof']],
    ['"\\ud83d\\ude00"', ['s:😀', 'eof']],
    ['', ['eof']],
  ])('%s', (input, expected) => {
    expect(kinds(input)).toStrictEqual(expected);
  });

  it('records 0-based spans', () => {
    expect(tokenize('ab "c"', invalidFilter)).toStrictEqual([
      { type: 'word', text: 'ab', start: 0, end: 2 },
      { type: 'string', value: 'c', raw: '"c"', start: 3, end: 6 },
      { type: 'eof', start: 6, end: 6 },
    ]);
  });
});
