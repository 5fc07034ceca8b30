// Recursive-descent parser for SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2).
// Precedence: not > and > or; and/or are left-associative. Errors never leave a partial result.
import { invalidFilter, invalidPath } from '../errors.js';
import type { AttrPath, Filter, PatchPath } from './ast.js';
import { checkAttrName, parseAttrPath } from './attr-path.js';
import { isCompareOp, isOperator } from './keywords.js';
import { at, describe, tokenize, type Fail, type Token } from './lexer.js';
import { parseWordValue } from './values.js';

/** Longer filters are rejected before tokenizing, which also bounds AST size. */
export const MAX_FILTER_LENGTH = 4096;
/** Bound on nested '(' / '[' so hostile input cannot exhaust the stack. */
export const MAX_NESTING = 50;

export function parseFilter(input: string): Filter {
  const parser = new Parser(input, invalidFilter, 'filter');
  const filter = parser.orExpr(false);
  parser.expectEnd();
  return filter;
}

export function parsePatchPath(input: string): PatchPath {
  const parser = new Parser(input, invalidPath, 'PATCH path');
  const result = parser.patchPath();
  parser.expectEnd();
  return result;
}

const isWord = (token: Token, keyword: string): boolean =>
  token.type === 'word' && token.text.toLowerCase() === keyword;

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(
    input: unknown,
    private readonly fail: Fail,
    private readonly what: 'filter' | 'PATCH path',
  ) {
    // Query strings can yield arrays (?filter=a&filter=b); don't trust the static type.
    if (typeof input !== 'string') throw fail(`The ${what} must be a string`);
    if (input.length > MAX_FILTER_LENGTH) {
      throw fail(`The ${what} is ${input.length} characters long; the limit is ${MAX_FILTER_LENGTH}`);
    }
    this.tokens = tokenize(input, fail);
    if (this.peek().type === 'eof') throw fail(`The ${what} is empty`);
  }

  private peek(ahead = 0): Token {
    // The eof token is always last, so clamp to it.
    const last = this.tokens.length - 1;
    return this.tokens[Math.min(this.index + ahead, last)] ?? { type: 'eof', start: 0, end: 0 };
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.index++;
    return token;
  }

  private enter(open: Token): void {
    if (++this.depth > MAX_NESTING) {
      throw this.fail(`The ${this.what} nests deeper than ${MAX_NESTING} levels at ${at(open.start)}`);
    }
  }

  /** `relative`: inside a value path's brackets, where paths are relative and '[' is not allowed. */
  orExpr(relative: boolean): Filter {
    let left = this.andExpr(relative);
    while (isWord(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.andExpr(relative) };
    }
    return left;
  }

  private andExpr(relative: boolean): Filter {
    let left = this.unary(relative);
    while (isWord(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.unary(relative) };
    }
    return left;
  }

  private unary(relative: boolean): Filter {
    const token = this.peek();
    if (token.type === '(') return this.group(relative);
    if (isWord(token, 'not')) {
      const after = this.peek(1);
      if (after.type === '(') {
        this.next();
        return { kind: 'not', filter: this.group(relative) };
      }
      // "not" followed by an operator or '[' is an attribute that happens to be called "not".
      const isAttribute = after.type === '[' || (after.type === 'word' && isOperator(after.text));
      if (!isAttribute) {
        throw this.fail(
          `'not' at ${at(token.start)} must be followed by a filter in parentheses, e.g. not (title pr)`,
        );
      }
    }
    return this.attrExpr(relative);
  }

  private group(relative: boolean): Filter {
    const open = this.next();
    this.enter(open);
    const filter = this.orExpr(relative);
    const close = this.next();
    if (close.type !== ')') {
      throw this.fail(
        `Expected 'and', 'or' or ')' to close the '(' at ${at(open.start)}, but found ${describe(close)} at ${at(close.start)}`,
      );
    }
    this.depth--;
    return filter;
  }

  /** attrPath op value | attrPath pr | valuePath, plus Entra's `valuePath.sub op value`. */
  private attrExpr(relative: boolean): Filter {
    const token = this.next();
    if (token.type !== 'word') throw this.fail(this.expectedAttribute(token));
    const path = parseAttrPath(token.text, token.start, relative, this.fail);
    if (this.peek().type !== '[') return this.condition(path, token.text);

    const { filter, close } = this.bracketFilter(path, token, relative);
    const sub = this.subAfterBracket(close);
    if (sub === undefined) return { kind: 'valuePath', path, filter };
    // Entra sends `emails[type eq "work"].value eq "x"` (not RFC); fold the trailing
    // condition into the value filter so evaluators see one standard shape.
    const tail = this.condition({ attr: sub.name }, `.${sub.name}`);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: tail } };
  }

  private expectedAttribute(token: Token): string {
    if (token.type === 'eof')
      return `The ${this.what} ends early at ${at(token.start)}: expected an attribute name`;
    if (token.type === ')') return `Unbalanced ')' at ${at(token.start)}`;
    return `Expected an attribute name at ${at(token.start)}, but found ${describe(token)}`;
  }

  /** Parses `[valFilter]` after `path`; the '[' is the next token. */
  private bracketFilter(
    path: AttrPath,
    pathToken: Token,
    relative: boolean,
  ): { filter: Filter; close: Token } {
    const open = this.next();
    if (relative) throw this.fail(`Value filters cannot be nested: unexpected '[' at ${at(open.start)}`);
    if (path.sub !== undefined) {
      throw this.fail(
        `'[' at ${at(open.start)} must follow a multi-valued attribute, not the sub-attribute path at ${at(pathToken.start)}`,
      );
    }
    this.enter(open);
    const filter = this.orExpr(true);
    const close = this.next();
    if (close.type !== ']') {
      throw this.fail(
        `Expected 'and', 'or' or ']' to close the '[' at ${at(open.start)}, but found ${describe(close)} at ${at(close.start)}`,
      );
    }
    this.depth--;
    return { filter, close };
  }

  /** `.sub` written directly after ']' (no space), as in `emails[type eq "work"].value`. */
  private subAfterBracket(close: Token): { name: string } | undefined {
    const token = this.peek();
    if (token.type !== 'word' || token.start !== close.end || !token.text.startsWith('.')) return undefined;
    this.next();
    return { name: checkAttrName(token.text.slice(1), token.start + 1, this.fail) };
  }

  private condition(path: AttrPath, pathText: string): Filter {
    const opToken = this.next();
    if (opToken.type !== 'word') {
      throw this.fail(
        `Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after '${pathText}' at ${at(opToken.start)}, but found ${describe(opToken)}`,
      );
    }
    const op = opToken.text.toLowerCase();
    if (op === 'pr') {
      const after = this.peek();
      if (
        after.type === 'string' ||
        (after.type === 'word' && !isWord(after, 'and') && !isWord(after, 'or'))
      ) {
        throw this.fail(`'pr' at ${at(opToken.start)} takes no value, but is followed by ${describe(after)}`);
      }
      return { kind: 'present', path };
    }
    if (!isCompareOp(op)) {
      throw this.fail(
        `Unknown operator '${opToken.text}' at ${at(opToken.start)}; expected eq, ne, co, sw, ew, gt, ge, lt, le or pr`,
      );
    }
    const valueToken = this.next();
    if (valueToken.type === 'string') return { kind: 'compare', path, op, value: valueToken.value };
    if (valueToken.type === 'word') {
      return {
        kind: 'compare',
        path,
        op,
        value: parseWordValue(valueToken.text, valueToken.start, this.fail),
      };
    }
    throw this.fail(
      `Missing value after '${opToken.text}' at ${at(valueToken.start)}, found ${describe(valueToken)}`,
    );
  }

  /** PATH = attrPath / valuePath [subAttr] */
  patchPath(): PatchPath {
    const token = this.next();
    if (token.type !== 'word') throw this.fail(this.expectedAttribute(token));
    const path = parseAttrPath(token.text, token.start, false, this.fail);
    if (this.peek().type !== '[') return { path };
    const { filter, close } = this.bracketFilter(path, token, false);
    const sub = this.subAfterBracket(close);
    return sub === undefined ? { path, filter } : { path, filter, sub: sub.name };
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.type === 'eof') return;
    if (token.type === ')' || token.type === ']')
      throw this.fail(`Unbalanced '${token.type}' at ${at(token.start)}`);
    const expected =
      this.what === 'filter' ? `'and', 'or' or the end of the filter` : 'the end of the PATCH path';
    throw this.fail(`Unexpected ${describe(token)} at ${at(token.start)}; expected ${expected}`);
  }
}
