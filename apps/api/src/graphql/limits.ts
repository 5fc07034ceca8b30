// Query limits: depth (a validation rule, static) and cost (estimated before execution, since it
// depends on page sizes that may come from variables). Both fail with a clear, coded error.
//
// Cost model: every field costs 1 unless its `extensions.cost` says otherwise (reports and fields
// that run their own statement per parent cost more); a connection multiplies its edges by its
// page size (`first`/`last`, default 20, capped at 100); a plain list multiplies by
// `extensions.listSize` (default 10). Introspection fields are free and not counted for depth.
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type ArgumentNode,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from './graphql-js.js';
import { apiError } from './errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './data/keyset.js';

export const MAX_DEPTH = 10;
export const MAX_COST = 10_000;
/** Parser budget: the full introspection query needs under 200; ~650 nested selections exceed it. */
export const MAX_TOKENS = 2_000;
const DEFAULT_LIST_SIZE = 10;

/** Field extensions read by the cost analysis. */
export interface CostExtensions {
  cost?: number;
  listSize?: number;
}

/** Spread into a field's options: `...costs({ cost: 100 })`. */
export function costs(c: CostExtensions): { extensions: Record<string, number> } {
  const extensions: Record<string, number> = {};
  if (c.cost !== undefined) extensions['cost'] = c.cost;
  if (c.listSize !== undefined) extensions['listSize'] = c.listSize;
  return { extensions };
}

type Fragments = (name: string) => FragmentDefinitionNode | undefined | null;

const isIntrospection = (name: string): boolean => name.startsWith('__');

/** Deepest field nesting below `selectionSet` (a top-level field is depth 1). */
export function selectionDepth(
  selectionSet: SelectionSetNode,
  fragments: Fragments,
  seen = new Set<string>(),
): number {
  let max = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (isIntrospection(selection.name.value)) continue;
      const below = selection.selectionSet ? selectionDepth(selection.selectionSet, fragments, seen) : 0;
      max = Math.max(max, 1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, selectionDepth(selection.selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      const fragment = fragments(name);
      if (!fragment || seen.has(name)) continue; // cycles are reported by NoFragmentCycles
      max = Math.max(max, selectionDepth(fragment.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return max;
}

export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const depth = selectionDepth(node.selectionSet, (name) => context.getFragment(name));
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(
            `Query depth ${depth} exceeds the maximum of ${maxDepth}; split it into several queries.`,
            {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth },
            },
          ),
        );
      }
    },
  });
}

function intArgument(
  value: ValueNode | undefined,
  variables: Readonly<Record<string, unknown>>,
): number | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === 'number' ? v : undefined;
  }
  return undefined;
}

function extensionsOf(field: GraphQLField<unknown, unknown>): CostExtensions {
  const ext = field.extensions as CostExtensions;
  return {
    ...(typeof ext.cost === 'number' ? { cost: ext.cost } : {}),
    ...(typeof ext.listSize === 'number' ? { listSize: ext.listSize } : {}),
  };
}

interface CostContext {
  fragments: Fragments;
  variables: Readonly<Record<string, unknown>>;
  schema: GraphQLSchema;
}

const isConnection = (field: GraphQLField<unknown, unknown>): boolean =>
  field.args.some((a) => a.name === 'first') && field.args.some((a) => a.name === 'last');

function pageSize(args: readonly ArgumentNode[], variables: Readonly<Record<string, unknown>>): number {
  const arg = (name: string) => intArgument(args.find((a) => a.name.value === name)?.value, variables);
  const size = arg('first') ?? arg('last') ?? DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(size, 0), MAX_PAGE_SIZE);
}

function fieldCost(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  ctx: CostContext,
  listFactor?: number,
): number {
  const ext = extensionsOf(field);
  const own = ext.cost ?? 1;
  if (!node.selectionSet) return own;
  const type = getNamedType(field.type);
  // A connection's page size multiplies its list children (edges), not pageInfo or totalCount.
  if (isConnection(field)) {
    return own + selectionCost(type, node.selectionSet, ctx, pageSize(node.arguments ?? [], ctx.variables));
  }
  const below = selectionCost(type, node.selectionSet, ctx);
  const factor = isListType(getNullableType(field.type))
    ? (listFactor ?? ext.listSize ?? DEFAULT_LIST_SIZE)
    : 1;
  return own + factor * below;
}

/** `listFactor`: the page size of the enclosing connection, applied to its list fields. */
export function selectionCost(
  type: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  ctx: CostContext,
  listFactor?: number,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (isIntrospection(selection.name.value) || !(isObjectType(type) || isInterfaceType(type))) continue;
      const field = type.getFields()[selection.name.value];
      if (field) total += fieldCost(field, selection, ctx, listFactor);
    } else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : ctx.fragments(selection.name.value);
      if (!fragment) continue;
      const condition = fragment.typeCondition ? ctx.schema.getType(fragment.typeCondition.name.value) : type;
      total += selectionCost(condition ?? type, fragment.selectionSet, ctx, listFactor);
    }
  }
  return total;
}

/** The estimated cost of the operation, or a QUERY_TOO_COSTLY error when it is over the limit. */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  maxCost = MAX_COST,
): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  const cost = selectionCost(root, operation.selectionSet, {
    fragments: (name) => fragments.get(name),
    variables,
    schema,
  });
  if (cost <= maxCost) return null;
  return apiError(
    'QUERY_TOO_COSTLY',
    `Query cost ${cost} exceeds the maximum of ${maxCost}; ask for smaller pages (first/last) or fewer nested lists.`,
    { cost, maxCost },
  );
}
