// SCIM filter / PATCH path AST (RFC 7644 §3.4.2.2, §3.5.2). Other modules code against these shapes.

/** Attribute path with names exactly as written, e.g. {attr:'name', sub:'givenName'}. */
export interface AttrPath {
  uri?: string;
  attr: string;
  sub?: string;
}

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterValue = string | number | boolean | null;

export type Filter =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: FilterValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; left: Filter; right: Filter }
  | { kind: 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  /** `path` is the multi-valued attribute (never has `sub`); paths inside `filter` are relative: {attr:'type'}. */
  | { kind: 'valuePath'; path: AttrPath; filter: Filter };

export interface PatchPath {
  path: AttrPath;
  /** Relative to path.attr. */
  filter?: Filter;
  /** Sub-attribute after the `]`. */
  sub?: string;
}
