// Comparison values written without quotes: numbers, true/false/null, and Entra's bare strings.
import type { FilterValue } from './ast.js';
import { isKeyword } from './keywords.js';
import { at, type Fail } from './lexer.js';

// RFC 8259 §6 number.
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
// Leniency: Entra's legacy docs send unquoted values such as `externalId eq jyoung` or
// `id eq 54D382A4-2050-4C03-94D1-E769F1D15682`; such a word is taken as a string. The character set is
// kept narrow so that SQL-style 'quotes' or stray punctuation still get a clear error instead of a
// silent non-match.
const BARE_VALUE = /^[\p{L}\p{N}._~@:+\-/]+$/u;

export function parseWordValue(text: string, offset: number, fail: Fail): FilterValue {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (JSON_NUMBER.test(text)) {
    const n = Number(text);
    if (!Number.isFinite(n)) throw fail(`Number '${text}' at ${at(offset)} is out of range`);
    return n;
  }
  if (isKeyword(text)) throw fail(`Missing value at ${at(offset)}: found the keyword '${text}'`);
  if (!BARE_VALUE.test(text)) {
    throw fail(
      `Invalid value ${text} at ${at(offset)}: use a string in double quotes, a number, true, false or null`,
    );
  }
  return text;
}
