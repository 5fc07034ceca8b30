// Reserved words of the filter grammar. Keywords are case-insensitive (RFC 7644 §3.4.2.2).
import type { CompareOp } from './ast.js';

export const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

const COMPARE_SET: ReadonlySet<string> = new Set(COMPARE_OPS);

export const isCompareOp = (word: string): word is CompareOp => COMPARE_SET.has(word);

/** Any word that follows an attribute path: a comparison operator or `pr`. */
export const isOperator = (word: string): boolean => {
  const lower = word.toLowerCase();
  return lower === 'pr' || COMPARE_SET.has(lower);
};

const KEYWORDS: ReadonlySet<string> = new Set([...COMPARE_OPS, 'pr', 'and', 'or', 'not']);

export const isKeyword = (word: string): boolean => KEYWORDS.has(word.toLowerCase());
