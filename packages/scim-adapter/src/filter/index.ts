// Public surface of the SCIM filter / PATCH path parser.
export type { AttrPath, CompareOp, Filter, FilterValue, PatchPath } from './ast.js';
export { COMPARE_OPS } from './keywords.js';
export { MAX_FILTER_LENGTH, MAX_NESTING, parseFilter, parsePatchPath } from './parser.js';
export { printAttrPath, printFilter, printPatchPath, printValue } from './print.js';
