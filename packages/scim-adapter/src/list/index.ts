// Public surface: list parameters, ListResponse, attribute projection, cross-type search.
export { parseListParams, type ListParams, type PageLimits } from './list-params.js';
export { membershipAttribute, toListQuery, type TypedListQuery } from './list-query.js';
export { LIST_RESPONSE_SCHEMA, listResponse, type ListPage } from './list-response.js';
export {
  applyProjection,
  isProjected,
  needsAttribute,
  parseProjection,
  type PathTree,
  type Projection,
} from './projection.js';
export { filterForType } from './root-filter.js';
export { searchAcross, type CombinedPage, type PageSource } from './root-search.js';
