// Tokenizer for SCIM filters and PATCH paths. Words are split only at whitespace, parentheses,
// brackets and quotes: attribute paths (with URNs and dots), operators, numbers and bare values
// all arrive as `word` and the parser classifies them by position.
import type { ScimError } from '../errors.js';

/** Builds the error to throw; filters and PATCH paths report different scimTypes. */
export type Fail = (detail: string) => ScimError;

interface Span {
  /** 0-based offset of the first character. */
  start: number;
  /** 0-based offset just past the last character. */
  end: number;
}

export type Token =
  | (Span & { type: '(' | ')' | '[' | ']' | 'eof' })
  | (Span & { type: 'word'; text: string })
  | (Span & { type: 'string'; value: string; raw: string });

const PUNCT = new Set(['(', ')', '[', ']'] as const);
const isPunct = (ch: string): ch is '(' | ')' | '[' | ']' => PUNCT.has(ch as '(');
const SPACE = /\s/;
// Map, not object literal: a lookup of e.g. "constructor" must not hit Object.prototype.
const ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Human-facing positions are 1-based. */
export const at = (offset: number): string => `position ${offset + 1}`;

export function tokenize(input: string, fail: Fail): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input.charAt(i);
    if (SPACE.test(ch)) {
      i++;
    } else if (isPunct(ch)) {
      tokens.push({ type: ch, start: i, end: i + 1 });
      i++;
    } else if (ch === '"') {
      const token = readString(input, i, fail);
      tokens.push(token);
      i = token.end;
    } else {
      const start = i;
      while (i < input.length) {
        const c = input.charAt(i);
        if (SPACE.test(c) || isPunct(c) || c === '"') break;
        i++;
      }
      tokens.push({ type: 'word', text: input.slice(start, i), start, end: i });
    }
  }
  tokens.push({ type: 'eof', start: input.length, end: input.length });
  return tokens;
}

/** A JSON string (RFC 8259 §7) starting at the opening quote. */
function readString(input: string, start: number, fail: Fail): Token & { type: 'string' } {
  const parts: string[] = [];
  let i = start + 1;
  while (i < input.length) {
    const ch = input.charAt(i);
    if (ch === '"') {
      return { type: 'string', value: parts.join(''), raw: input.slice(start, i + 1), start, end: i + 1 };
    }
    if (ch === '\\') {
      const esc = input.charAt(i + 1);
      if (esc === 'u') {
        const hex = input.slice(i + 2, i + 6);
        if (!HEX4.test(hex)) throw fail(`Invalid \\u escape in string at ${at(i)}: expected 4 hex digits`);
        parts.push(String.fromCharCode(parseInt(hex, 16)));
        i += 6;
        continue;
      }
      const decoded = ESCAPES.get(esc);
      if (decoded === undefined) {
        if (esc === '') break; // backslash at end of input: report as unterminated
        throw fail(`Invalid escape '\\${esc}' in string at ${at(i)}`);
      }
      parts.push(decoded);
      i += 2;
      continue;
    }
    if (ch < ' ') throw fail(`Unescaped control character in string at ${at(i)}`);
    parts.push(ch);
    i++;
  }
  throw fail(`String starting at ${at(start)} is never closed with '"'`);
}

/** Short description of a token for error messages. */
export function describe(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'the end of the input';
    case 'word':
      return `'${clip(token.text)}'`;
    case 'string':
      return `value ${clip(token.raw)}`;
    case '(':
    case ')':
    case '[':
    case ']':
      return `'${token.type}'`;
  }
}

const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 37)}...` : text);
