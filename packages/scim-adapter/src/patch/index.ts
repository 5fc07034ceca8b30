// Public surface: PatchOp parsing and the schema-aware PATCH engine.
export type { PatchOpName, PatchOperation } from './types.js';
export { parsePatchBody } from './parse-body.js';
export { applyPatch } from './apply-patch.js';
export { resolveTarget, type Target } from './target.js';
export { filterTemplate, matchesFilter } from './match-filter.js';
