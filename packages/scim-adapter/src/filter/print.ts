// Canonical text for filters and PATCH paths: parses back to the same AST (parseFilter(printFilter(f)) ≡ f).
import type { AttrPath, Filter, FilterValue, PatchPath } from './ast.js';

export function printAttrPath(path: AttrPath): string {
  const uri = path.uri === undefined ? '' : `${path.uri}:`;
  const sub = path.sub === undefined ? '' : `.${path.sub}`;
  return `${uri}${path.attr}${sub}`;
}

export function printValue(value: FilterValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // String(-0) is "0"; keep the sign so the round trip is exact. Non-finite numbers cannot come
  // from the parser; they print as-is rather than throwing, since this also serves logging.
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return String(value);
}

// Binding strength: or < and < everything else.
const precedence = (f: Filter): number => (f.kind === 'or' ? 1 : f.kind === 'and' ? 2 : 3);

export function printFilter(f: Filter): string {
  switch (f.kind) {
    case 'compare':
      return `${printAttrPath(f.path)} ${f.op} ${printValue(f.value)}`;
    case 'present':
      return `${printAttrPath(f.path)} pr`;
    case 'not':
      return `not (${printFilter(f.filter)})`;
    case 'valuePath':
      return `${printAttrPath(f.path)}[${printFilter(f.filter)}]`;
    case 'and':
    case 'or': {
      // and/or parse left-associatively, so a same-strength right operand needs parentheses
      // to keep the tree shape.
      const p = precedence(f);
      const left = precedence(f.left) < p ? `(${printFilter(f.left)})` : printFilter(f.left);
      const right = precedence(f.right) <= p ? `(${printFilter(f.right)})` : printFilter(f.right);
      return `${left} ${f.kind} ${right}`;
    }
  }
}

export function printPatchPath(p: PatchPath): string {
  const filter = p.filter === undefined ? '' : `[${printFilter(p.filter)}]`;
  const sub = p.sub === undefined ? '' : `.${p.sub}`;
  return `${printAttrPath(p.path)}${filter}${sub}`;
}
