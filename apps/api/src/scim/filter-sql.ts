// SCIM filter AST → SQL WHERE fragment through a resource's attribute allow-list. Unknown attributes,
// operators an attribute can't take and mistyped values are 400 invalidFilter, never a silent
// empty or full result.
//
// Every leaf is two-valued (true/false, never SQL NULL): comparisons on nullable columns are guarded
// with `col is not null and …`. So `ne` is exactly `not (eq)` and `not (...)` keeps absent values,
// as SCIM's "the attribute and operator values are not identical" asks.
import {
  invalidFilter,
  type AttrPath,
  type CompareOp,
  type Filter,
  type FilterValue,
} from '@repo/scim-adapter';
import { attributeKey, printPath, type FilterAttribute, type ResourceAttributes } from './attribute-map.js';
import { booleanValue, dateTimeValue, isUuid, stringValue } from './filter-values.js';
import { FALSE_SQL, TRUE_SQL, fragment, joinSql, type SqlFragment } from '../sql/read-sql.js';
import { likeSql, type Dialect } from '../sql/sql-dialect.js';

type Match = 'co' | 'sw' | 'ew';
type Order = 'gt' | 'ge' | 'lt' | 'le';

const ORDER_SQL: Record<Order | 'eq', string> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };
const isMatch = (op: CompareOp): op is Match => op === 'co' || op === 'sw' || op === 'ew';
// Lower-cases the parameter in SQL, the same function as the column side (SQLite's lower() is ASCII-only).
const LOWER_PARAM = 'lower(cast(? as text))';

export function filterToSql(filter: Filter, attributes: ResourceAttributes, dialect: Dialect): SqlFragment {
  return new Translator(attributes, dialect).translate(filter, undefined);
}

interface Resolved {
  attribute: FilterAttribute;
  label: string;
}

class Translator {
  constructor(
    private readonly attributes: ResourceAttributes,
    private readonly dialect: Dialect,
  ) {}

  /** `scope`: the multi-valued attribute of an enclosing value path (its filter's paths are relative). */
  translate(filter: Filter, scope: AttrPath | undefined): SqlFragment {
    switch (filter.kind) {
      case 'and':
      case 'or': {
        const parts = [this.translate(filter.left, scope), this.translate(filter.right, scope)];
        return wrap(joinSql(parts, ` ${filter.kind} `));
      }
      case 'not':
        return negate(this.translate(filter.filter, scope));
      case 'present':
        return this.present(this.resolve(filter.path, scope));
      case 'compare':
        return this.compare(this.resolve(filter.path, scope), filter.op, filter.value);
      case 'valuePath':
        return this.valuePath(filter.path, filter.filter);
    }
  }

  private lookup(path: AttrPath, scope: AttrPath | undefined) {
    const full: AttrPath = scope ? { ...scope, sub: path.attr } : path;
    const key = attributeKey(this.attributes, full);
    return {
      key,
      label: printPath(full),
      attribute: key === undefined ? undefined : this.attributes.filter.get(key),
    };
  }

  private resolve(path: AttrPath, scope: AttrPath | undefined): Resolved {
    const { key, label, attribute } = this.lookup(path, scope);
    if (key === undefined) {
      throw invalidFilter(`Unknown schema URI in '${label}' for ${this.attributes.resource} filters`);
    }
    if (!attribute)
      throw invalidFilter(`Filtering ${this.attributes.resource}s on '${label}' is not supported`);
    return { attribute, label };
  }

  /**
   * `emails[type eq "work" and value eq "x"]` and Entra's `emails[type eq "work"].value eq "x"`
   * (folded by the parser into the same shape). Qualifier conditions (`type`, `primary`) are only
   * accepted as top-level `and` conditions beside a checked one; see user-attributes.ts.
   */
  private valuePath(path: AttrPath, filter: Filter): SqlFragment {
    const conditions = conjuncts(filter);
    const checked = conditions.filter((c) => !this.isQualifier(c, path));
    for (const c of conditions) {
      if (!this.isQualifier(c, path) || (c.kind !== 'compare' && c.kind !== 'present')) continue;
      if (
        c.kind === 'present' ||
        c.op !== 'eq' ||
        (typeof c.value !== 'string' && typeof c.value !== 'boolean')
      ) {
        const label = this.lookup(c.path, path).label;
        throw invalidFilter(`'${label}' is only supported as '${label} eq <value>' beside a value condition`);
      }
    }
    if (checked.length === 0) {
      throw invalidFilter(
        `'${printPath(path)}[...]' needs a condition on the value, e.g. emails[type eq "work"].value eq "x"`,
      );
    }
    const parts = checked.map((c) => this.translate(c, path));
    return parts.length === 1 && parts[0] ? parts[0] : wrap(joinSql(parts, ' and '));
  }

  private isQualifier(filter: Filter, scope: AttrPath): boolean {
    if (filter.kind !== 'compare' && filter.kind !== 'present') return false;
    return this.lookup(filter.path, scope).attribute?.kind === 'qualifier';
  }

  private present({ attribute, label }: Resolved): SqlFragment {
    switch (attribute.kind) {
      case 'string': {
        // RFC 7644: pr is "has a non-empty value".
        const nonEmpty = `${attribute.column} <> ''`;
        return fragment(attribute.nullable ? `(${attribute.column} is not null and ${nonEmpty})` : nonEmpty);
      }
      case 'uuid':
        return attribute.nullable ? fragment(`${attribute.column} is not null`) : TRUE_SQL;
      case 'dateTime':
      case 'active':
        return TRUE_SQL;
      case 'membership':
        return fragment(
          `exists (select 1 from group_membership gm where gm.group_id = ${attribute.groupIdColumn})`,
        );
      case 'qualifier':
        throw qualifierMisused(label);
    }
  }

  private compare(resolved: Resolved, op: CompareOp, value: FilterValue): SqlFragment {
    const { attribute, label } = resolved;
    switch (attribute.kind) {
      case 'string':
        return this.compareString(resolved, attribute, op, value);
      case 'uuid': {
        if (value === null && attribute.nullable && (op === 'eq' || op === 'ne')) {
          return fragment(`${attribute.column} is ${op === 'eq' ? '' : 'not '}null`);
        }
        const id = equalityOnly(label, op, value);
        // A non-uuid can't equal any id: no match rather than a database cast error.
        const eq = isUuid(id)
          ? guard(attribute, fragment(`${attribute.column} = ?`, [id.toLowerCase()]))
          : FALSE_SQL;
        return op === 'eq' ? eq : negate(eq);
      }
      case 'membership': {
        const id = equalityOnly(label, op, value);
        const eq = isUuid(id)
          ? fragment(
              `exists (select 1 from group_membership gm where gm.group_id = ${attribute.groupIdColumn} and gm.member_id = ?)`,
              [id.toLowerCase()],
            )
          : FALSE_SQL;
        return op === 'eq' ? eq : negate(eq);
      }
      case 'active': {
        if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${label}' supports only eq, ne and pr`);
        const active = (op === 'eq') === booleanValue(label, value);
        return fragment(`${attribute.column} ${active ? '<>' : '='} ?`, ['revoked']);
      }
      case 'dateTime': {
        if (isMatch(op)) throw invalidFilter(`'${label}' is a dateTime; use eq, ne, gt, ge, lt or le`);
        const param = this.dialect.timeParam(dateTimeValue(label, value));
        const eq = fragment(`${attribute.column} = ?`, [param]);
        if (op === 'ne') return negate(eq);
        return op === 'eq' ? eq : fragment(`${attribute.column} ${ORDER_SQL[op]} ?`, [param]);
      }
      case 'qualifier':
        throw qualifierMisused(label);
    }
  }

  private compareString(
    { label }: Resolved,
    attribute: Extract<FilterAttribute, { kind: 'string' }>,
    op: CompareOp,
    value: FilterValue,
  ): SqlFragment {
    if (value === null) {
      // `eq null` asks for an absent value, `ne null` for a present one.
      if (op === 'eq') return attribute.nullable ? fragment(`${attribute.column} is null`) : FALSE_SQL;
      if (op === 'ne') return this.present({ attribute, label });
      throw invalidFilter(`'${label} ${op} null' is not a valid comparison`);
    }
    const text = stringValue(label, value);
    const { column, caseRule } = attribute;
    if (isMatch(op)) {
      const match =
        caseRule === 'exact'
          ? this.dialect.matchExact(column, op, text)
          : caseRule === 'lowered'
            ? likeSql(column, op, text.toLowerCase())
            : likeSql(`lower(${column})`, op, text, LOWER_PARAM);
      return guard(attribute, match);
    }
    const symbol = ORDER_SQL[op === 'ne' ? 'eq' : op];
    const comparison =
      caseRule === 'exact'
        ? fragment(`${column} ${symbol} ?`, [text])
        : caseRule === 'lowered'
          ? fragment(`${column} ${symbol} ?`, [text.toLowerCase()])
          : fragment(`lower(${column}) ${symbol} ${LOWER_PARAM}`, [text]);
    const guarded = guard(attribute, comparison);
    return op === 'ne' ? negate(guarded) : guarded;
  }
}

function conjuncts(filter: Filter): Filter[] {
  return filter.kind === 'and' ? [...conjuncts(filter.left), ...conjuncts(filter.right)] : [filter];
}

const wrap = (f: SqlFragment): SqlFragment => ({ sql: `(${f.sql})`, params: f.params });
const negate = (f: SqlFragment): SqlFragment => ({ sql: `not (${f.sql})`, params: f.params });

/** Keeps a comparison on a nullable column two-valued (NULL → false). */
function guard(attribute: { column: string; nullable: boolean }, f: SqlFragment): SqlFragment {
  return attribute.nullable ? { sql: `(${attribute.column} is not null and ${f.sql})`, params: f.params } : f;
}

function equalityOnly(label: string, op: CompareOp, value: FilterValue): string {
  if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${label}' supports only eq, ne and pr`);
  return stringValue(label, value);
}

const qualifierMisused = (label: string) =>
  invalidFilter(
    `'${label}' can only be used as an 'and' condition inside a value path next to a value condition, e.g. emails[type eq "work"].value eq "x"`,
  );
