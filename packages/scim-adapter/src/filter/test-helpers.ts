// AST builders shared by the filter tests; keep expected values short and readable.
import type { AttrPath, CompareOp, Filter, FilterValue } from './ast.js';

/** 'name.givenName' → {attr:'name', sub:'givenName'}; URIs are passed separately. */
export const path = (dotted: string, uri?: string): AttrPath => {
  const [attr = '', sub] = dotted.split('.');
  return { ...(uri === undefined ? {} : { uri }), attr, ...(sub === undefined ? {} : { sub }) };
};

export const cmp = (attr: string, op: CompareOp, value: FilterValue, uri?: string): Filter => ({
  kind: 'compare',
  path: path(attr, uri),
  op,
  value,
});
export const pr = (attr: string, uri?: string): Filter => ({ kind: 'present', path: path(attr, uri) });
export const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
export const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
export const not = (filter: Filter): Filter => ({ kind: 'not', filter });
export const vp = (attr: string, filter: Filter, uri?: string): Filter => ({
  kind: 'valuePath',
  path: path(attr, uri),
  filter,
});

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
