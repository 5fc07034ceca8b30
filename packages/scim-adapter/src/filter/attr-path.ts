// Attribute paths: `[URI ":"] ATTRNAME ["." ATTRNAME]` (RFC 7644 §3.10), plus the prototype-pollution guard.
import { invalidPath } from '../errors.js';
import type { AttrPath } from './ast.js';
import { at, type Fail } from './lexer.js';

// RFC 7643 §2.1 ATTRNAME, plus "$ref" which the core schemas themselves use (members.$ref).
const ATTR_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
// A schema URI needs a scheme and at least one more segment; keeps `userName:x` from passing as a URI.
const SCHEMA_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
// Names that would reach Object.prototype when code indexes plain objects by attribute name.
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** Validates one attribute name. Forbidden names always raise invalidPath, whichever parser asked. */
export function checkAttrName(name: string, offset: number, fail: Fail): string {
  if (FORBIDDEN.has(name.toLowerCase())) {
    throw invalidPath(`Attribute name '${name}' at ${at(offset)} is not allowed`);
  }
  if (!ATTR_NAME.test(name)) {
    throw fail(
      name === ''
        ? `Missing attribute name at ${at(offset)}`
        : `Invalid attribute name '${name}' at ${at(offset)}: names start with a letter and contain only letters, digits, '-' and '_'`,
    );
  }
  return name;
}

/**
 * Parses an attribute path word. The URI is everything before the LAST colon, since schema URIs
 * contain colons and dots themselves (`...:enterprise:2.0:User:manager.value`).
 * `relative` paths (inside `[...]`) may carry neither a URI nor a sub-attribute.
 */
export function parseAttrPath(text: string, offset: number, relative: boolean, fail: Fail): AttrPath {
  const colon = text.lastIndexOf(':');
  const uri = colon >= 0 ? text.slice(0, colon) : undefined;
  const rest = text.slice(colon + 1);
  const restOffset = offset + colon + 1;

  const dot = rest.indexOf('.');
  const attr = checkAttrName(dot >= 0 ? rest.slice(0, dot) : rest, restOffset, fail);
  const sub = dot >= 0 ? checkAttrName(rest.slice(dot + 1), restOffset + dot + 1, fail) : undefined;

  if (uri !== undefined) {
    if (!SCHEMA_URI.test(uri)) throw fail(`'${uri}' at ${at(offset)} is not a schema URI`);
    if (relative)
      throw fail(`Attribute '${text}' at ${at(offset)} inside '[...]' must not have a schema URI`);
  }
  if (sub !== undefined && relative) {
    throw fail(`Attribute '${text}' at ${at(offset)} inside '[...]' must not have a sub-attribute`);
  }

  // Build without undefined keys so `'sub' in path` and deep-equality behave.
  const path: AttrPath = { attr };
  if (uri !== undefined) path.uri = uri;
  if (sub !== undefined) path.sub = sub;
  return path;
}
